import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Attribution } from '../../platform/attribution.ts';
import { type Actor, assertBuyer, assertMerchant, assertOperator } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { OrderEventLine, Publisher } from '../../platform/events.ts';
import { idempotent, requestHash } from '../../platform/idempotency.ts';
import { cappedCount, type KeysetPage, type KeysetQuery, splitPage } from '../../platform/keyset.ts';
import { captureStock, releaseStock } from '../catalog/index.ts';
import { releaseOrderPricing, releaseSubsidyUnits } from '../pricing/index.ts';
import type { CheckoutWithPayment } from './api-schema.ts';
import { type BuyerOrderHistory, buyerOrderHistory } from './buyer-history.ts';
import type { Carrier } from './carriers.ts';
import { type CartView, cartView, removeCartItem, setCartQuantity } from './cart.ts';
import { type CheckoutInput, type CheckoutView, placeCheckout } from './checkout.ts';
import {
  type HeldOrder,
  type HeldOrderInput,
  heldOrderSql,
  placeHeldOrder,
  releaseOrdersStock,
  type StockHolder,
} from './held-orders.ts';
import { eventLines } from './line-attribution.ts';
import { SHIP_WITHIN_HOURS } from './logistics-inputs.ts';
import {
  loadOrderMoney,
  type OrderMoney,
  planLineRefund,
  type RefundLinesInput,
  type RefundLinesResult,
  settlementMoney,
} from './order-money.ts';
import type { OrderPayments, PaymentStatusView } from './ports.ts';
import { type PurchasedLine, purchasedLineCounts, purchasedLines } from './purchases.ts';
import type { AttributionColumns, OrderLineRow, OrderRow, PaymentMethod } from './schema.ts';
import { canTransition, type OrderEvent, type OrderStatus, sourcesOf, transition } from './state-machine.ts';
import { type StoreDashboard, storeDashboard } from './store-dashboard.ts';
import type { OrdersDb } from './tables.ts';
import { loadOrderViews, type OrderView } from './views.ts';

export interface OrdersDeps {
  db: OrdersDb;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'unpaidOrderTtlMinutes' | 'sandboxDeliverySeconds' | 'commissionBps'>;
  /** Refunds and settlements in orders' transactions, and payment statuses (payments' order-port.ts). */
  payments: OrderPayments;
  /** Where orders publishes what happened to orders (order.placed, order.paid, order.cancelled, order.refunded). */
  events: Publisher;
}

export interface ListQuery {
  /** Any of these statuses; all when absent. */
  status?: OrderStatus[];
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const SWEEP_BATCH = 200;

/** What an order line's event line is made of (line-attribution.ts `eventLines`). */
type EventLineRow = Pick<OrderLineRow, 'sku_id' | 'product_id' | 'quantity' | 'paid_fen' | 'unit_price_fen'> &
  AttributionColumns;

/**
 * `status in ('a', …)` with the statuses written into the SQL text, for the sweeps: their partial
 * indexes (`where status = 'pending_payment'` …) serve a query only when its predicate is in the text,
 * and PostgreSQL's connections here use generic plans (db.ts), which never see a parameter's value.
 */
function statusIn(statuses: readonly OrderStatus[]) {
  return sql`status in (${sql.join(statuses.map((s) => sql.lit(s)))})`;
}

/** The answer to a buyer's order action; `replayed` when an Idempotency-Key retry got the first answer. */
export interface OrderChange {
  body: { order: OrderView };
  replayed: boolean;
}

export class OrdersService {
  /** Modules holding stock for some orders (held-orders.ts), by name. */
  private readonly holders = new Map<string, StockHolder>();

  constructor(private readonly deps: OrdersDeps) {}

  /** A module that holds stock for orders it places (e.g. flash sales) registers here at build time. */
  registerStockHolder(name: string, holder: StockHolder): void {
    this.holders.set(name, holder);
  }

  /**
   * An order whose unit another module already holds (held-orders.ts), in the caller's transaction:
   * a checkout with one order of one line, payable like any other, expiring like any other.
   */
  placeHeldOrder(trx: Db, input: Omit<HeldOrderInput, 'now'> & { now?: Date }): Promise<HeldOrder> {
    return placeHeldOrder(
      trx,
      this.deps.events,
      { ...input, now: input.now ?? this.deps.clock.now() },
      { ttlMinutes: this.deps.config.unpaidOrderTtlMinutes, commissionBps: this.deps.config.commissionBps },
    );
  }

  /**
   * `placeHeldOrder` as CTEs for the caller's own statement, each write only when the caller's CTE
   * `guard` returned a row (held-orders.ts `heldOrderSql`; `held_order` returns `id, order_no`).
   */
  heldOrderSql(input: HeldOrderInput, guard: string) {
    return heldOrderSql(
      this.deps.events,
      input,
      { ttlMinutes: this.deps.config.unpaidOrderTtlMinutes, commissionBps: this.deps.config.commissionBps },
      guard,
    );
  }

