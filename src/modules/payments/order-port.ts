import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { OrderPayments, PaymentStatusView } from '../orders/index.ts';
import { postTransaction, refundEntries, settlementEntries } from './ledger.ts';
import type { PaymentStatus } from './schema.ts';

export interface OrderPaymentsDeps {
  clock: Clock;
  commissionBps: number;
  events: Publisher;
}

/**
 * What orders needs from payments, inside orders' own transactions: the money moves exactly when
 * the order changes (a refund with the cancel, the settlement with the receipt), so these are
 * commands in the caller's transaction, not events. Built from the platform alone, so orders is
 * given it at construction and payments (built after orders) needs no setter.
 */
export class OrderPaymentsPort implements OrderPayments {
  constructor(private readonly deps: OrderPaymentsDeps) {}

  /**
   * Refunds a paid order in full, inside the caller's transaction: the refund row, the
   * `refunded_fen` counter (the database refuses more than was captured), the ledger, and the
   * provider call queued in the outbox. Once per (order, reason).
   */
  async refundOrder(
    trx: Db,
    order: { orderId: string; checkoutId: string; amountFen: number },
    reason: string,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const captured = await sql<{ id: string }>`
      select p.id from payments p join payment_orders po on po.payment_id = p.id
      where po.order_id = ${order.orderId} and p.checkout_id = ${order.checkoutId} and p.status = 'captured'
      for update of p`.execute(trx);
    const paymentId = captured.rows[0]?.id;
    if (!paymentId) throw conflict('not_captured', 'There is no captured payment to refund');
    const refundId = newId();
    const created = await sql<{ id: string }>`
      insert into refunds (id, payment_id, order_id, amount_fen, reason, status, created_at, updated_at)
      values (${refundId}, ${paymentId}, ${order.orderId}, ${order.amountFen}, ${reason}, 'requested', ${now}, ${now})
      on conflict (order_id, reason) do nothing returning id`.execute(trx);
    if (created.rows.length === 0) return;
    try {
      await sql`update payments set refunded_fen = refunded_fen + ${order.amountFen}, updated_at = ${now}
        where id = ${paymentId}`.execute(trx);
    } catch (err) {
      if ((err as { code?: string }).code === '23514') {
        throw conflict('refund_exceeds_capture', 'A refund can never exceed what was captured');
      }
      throw err;
    }
    await postTransaction(trx, 'refund', refundId, refundEntries(order.amountFen), now);
    await this.deps.events.publish(trx, 'payment.refund', { refundId });
  }

  /** Settles a completed order: escrow → merchant payable, less commission. */
  async settleOrder(trx: Db, order: { orderId: string; storeId: string; totalFen: number }): Promise<void> {
    await postTransaction(
      trx,
      'settlement',
      order.orderId,
      settlementEntries(order.storeId, order.totalFen, this.deps.commissionBps),
      this.deps.clock.now(),
    );
  }

  /** Whether a payment covering the order is still with the provider (the orders port, for cancel). */
  async paymentInProgress(trx: Db, orderId: string): Promise<boolean> {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from payment_orders po join payments p on p.id = po.payment_id
      where po.order_id = ${orderId} and p.status in ('created', 'authorized')`.execute(trx);
    return (r.rows[0]?.n ?? 0) > 0;
  }

  async paymentStatuses(db: Db, checkoutIds: string[]): Promise<Map<string, PaymentStatusView>> {
    if (checkoutIds.length === 0) return new Map();
    const rows = await sql<{ checkout_id: string; status: PaymentStatus }>`
      select distinct on (checkout_id) checkout_id, status from payments
      where checkout_id = any(${checkoutIds}::uuid[])
      order by checkout_id, (status <> 'failed') desc, created_at desc`.execute(db);
    const view: Record<PaymentStatus, PaymentStatusView> = {
      created: 'processing',
      authorized: 'processing',
      captured: 'paid',
      failed: 'failed',
    };
    return new Map(rows.rows.map((r) => [r.checkout_id, view[r.status]]));
  }
}
