import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { OrderPayments, PaymentStatusView } from '../orders/index.ts';
import { LedgerOperations, type LedgerOperationsDeps } from './ledger-operations.ts';
import type { PaymentStatus } from './schema.ts';

export type OrderPaymentsDeps = LedgerOperationsDeps;

/**
 * What orders needs from payments, inside orders' own transactions: the money moves exactly when
 * the order changes (a refund with the cancel, the settlement with the receipt), so these are
 * commands in the caller's transaction, not events. Built from the platform alone, so orders is
 * given it at construction and payments (built after orders) needs no setter. The ledger's named
 * operations (ledger-operations.ts) and the payment statuses.
 */
export class OrderPaymentsPort extends LedgerOperations implements OrderPayments {
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