  /** Stock back for orders closing before shipping: held units to their holder, the rest to the SKUs. */
  private releaseOrders(trx: Db, orderIds: string[], cause: Parameters<typeof releaseStock>[2]) {
    return releaseOrdersStock(trx, orderIds, cause, this.holders, releaseStock);
  }

  private get pay(): OrderPayments {
    return this.deps.payments;
  }

  // ---- cart ----

  async cart(actor: Actor): Promise<CartView> {
    assertBuyer(actor);
    return cartView(this.deps.db, actor.accountId, this.deps.clock.now());
  }

  /** `attribution`, when given, becomes the line's (the latest wins); without it the line keeps its own. */
  async setCartItem(
    actor: Actor,
    skuId: string,
    quantity: number,
    attribution?: Attribution,
  ): Promise<CartView> {
    assertBuyer(actor);
    await setCartQuantity(this.deps.db, this.deps.clock, actor.accountId, skuId, quantity, attribution);
    return cartView(this.deps.db, actor.accountId, this.deps.clock.now());
  }

  async removeCartItem(actor: Actor, skuId: string): Promise<CartView> {
    assertBuyer(actor);
    await removeCartItem(this.deps.db, actor.accountId, skuId);
    return cartView(this.deps.db, actor.accountId, this.deps.clock.now());
  }

  // ---- checkout ----

  /**
   * Places a checkout once per Idempotency-Key: a retry with the same body gets the first answer
   * (rebuilt from the tables), a different body a 409; a parallel duplicate waits on the key row
   * and replays. Two statements, no transaction: the facts read and place-checkout.sql (checkout.ts).
   */
  async checkout(
    actor: Actor,
    idempotencyKey: string,
    input: CheckoutInput,
  ): Promise<{ statusCode: number; body: { checkout: CheckoutView }; replayed: boolean }> {
    assertBuyer(actor);
    const { db, clock, config } = this.deps;
    const placed = await placeCheckout(db, {
      buyerId: actor.accountId,
      idempotencyKey,
      requestHash: requestHash(input),
      input,
      now: clock.now(),
      ttlMinutes: config.unpaidOrderTtlMinutes,
      commissionBps: config.commissionBps,
      placedSubscribers: this.deps.events.subscribersOf('order.placed'),
    });
    return { statusCode: placed.statusCode, body: { checkout: placed.view }, replayed: placed.replayed };
  }

  async getCheckout(actor: Actor, checkoutId: string): Promise<CheckoutWithPayment> {
    assertBuyer(actor);
    const { db } = this.deps;
    const checkout = await sql<{ id: string; total_fen: number; expires_at: Date }>`
      select id, total_fen, expires_at from checkouts where id = ${checkoutId} and buyer_id = ${actor.accountId}`.execute(
      db,
    );
    const row = checkout.rows[0];
    if (!row) throw notFound('Checkout');
    const orders = await sql<OrderRow>`
      select * from orders where checkout_id = ${checkoutId} order by store_id`.execute(db);
    const statuses = await this.pay.paymentStatuses(db, [checkoutId]);
    return {
      checkout: {
        id: row.id,
        totalFen: row.total_fen,
        expiresAt: new Date(row.expires_at).toISOString(),
        paymentStatus: statuses.get(checkoutId) ?? ('unpaid' as PaymentStatusView),
        orders: await loadOrderViews(db, orders.rows),
      },
    };
  }

  /**
   * For payments: the orders of a checkout the buyer may pay now (every order still waiting for
   * payment and not past its expiry; one cancelled before paying is left out) and their sum, read
   * inside the caller's transaction. The orders are locked (shared, in id order) until it commits,
   * so a cancel either ends before (the order is left out) or waits and sees the payment.
   */
  async payableCheckout(
    trx: Db,
    actor: Actor,
    checkoutId: string,
  ): Promise<{ id: string; totalFen: number; orders: Array<{ orderId: string; amountFen: number }> }> {
    assertBuyer(actor);
    const rows = await sql<{ id: string; total_fen: number; status: OrderStatus; expires_at: Date }>`
      select o.id, o.total_fen, o.status, o.expires_at from checkouts c join orders o on o.checkout_id = c.id
      where c.id = ${checkoutId} and c.buyer_id = ${actor.accountId}
      order by o.id for share of o`.execute(trx);
    if (rows.rows.length === 0) throw notFound('Checkout');
    const now = this.deps.clock.now().getTime();
    const open = rows.rows.filter(
      (o) => o.status === 'pending_payment' && new Date(o.expires_at).getTime() > now,
    );
    if (open.length === 0) throw conflict('checkout_not_payable', 'This checkout can no longer be paid');
    return {
      id: checkoutId,
      totalFen: open.reduce((sum, o) => sum + Number(o.total_fen), 0),
      orders: open.map((o) => ({ orderId: o.id, amountFen: Number(o.total_fen) })),
    };
  }

  /**
   * For payments, when the money is captured (inside its transaction): every order the payment
   * covers that is still waiting becomes paid. Returns the covered orders that had already closed
   * (expired), which the caller refunds: a late payment.
   * One statement (+ an `order.paid` event per order paid): the orders are locked in id order, so
   * the statuses read are the latest (an expiry that committed a moment ago is seen as closed);
   * those still waiting are paid and get their event, and each order comes back with its lines.
   */
  async markOrdersPaid(
    trx: Db,
    checkoutId: string,
    orderIds: string[],
    at: Date,
  ): Promise<Array<{ orderId: string; checkoutId: string; amountFen: number }>> {
    const rows = await this.markPaid(trx, checkoutId, orderIds, at, 'online');
    return rows
      .filter((r) => r.status === 'expired' || r.status === 'cancelled')
      .map((r) => ({ orderId: r.id, checkoutId, amountFen: r.total_fen }));
  }

  /**
   * For credit (use first, pay later), inside its transaction: the checkout's orders still waiting
   * are paid with `payment_method = 'pay_later'` (markOrdersPaid's statement, `order.paid` events
   * alike). Returns the orders paid now, with their store and total.
   */
  async markOrdersPaidOnCredit(
    trx: Db,
    checkoutId: string,
    orderIds: string[],
    at: Date,
  ): Promise<Array<{ orderId: string; storeId: string; totalFen: number }>> {
    const rows = await this.markPaid(trx, checkoutId, orderIds, at, 'pay_later');
    return rows
      .filter((r) => r.paid)
      .map((r) => ({ orderId: r.id, storeId: r.store_id, totalFen: Number(r.total_fen) }));
  }

  private async markPaid(trx: Db, checkoutId: string, orderIds: string[], at: Date, method: PaymentMethod) {
    const rows = await sql<{
      id: string;
      store_id: string;
      status: OrderStatus;
      total_fen: number;
      paid: boolean;
      lines: EventLineRow[];
    }>`
      with locked as materialized (
        select id, store_id, status, total_fen from orders
        where checkout_id = ${checkoutId} and id = any(${orderIds}::uuid[]) order by id for update
      ), paid as (
        update orders o set status = ${transition('pending_payment', 'pay')}, paid_at = ${at}${
          method === 'pay_later' ? sql`, payment_method = 'pay_later'` : sql``
        }
        from locked l
        where o.id = l.id and o.status = any(${sourcesOf('pay')}::text[])
        returning o.id
      ), events as (
        insert into order_events (order_id, from_status, to_status, actor, at)
        select id, 'pending_payment', 'paid', ${method === 'online' ? 'provider' : 'credit'}, ${at}::timestamptz from paid
      )
      select l.id, l.store_id, l.status, l.total_fen, (p.id is not null) as paid,
             coalesce((select json_agg(json_build_object('sku_id', ol.sku_id, 'product_id', ol.product_id,
                         'quantity', ol.quantity, 'paid_fen', ol.paid_fen, 'unit_price_fen', ol.unit_price_fen,
                         'channel', ol.channel, 'impression_id', ol.impression_id, 'content_id', ol.content_id))
                       from order_lines ol where ol.order_id = p.id), '[]'::json) as lines
      from locked l left join paid p on p.id = l.id`.execute(trx);
    await this.deps.events.publishAll(
      trx,
      'order.paid',
      rows.rows
        .filter((r) => r.paid)
        .map((r) => ({
          orderId: r.id,
          storeId: r.store_id,
          totalFen: Number(r.total_fen),
          lines: eventLines(r.lines),
        })),
    );
    return rows.rows;
  }

  // ---- life cycle ----

  /**
   * Buyer cancels: unpaid → cancelled (stock back); paid → cancelled with a full refund. While a
   * payment covering the order is with the provider, 409 `payment_in_progress`: a cancelled order
   * is never charged. With an Idempotency-Key, a retry gets the first answer.
   */
  async cancel(actor: Actor, orderId: string, idempotencyKey?: string): Promise<OrderChange> {
    assertBuyer(actor);
    return this.change(
      orderId,
      { buyerId: actor.accountId },
      'cancel',
      `buyer:${actor.accountId}`,
      async (trx, o) => {
        const wasPaid = o.status === 'paid';
        if (!wasPaid && (await this.pay.paymentInProgress(trx, o.id))) {
          throw conflict(
            'payment_in_progress',
            'A payment for this order is in progress; cancel it once it is paid (full refund) or has failed',
          );
        }
        const lines = await this.orderLines(trx, [o.id]);
        await this.releaseOrders(trx, [o.id], {
          actor: `buyer:${actor.accountId}`,
          at: this.deps.clock.now(),
          reason: 'order_cancelled',
          ref: o.id,
        });
        // Cancelled before shipping: its subsidy units and coupons come back.
        await releaseOrderPricing(trx, [o.id], this.deps.clock.now());
        await this.deps.events.publish(trx, 'order.cancelled', {
          orderId: o.id,
          storeId: o.store_id,
          wasPaid,
          lines,
        });
        if (wasPaid) {
          await this.refundInFull(trx, o.id, {
            reference: `cancel:${o.id}`,
            reason: 'buyer_cancelled',
            actor: `buyer:${actor.accountId}`,
          });
        }
        return {
          closed_at: this.deps.clock.now(),
          close_reason: wasPaid ? 'buyer_cancelled_refunded' : 'buyer_cancelled',
        };
      },
      idempotencyKey === undefined ? undefined : { accountId: actor.accountId, key: idempotencyKey },
    );
  }

  /** Merchant ships a paid order of their own store. */
  async ship(
    actor: Actor,
    orderId: string,
    parcel: { carrier: Carrier; trackingNo: string },
  ): Promise<{ order: OrderView }> {
    const storeId = assertMerchant(actor);
    const changed = await this.change(
      orderId,
      { storeId },
      'ship',
      `merchant:${actor.accountId}`,
      async (trx, o) => {
        const now = this.deps.clock.now();
        // The units leave the shelf: no longer reserved, no longer on hand.
        await captureStock(trx, await this.orderLines(trx, [o.id]), {
          actor: `merchant:${actor.accountId}`,
          at: now,
          reason: 'order_shipped',
          ref: o.id,
        });
        return { shipped_at: now, carrier: parcel.carrier, tracking_no: parcel.trackingNo };
      },
    );
    return changed.body;
  }

  /**
   * Buyer confirms receipt: the order completes and the merchant is settled (ledger, same
   * transaction). With an Idempotency-Key, a retry gets the first answer.
   */
  async confirmReceipt(actor: Actor, orderId: string, idempotencyKey?: string): Promise<OrderChange> {
    assertBuyer(actor);
    return this.change(
      orderId,
      { buyerId: actor.accountId },
      'confirm',
      `buyer:${actor.accountId}`,
      async (trx, o) => {
        // An open after-sale request holds the settlement until it closes (releaseSettlement).
        if (!(await this.settlementHeld(trx, o.id))) await this.settleNow(trx, o.id);
        return { completed_at: this.deps.clock.now() };
      },
      idempotencyKey === undefined ? undefined : { accountId: actor.accountId, key: idempotencyKey },
    );
  }

  /**
   * Delivered orders the buyer has not confirmed `days` after delivery complete by themselves
   * (actor `system:auto-confirm`), and are settled unless a hold (an open after-sale request)
   * waits on them. Returns how many completed.
   */
  async autoConfirmDue(days: number, now: Date = this.deps.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    return this.deps.db.transaction().execute(async (trx) => {
      const done = await sql<{ id: string; store_id: string; total_fen: number; held: boolean }>`
        update orders o set status = 'completed', completed_at = ${now}
        from (select id from orders where status = 'delivered' and delivered_at <= ${cutoff}
              order by delivered_at limit ${SWEEP_BATCH} for update skip locked) due
        where o.id = due.id and o.status = any(${sourcesOf('confirm')}::text[])
        returning o.id, o.store_id, o.total_fen,
          exists (select 1 from order_settlement_holds h where h.order_id = o.id) as held`.execute(trx);
      for (const o of done.rows) {
        if (!o.held) await this.settleNow(trx, o.id);
      }
      await this.recordEvents(
        trx,
        done.rows.map((o) => o.id),
        'delivered',
        'completed',
        'system:auto-confirm',
        now,
      );
      return done.rows.length;
    });
  }

  /**
   * For after-sale, in its transaction: the order is not settled while `ref` (an open request)
   * holds it. Idempotent.
   */
  async holdSettlement(trx: Db, orderId: string, ref: string): Promise<void> {
    await sql`
      insert into order_settlement_holds (order_id, ref, created_at)
      values (${orderId}, ${ref}, ${this.deps.clock.now()}) on conflict do nothing`.execute(trx);
  }

  /**
   * For after-sale, in its transaction: `ref` no longer holds the order; a completed order that
   * nothing else holds is settled now (settling is idempotent by order). Idempotent.
   */
  async releaseSettlement(trx: Db, orderId: string, ref: string): Promise<void> {
    await sql`delete from order_settlement_holds where order_id = ${orderId} and ref = ${ref}`.execute(trx);
    if (await this.settlementHeld(trx, orderId)) return;
    const r = await sql<{
      status: OrderStatus;
    }>`select status from orders where id = ${orderId} for update`.execute(trx);
    if (r.rows[0]?.status !== 'completed') return;
    await this.settleNow(trx, orderId);
  }

  private async settlementHeld(trx: Db, orderId: string): Promise<boolean> {
    const r = await sql<{ held: boolean }>`
      select exists (select 1 from order_settlement_holds where order_id = ${orderId}) as held`.execute(trx);
    return r.rows[0]?.held ?? false;
  }

  // ---- money: per-line refunds and settlement (the ledger's named operations, payments) ----

  /**
   * Gives money back to the buyer for some lines of an order, inside the caller's transaction:
   * the lines' refunded quantity and amount (never more than was bought or paid: 409
   * `refund_exceeds_paid`), then payments' refund (funder merchant: out of escrow before
   * settlement, clawed back after; platform: `platform_expense:<expense>`). Once per `reference`
   * (a second call answers `duplicate` and changes nothing). When every line is refunded in full
   * the order becomes `refunded` (stock back if it had not shipped) and whatever the escrow still
   * holds is settled.
   */
  async refundLines(trx: Db, input: RefundLinesInput): Promise<RefundLinesResult> {
    // The order (and its lines) locked first, then the reference read: a racing call with the
    // same reference waits here and then sees the first one's refund.
    const order = (await loadOrderMoney(trx, [input.orderId], true)).get(input.orderId);
    if (!order) throw notFound('Order');
    const seen = await this.pay.findRefund(trx, input.reference);
    if (seen) return { refundedFen: seen.amountFen, duplicate: true };
    return this.refundLocked(trx, order, input, true);
  }

  /**
   * What is left of every line, refunded (merchant-funded): a paid order cancelled, or a late
   * payment for an order that had closed. Does not change the order's status (the caller does).
   */
  async refundInFull(
    trx: Db,
    orderId: string,
    r: { reference: string; reason: string; actor: string },
  ): Promise<RefundLinesResult> {
    const order = (await loadOrderMoney(trx, [orderId], true)).get(orderId);
    if (!order) throw notFound('Order');
    const seen = await this.pay.findRefund(trx, r.reference);
    if (seen) return { refundedFen: seen.amountFen, duplicate: true };
    const lines = order.lines
      .map((l) => ({
        skuId: l.skuId,
        quantity: l.quantity - l.refundedQuantity,
        amountFen: l.paidFen - l.refundedFen,
      }))
      .filter((l) => l.amountFen > 0);
    if (lines.length === 0) return { refundedFen: 0, duplicate: false };
    const result = await this.refundLocked(trx, order, { ...r, orderId, funder: 'merchant', lines }, false);
    await this.closeRefunded(trx, order);
    return result;
  }

  /** Each order's money, line by line (paid, refunded, settled), for after-sale, pay-later, guarantees. */
  lineMoney(db: Db, orderIds: string[]): Promise<Map<string, OrderMoney>> {
    return loadOrderMoney(db, orderIds);
  }

  /**
   * Pays the merchant for a completed (or refunded, or cancelled) paid order, once: ledger
   * `settlement` from its lines, `settled_at` set. Returns false when it was settled already (or
   * never paid). For after-sale's settle sweep (orders that waited for open requests).
   */
  async settle(trx: Db, orderId: string): Promise<boolean> {
    const order = (await loadOrderMoney(trx, [orderId], true)).get(orderId);
    if (!order) throw notFound('Order');
    if (!['completed', 'refunded', 'cancelled'].includes(order.status)) {
      throw conflict('order_not_settleable', 'Only a completed order is settled', { status: order.status });
    }
    return this.settleNow(trx, orderId);
  }

  private async settleNow(trx: Db, orderId: string): Promise<boolean> {
    const order = (await loadOrderMoney(trx, [orderId], true)).get(orderId);
    if (!order || order.settledAt || !order.paidAt) return false;
    await this.pay.settleOrder(trx, {
      orderId,
      storeId: order.storeId,
      commissionBps: order.commissionBps,
      ...settlementMoney(order),
    });
    await sql`update orders set settled_at = ${this.deps.clock.now()} where id = ${orderId}`.execute(trx);
    return true;
  }

  private async refundLocked(
    trx: Db,
    order: OrderMoney,
    input: RefundLinesInput,
    closeWhenFull: boolean,
  ): Promise<RefundLinesResult> {
    if (order.status === 'pending_payment') throw conflict('order_not_paid', 'This order has not been paid');
    const plan = planLineRefund(order, input);
    const changed = plan.lines.filter((l) => l.quantity > 0 || l.amountFen > 0);
    await sql`
      update order_lines ol set refunded_quantity = ol.refunded_quantity + r.quantity,
                                refunded_fen = ol.refunded_fen + r.amount
      from unnest(${changed.map((l) => l.skuId)}::uuid[], ${changed.map((l) => l.quantity)}::int[],
                  ${changed.map((l) => l.amountFen)}::bigint[]) as r(sku_id, quantity, amount)
      where ol.order_id = ${order.orderId} and ol.sku_id = r.sku_id`.execute(trx);
    if (input.funder === 'merchant') {
      await sql`update orders set merchant_refunded_fen = merchant_refunded_fen + ${plan.amountFen}
        where id = ${order.orderId}`.execute(trx);
    }
    const written = await this.pay.refundLineMoney(trx, {
      reference: input.reference,
      orderId: order.orderId,
      storeId: order.storeId,
      amountFen: plan.amountFen,
      funder: input.funder,
      expense: input.expense ?? 'price_protection',
      kind: input.kind ?? 'refund',
      reason: input.reason,
      settled: order.settledAt !== null,
      commissionBps: order.commissionBps,
      discountsBack: plan.discountsBack,
    });
    // Pricing: refunded units give their subsidy back to its budget; an order refunded in full its
    // coupons too (idempotent; a duplicate reference returned above).
    const units = changed.filter((l) => l.quantity > 0);
    if (units.length > 0) await releaseSubsidyUnits(trx, order.orderId, units, this.deps.clock.now());
    if (plan.fullyRefunded) await releaseOrderPricing(trx, [order.orderId], this.deps.clock.now());
    if (!plan.fullyRefunded) return { refundedFen: written.amountFen, duplicate: written.duplicate };
    if (closeWhenFull && canTransition(order.status, 'refund')) {
      const now = this.deps.clock.now();
      await sql`update orders set status = ${transition(order.status, 'refund')}, closed_at = ${now},
        close_reason = ${input.reason} where id = ${order.orderId}`.execute(trx);
      await this.recordEvents(trx, [order.orderId], order.status, 'refunded', input.actor, now);
      const lines = await this.orderLines(trx, [order.orderId]);
      if (order.status === 'paid') {
        // Never shipped: the units go back on the shelf.
        await this.releaseOrders(trx, [order.orderId], {
          actor: input.actor,
          at: now,
          reason: 'order_refunded',
          ref: order.orderId,
        });
      }
      // The sale is uncounted (sales counter, GMV).
      await this.deps.events.publish(trx, 'order.refunded', {
        orderId: order.orderId,
        storeId: order.storeId,
        wasShipped: order.status !== 'paid',
        lines,
      });
    }
    if (closeWhenFull) await this.closeRefunded(trx, order);
    return { refundedFen: written.amountFen, duplicate: written.duplicate };
  }

  /**
   * The money of an order refunded in full is closed: its platform-funded line refunds are
   * recovered from the merchant side, and whatever is left in escrow settled (nothing, usually).
   */
  private async closeRefunded(trx: Db, order: OrderMoney): Promise<void> {
    await this.pay.recoverPlatformRefunds(trx, {
      orderId: order.orderId,
      storeId: order.storeId,
      settled: order.settledAt !== null,
      commissionBps: order.commissionBps,
    });
    await this.settleNow(trx, order.orderId);
  }

  /** Unpaid orders past their expiry close and give their stock back. Returns how many expired. */
  async expireDue(now: Date = this.deps.clock.now()): Promise<number> {
    return this.deps.db.transaction().execute(async (trx) => {
      const expired = await sql<{ id: string }>`
        update orders o set status = 'expired', closed_at = ${now}, close_reason = 'unpaid_timeout'
        from (select id from orders where ${statusIn(sourcesOf('expire'))} and expires_at <= ${now}
              order by expires_at limit ${SWEEP_BATCH} for update skip locked) due
        where o.id = due.id
        returning o.id`.execute(trx);
      const ids = expired.rows.map((r) => r.id);
      if (ids.length === 0) return 0;
      await this.releaseOrders(trx, ids, {
        actor: 'system:expiry',
        at: now,
        reason: 'order_expired',
        ref: ids.length === 1 ? ids[0] : null,
      });
      await releaseOrderPricing(trx, ids, now);
      await this.recordEvents(trx, ids, 'pending_payment', 'expired', 'system:expiry', now);
      return ids.length;
    });
  }

  /** The sandbox carrier: shipped orders arrive `sandboxDeliverySeconds` after shipping. */
  async deliverDue(now: Date = this.deps.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.deps.config.sandboxDeliverySeconds * 1000);
    return this.deps.db.transaction().execute(async (trx) => {
      const delivered = await sql<{ id: string }>`
        update orders o set status = 'delivered', delivered_at = ${now}
        from (select id from orders where ${statusIn(sourcesOf('deliver'))} and shipped_at <= ${cutoff}
              order by shipped_at limit ${SWEEP_BATCH} for update skip locked) due
        where o.id = due.id
        returning o.id`.execute(trx);
      const ids = delivered.rows.map((r) => r.id);
      await this.recordEvents(trx, ids, 'shipped', 'delivered', 'system:carrier', now);
      return ids.length;
    });
  }

  // ---- reading ----

  async listForBuyer(actor: Actor, q: ListQuery): Promise<Page<OrderView>> {
    assertBuyer(actor);
    return this.list(q, sql`buyer_id = ${actor.accountId}`);
  }

  async listForStore(actor: Actor, q: ListQuery): Promise<Page<OrderView>> {
    const storeId = assertMerchant(actor);
    return this.list(q, sql`store_id = ${storeId}`);
  }

  /**
   * Every order, newest first, for the ops console: keyset-paged (platform/keyset.ts) so a deep page
   * costs what the first does, with a count that stops at the cap.
   */
  async listAll(actor: Actor, q: KeysetQuery & { status?: OrderStatus[] }): Promise<KeysetPage<OrderView>> {
    assertOperator(actor);
    const { db } = this.deps;
    const status = q.status ? sql`and status in (${sql.join(q.status)})` : sql``;
    const after = q.cursor
      ? sql`and (created_at, id) < (select o.created_at, o.id from orders o where o.id = ${q.cursor})`
      : sql``;
    const [count, fetched] = await Promise.all([
      cappedCount(db, sql`from orders where true ${status}`),
      sql<OrderRow>`select * from orders where true ${status} ${after}
        order by created_at desc, id desc limit ${q.pageSize + 1}`.execute(db),
    ]);
    const { rows, nextCursor } = splitPage(fetched.rows, q.pageSize);
    return { items: await loadOrderViews(db, rows), nextCursor, ...count, pageSize: q.pageSize };
  }

  async getForBuyer(actor: Actor, orderId: string): Promise<{ order: OrderView }> {
    assertBuyer(actor);
    return this.getOne(orderId, sql`buyer_id = ${actor.accountId}`);
  }

  async getForStore(actor: Actor, orderId: string): Promise<{ order: OrderView }> {
    const storeId = assertMerchant(actor);
    return this.getOne(orderId, sql`store_id = ${storeId}`);
  }

  /** The merchant dashboard: orders to ship, today's sales and the 30-day trend (platform/business-day.ts). */
  async dashboardForStore(actor: Actor): Promise<StoreDashboard> {
    const storeId = assertMerchant(actor);
    return storeDashboard(this.deps.db, storeId, this.deps.clock.now());
  }

  /** For the merchant balance: money of this store's paid, unsettled orders (less what it refunded). */
  async escrowFenForStore(db: Db, storeId: string): Promise<number> {
    const r = await sql<{ fen: number }>`
      select coalesce(sum(total_fen - merchant_refunded_fen), 0)::bigint as fen from orders
      where store_id = ${storeId} and paid_at is not null and settled_at is null`.execute(db);
    return Number(r.rows[0]?.fen ?? 0);
  }

  /** For credit: how many orders a buyer finished, and how many of them were refunded. */
  buyerOrderHistory = (db: Db, buyerId: string): Promise<BuyerOrderHistory> => buyerOrderHistory(db, buyerId);

  /** For the size assistant's insights: purchased order lines per product. */
  purchasedLineCounts = (productIds: string[]): Promise<Map<string, number>> =>
    purchasedLineCounts(this.deps.db, productIds);

  /** For the size assistant's metrics: purchased order lines of orders placed in [from, to). */
  purchasedLines = (from: Date, to: Date): Promise<PurchasedLine[]> => purchasedLines(this.deps.db, from, to);

  /**
   * For the newbie village: each store's earliest shipments within the shipping promise
   * (SHIP_WITHIN_HOURS after payment), one per buyer, the first `buyers` buyers, earliest first (so
   * the caller can pass over orders bought by the store's owner); stores that have none are absent.
   */
  async firstOnTimeShipments(
    storeIds: string[],
    buyers = 3,
  ): Promise<Map<string, Array<{ buyerId: string; shippedAt: Date }>>> {
    if (storeIds.length === 0) return new Map();
    const r = await sql<{ store_id: string; buyer_id: string; shipped_at: Date }>`
      select store_id, buyer_id, shipped_at from (
        select store_id, buyer_id, min(shipped_at) as shipped_at,
               row_number() over (partition by store_id order by min(shipped_at), buyer_id) as n
        from orders
        where store_id = any(${storeIds}::uuid[]) and shipped_at is not null
          and shipped_at <= paid_at + make_interval(hours => ${SHIP_WITHIN_HOURS})
        group by store_id, buyer_id
      ) firsts
      where n <= ${buyers}
      order by store_id, n`.execute(this.deps.db);
    const byStore = new Map<string, Array<{ buyerId: string; shippedAt: Date }>>();
    for (const row of r.rows) {
      const list = byStore.get(row.store_id) ?? [];
      list.push({ buyerId: row.buyer_id, shippedAt: new Date(row.shipped_at) });
      byStore.set(row.store_id, list);
    }
    return byStore;
  }

  // ---- internals ----

  private async list(q: ListQuery, owner: ReturnType<typeof sql>): Promise<Page<OrderView>> {
    const { db } = this.deps;
    const status = q.status ? sql`and status in (${sql.join(q.status)})` : sql``;
    const total = await sql<{
      n: number;
    }>`select count(*)::int as n from orders where ${owner} ${status}`.execute(db);
    const rows = await sql<OrderRow>`
      select * from orders where ${owner} ${status}
      order by created_at desc, id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(db);
    return {
      items: await loadOrderViews(db, rows.rows),
      total: total.rows[0]?.n ?? 0,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async getOne(
    orderId: string,
    owner: ReturnType<typeof sql>,
    db: Db = this.deps.db,
  ): Promise<{ order: OrderView }> {
    const rows = await sql<OrderRow>`select * from orders where id = ${orderId} and ${owner}`.execute(db);
    const [order] = await loadOrderViews(db, rows.rows, true);
    if (!order) throw notFound('Order');
    return { order };
  }

  /**
   * One state change of one order, in one transaction: lock the row (only if the actor may see
   * it; otherwise 404), check the state machine, apply, record the event, run the side effects.
   * With an idempotency key, all of it runs at most once per (account, key): the answer is stored
   * in the same transaction and a retry replays it (scope `order-action`, body = action + order,
   * so the key used for another order or action is a 409).
   */
  private async change(
    orderId: string,
    owner: { buyerId?: string; storeId?: string },
    event: OrderEvent,
    actor: string,
    effects: (trx: Db, order: OrderRow) => Promise<Record<string, unknown>>,
    idempotency?: { accountId: string; key: string },
  ): Promise<OrderChange> {
    const { db, clock } = this.deps;
    const ownerSql = owner.buyerId
      ? sql`buyer_id = ${owner.buyerId}`
      : sql`store_id = ${owner.storeId ?? null}`;
    const apply = async (trx: Db): Promise<{ order: OrderView }> => {
      const found =
        await sql<OrderRow>`select * from orders where id = ${orderId} and ${ownerSql} for update`.execute(
          trx,
        );
      const order = found.rows[0];
      if (!order) throw notFound('Order');
      const to = transition(order.status, event);
      const extra = await effects(trx, order);
      const set = Object.entries({ status: to, ...extra }).map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
      await sql`update orders set ${sql.join(set)} where id = ${orderId}`.execute(trx);
      await this.recordEvents(trx, [orderId], order.status, to, actor, clock.now());
      return this.getOne(orderId, sql`true`, trx);
    };
    return db.transaction().execute(async (trx) => {
      if (!idempotency) return { body: await apply(trx), replayed: false };
      const result = await idempotent(
        trx,
        clock,
        {
          accountId: idempotency.accountId,
          scope: 'order-action',
          key: idempotency.key,
          body: { action: event, orderId },
        },
        200,
        () => apply(trx),
      );
      return { body: result.response, replayed: result.replayed };
    });
  }

  /** The orders' lines as their events carry them (stock lines too: SKU and quantity). */
  private async orderLines(trx: Db, orderIds: string[]): Promise<OrderEventLine[]> {
    const lines = await sql<EventLineRow>`
      select sku_id, product_id, quantity, paid_fen, unit_price_fen, channel, impression_id, content_id
      from order_lines where order_id = any(${orderIds}::uuid[])`.execute(trx);
    return eventLines(lines.rows);
  }

  private async recordEvents(
    trx: Db,
    orderIds: string[],
    from: OrderStatus,
    to: OrderStatus,
    actor: string,
    at: Date,
  ): Promise<void> {
    if (orderIds.length === 0) return;
    await sql`
      insert into order_events (order_id, from_status, to_status, actor, at)
      select id, ${from}, ${to}, ${actor}, ${at}::timestamptz from unnest(${orderIds}::uuid[]) as t(id)`.execute(
      trx,
    );
  }
}
