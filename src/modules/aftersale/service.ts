import { sql } from 'kysely';
import { type Actor, assertBuyer, assertMerchant, assertOperator } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { captureStock, releaseStock, reserveForSale, skusForSale } from '../catalog/index.ts';
import { storeSummaries } from '../merchants/index.ts';
import type { OrderView } from '../orders/index.ts';
import type { AftersaleEventView, AftersaleView, StoreAftersaleSettings } from './api-schema.ts';
import { type AftersaleKind, type DecisionRule, routeRequest } from './auto-approval.ts';
import { type AftersalePolicy, aftersalePolicy, policyFrom } from './policy.ts';
import { shippingSubsidy } from './shipping-subsidy.ts';
import { type AftersaleReason, type AftersaleStatus, CANCELLABLE, OPEN_STATUSES } from './states.ts';
import { type StoreAftersaleOffers, storeAftersaleOffers } from './store-offers.ts';
import type { AftersaleDb, EventRow, RequestRow } from './tables.ts';

export { AFTERSALE_REASONS, type AftersaleReason, type AftersaleStatus } from './states.ts';
export type { AftersaleView };

/** One line's money as orders keeps it (orders.lineMoney). */
export interface LineMoney {
  skuId: string;
  quantity: number;
  paidFen: number;
  refundedFen: number;
  refundedQuantity: number;
}

/** What after-sale needs from orders (orders' service; the money calls are the ledger's interface). */
export interface AftersaleOrders {
  getForBuyer(actor: Actor, orderId: string): Promise<{ order: OrderView }>;
  /** The order's lines' paid and refunded money (orders.lineMoney). */
  lineMoneyOf(db: Db, orderId: string): Promise<LineMoney[] | null>;
  holdSettlement(trx: Db, orderId: string, ref: string): Promise<void>;
  /** Removes the hold; settles the order if it is completed and nothing else holds it. */
  releaseSettlement(trx: Db, orderId: string, ref: string): Promise<void>;
}

export interface RefundLinesInput {
  orderId: string;
  reference: string;
  reason: string;
  funder: 'merchant' | 'platform';
  lines: Array<{ skuId: string; quantity: number; amountFen: number }>;
  actor: string;
}
export interface CompensateInput {
  reference: string;
  orderId: string;
  storeId: string;
  amountFen: number;
  funder: 'merchant' | 'platform';
  expense: string;
  kind: 'shipping_subsidy';
}

/** The money after-sale moves: per-line refunds (orders) and compensations (payments), in the caller's transaction. */
export interface AftersaleMoney {
  refundLines(trx: Db, input: RefundLinesInput): Promise<{ refundedFen: number; duplicate: boolean }>;
  compensateBuyer(trx: Db, input: CompensateInput): Promise<{ amountFen: number }>;
}

export interface AftersaleDeps {
  db: AftersaleDb;
  clock: Clock;
  orders: AftersaleOrders;
  money: AftersaleMoney;
  /** Publishes `aftersale.requested` (the size assistant learns from size reasons). */
  events: Publisher;
}

export interface CreateRequestInput {
  orderId: string;
  skuId: string;
  kind?: AftersaleKind;
  reason: AftersaleReason;
  quantity?: number;
  amountFen?: number;
  exchangeSkuId?: string;
  note?: string;
}

/** The answer of a money-moving action; `replayed` when an Idempotency-Key retry got the first answer. */
export interface AftersaleChange {
  body: { request: AftersaleView };
  replayed: boolean;
}

export interface Parcel {
  carrier: string;
  trackingNo: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SLA_BATCH = 100;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const parcelView = (carrier: string | null, no: string | null, at: Date | null, received: Date | null) =>
  carrier && no && at
    ? { carrier, trackingNo: no, shippedAt: iso(at) as string, receivedAt: iso(received) }
    : null;

export const view = (r: RequestRow): AftersaleView => ({
  id: r.id,
  orderId: r.order_id,
  skuId: r.sku_id,
  productId: r.product_id,
  storeId: r.store_id,
  kind: r.kind,
  reason: r.reason,
  note: r.note,
  quantity: r.quantity,
  amountFen: Number(r.amount_fen),
  exchangeSkuId: r.exchange_sku_id,
  status: r.status,
  dueAt: iso(r.due_at),
  decidedByRule: r.decided_by_rule as DecisionRule | null,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  decisionNote: r.decision_note,
  returnParcel: parcelView(r.return_carrier, r.return_tracking_no, r.return_shipped_at, r.return_received_at),
  replacementParcel: parcelView(
    r.replacement_carrier,
    r.replacement_tracking_no,
    r.replacement_shipped_at,
    null,
  ),
  refundedFen: Number(r.refunded_fen),
  shippingSubsidyFen: Number(r.shipping_subsidy_fen),
  shippingSubsidyFunder: r.shipping_subsidy_funder,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  closedAt: iso(r.closed_at),
});

const eventView = (e: EventRow): AftersaleEventView => ({
  action: e.action,
  fromStatus: e.from_status,
  toStatus: e.to_status,
  rule: e.rule as DecisionRule | null,
  actor: e.actor,
  note: e.note,
  at: new Date(e.at).toISOString(),
});

/** A change of a request's status, recorded on its timeline. */
interface Step {
  to: AftersaleStatus;
  action: string;
  actor: string;
  rule?: DecisionRule | null;
  note?: string;
  /** Records the rule, actor and time on the request (approvals and rejections). */
  decision?: boolean;
  due?: Date | null;
  set?: Record<string, unknown>;
}

/**
 * After-sale: refund only, return and refund, exchange. A new request is routed by the rules
 * (auto-approval.ts) to an immediate approval, operator review (abuse limits) or the merchant's
 * queue with an SLA; every decision records its rule, actor and time; the money moves through
 * orders' per-line refund and payments' compensation in the same transaction as the decision.
 * An open request holds its order's settlement; closing it releases the hold.
 */
export class AftersaleService {
  constructor(private readonly deps: AftersaleDeps) {}

  // ---- policy and store settings ----

  async policy(db: Db = this.deps.db): Promise<{ policy: AftersalePolicy; updatedAt: string | null }> {
    const r = await sql<{ policy: unknown; updated_at: Date }>`
      select policy, updated_at from aftersale_policy where id = 1`.execute(db);
    const row = r.rows[0];
    return { policy: policyFrom(row?.policy), updatedAt: iso(row?.updated_at ?? null) };
  }

  async policyForOps(actor: Actor) {
    assertOperator(actor);
    return this.policy();
  }

  async setPolicy(actor: Actor, input: AftersalePolicy) {
    assertOperator(actor);
    const policy = aftersalePolicy.parse(input);
    const now = this.deps.clock.now();
    await sql`
      insert into aftersale_policy (id, policy, updated_by, updated_at)
      values (1, ${JSON.stringify(policy)}::jsonb, ${`operator:${actor.accountId}`}, ${now})
      on conflict (id) do update set policy = excluded.policy, updated_by = excluded.updated_by,
                                     updated_at = excluded.updated_at`.execute(this.deps.db);
    return this.policy();
  }

  /** For the auto-confirm task (orders confirms receipt this many days after delivery). */
  async autoConfirmDays(): Promise<number> {
    return (await this.policy()).policy.autoConfirmDays;
  }

  async storeSettings(actor: Actor, db: Db = this.deps.db): Promise<StoreAftersaleSettings> {
    const storeId = assertMerchant(actor);
    return this.settingsOf(db, storeId);
  }

  async setStoreSettings(actor: Actor, input: StoreAftersaleSettings): Promise<StoreAftersaleSettings> {
    const storeId = assertMerchant(actor);
    await sql`
      insert into aftersale_store_settings (store_id, low_price_refund_only, shipping_insurance, updated_at)
      values (${storeId}, ${input.lowPriceRefundOnly}, ${input.shippingInsurance}, ${this.deps.clock.now()})
      on conflict (store_id) do update set low_price_refund_only = excluded.low_price_refund_only,
        shipping_insurance = excluded.shipping_insurance, updated_at = excluded.updated_at`.execute(
      this.deps.db,
    );
    return this.settingsOf(this.deps.db, storeId);
  }

  /** For the store's guarantee badges (guarantees module): what its buyers can count on now; null = no such store. */
  async offersOf(storeId: string): Promise<StoreAftersaleOffers | null> {
    const { db, clock } = this.deps;
    const [{ policy }, store, summaries, spent] = await Promise.all([
      this.policy(db),
      this.settingsOf(db, storeId),
      storeSummaries(db, [storeId]),
      this.platformShippingSpentFen(db),
    ]);
    const summary = summaries.get(storeId);
    if (!summary) return null;
    const openedAt = summary.openedAt;
    return storeAftersaleOffers(
      {
        store: { ...store, openedAt: openedAt ? new Date(openedAt) : null },
        now: clock.now(),
        platformSpentFen: spent,
      },
      policy,
    );
  }

  /** What the platform has paid for return shipping so far (its budget's drawdown). */
  private async platformShippingSpentFen(db: Db): Promise<number> {
    const spent = await sql<{ fen: number }>`
      select coalesce(sum(shipping_subsidy_fen), 0)::bigint as fen from aftersale_requests
      where shipping_subsidy_funder = 'platform'`.execute(db);
    return Number(spent.rows[0]?.fen ?? 0);
  }

  private async settingsOf(db: Db, storeId: string): Promise<StoreAftersaleSettings> {
    const r = await sql<{ low_price_refund_only: boolean; shipping_insurance: boolean }>`
      select low_price_refund_only, shipping_insurance from aftersale_store_settings
      where store_id = ${storeId}`.execute(db);
    const row = r.rows[0];
    return {
      lowPriceRefundOnly: row?.low_price_refund_only ?? false,
      shippingInsurance: row?.shipping_insurance ?? false,
    };
  }

  // ---- buyer ----

  /**
   * A buyer asks for after-sale on (some units of) one line of a delivered or completed order
   * (refund-only "not received" also on a shipped one). Routed at once: approved by a rule (and
   * refunded), to operator review, or to the merchant with an SLA.
   */
  async request(actor: Actor, input: CreateRequestInput, idempotencyKey?: string): Promise<AftersaleChange> {
    assertBuyer(actor);
    const kind = input.kind ?? 'return_refund';
    const { order } = await this.deps.orders.getForBuyer(actor, input.orderId);
    const notReceived = kind === 'refund_only' && input.reason === 'not_received';
    const allowed = notReceived ? ['shipped', 'delivered', 'completed'] : ['delivered', 'completed'];
    if (order.status === 'refunded')
      throw conflict('nothing_to_refund', 'This order has been refunded already');
    if (!allowed.includes(order.status)) {
      throw conflict('not_delivered', 'After-sale opens once the order has been delivered', {
        status: order.status,
      });
    }
    const line = order.lines.find((l) => l.skuId === input.skuId);
    const lineMoney = line ? await this.deps.orders.lineMoneyOf(this.deps.db, order.id) : null;
    const { db, clock } = this.deps;
    const now = clock.now();
    const created = await db.transaction().execute((trx) =>
      this.once(trx, actor, idempotencyKey, { action: 'create', ...input }, 201, async () => {
        if (!line) throw notFound('Order line');
        const money = lineMoney?.find((l) => l.skuId === line.skuId);
        if (!money) throw notFound('Order line');
        const remaining = money.quantity - money.refundedQuantity;
        const refundable = money.paidFen - money.refundedFen;
        if (remaining <= 0 || refundable <= 0) {
          throw conflict('nothing_to_refund', 'This line has been refunded already');
        }
        const quantity = input.quantity ?? remaining;
        if (quantity > remaining) {
          throw unprocessable('quantity_exceeds_line', 'More units than the line has left', { remaining });
        }
        const maxFen = quantity === remaining ? refundable : Math.floor((refundable * quantity) / remaining);
        if (input.amountFen !== undefined && kind === 'exchange') {
          throw unprocessable('exchange_has_no_amount', 'An exchange refunds nothing; leave the amount out');
        }
        if (input.amountFen !== undefined && input.amountFen > maxFen) {
          throw unprocessable('amount_exceeds_line', 'More than was paid for these units', { maxFen });
        }
        const amountFen = input.amountFen ?? maxFen;
        if (amountFen <= 0) throw conflict('nothing_to_refund', 'This line has been refunded already');
        if (kind === 'exchange')
          await this.checkExchangeSku(trx, input.exchangeSkuId, line.productId, line.skuId);
        else if (input.exchangeSkuId) {
          throw unprocessable('exchange_sku_unexpected', 'Only an exchange names the SKU wanted instead');
        }

        const policy = (await this.policy(trx)).policy;
        const id = newId();
        const inserted = await sql<RequestRow>`
        insert into aftersale_requests (id, order_id, sku_id, product_id, store_id, buyer_id, kind, reason, note,
                                        quantity, refund_units, amount_fen, exchange_sku_id, province, status,
                                        created_at, updated_at)
        values (${id}, ${order.id}, ${line.skuId}, ${line.productId}, ${order.storeId}, ${actor.accountId},
                ${kind}, ${input.reason}, ${input.note ?? ''}, ${quantity}, ${amountFen >= maxFen ? quantity : 0}, ${amountFen},
                ${kind === 'exchange' ? (input.exchangeSkuId ?? null) : null}, ${order.address.province},
                'requested', ${now}, ${now})
        on conflict (order_id, sku_id) where status in ('requested', 'review', 'approved', 'returning')
        do nothing returning *`.execute(trx);
        let row = inserted.rows[0];
        if (!row) throw conflict('request_exists', 'This order line already has an open after-sale request');
        await this.record(trx, row, {
          to: 'requested',
          action: 'requested',
          actor: `buyer:${actor.accountId}`,
          note: row.note,
        });
        await this.deps.orders.holdSettlement(trx, order.id, holdRef(id));
        if (kind === 'exchange' && row.exchange_sku_id) {
          const reserved = await reserveForSale(trx, [{ skuId: row.exchange_sku_id, quantity }], {
            actor: `buyer:${actor.accountId}`,
            at: now,
            reason: 'aftersale_exchange',
            ref: order.id,
          });
          if (!reserved.get(row.exchange_sku_id)?.reserved) {
            throw conflict('out_of_stock', 'The size wanted is out of stock', { skuId: row.exchange_sku_id });
          }
        }
        await this.deps.events.publish(trx, 'aftersale.requested', {
          requestId: row.id,
          orderId: row.order_id,
          skuId: row.sku_id,
          buyerId: row.buyer_id,
          reason: row.reason,
        });

        const stats = await this.buyerStats(trx, actor.accountId, now, id);
        const store = await this.settingsOf(trx, order.storeId);
        const routing = routeRequest(
          {
            kind,
            reason: input.reason,
            amountFen,
            unitPaidFen: Math.floor(money.paidFen / money.quantity),
            orderStatus: order.status,
            shippedAt: order.shippedAt ? new Date(order.shippedAt) : null,
            deliveredAt: order.deliveredAt ? new Date(order.deliveredAt) : null,
            now,
            buyer: {
              count30d: stats.count + 1,
              amountFen30d: stats.amountFen + amountFen,
              rejected30d: stats.rejected,
            },
            store: { lowPriceRefundOnly: store.lowPriceRefundOnly },
          },
          policy,
        );
        if (routing.to === 'approve') {
          row = await this.approve(trx, row, { actor: 'system:rules', rule: routing.rule }, policy);
        } else if (routing.to === 'review') {
          row = await this.record(trx, row, {
            to: 'review',
            action: 'flagged',
            actor: 'system:rules',
            rule: routing.rule,
            due: null,
          });
        } else {
          row = await this.setDue(trx, row, new Date(now.getTime() + policy.merchantSlaHours * HOUR));
        }
        return { request: view(row) };
      }),
    );
    return { body: created.response, replayed: created.replayed };
  }

  async listForBuyer(actor: Actor): Promise<{ items: AftersaleView[] }> {
    assertBuyer(actor);
    const r = await sql<RequestRow>`
      select * from aftersale_requests where buyer_id = ${actor.accountId}
      order by created_at desc, id limit 200`.execute(this.deps.db);
    return { items: r.rows.map(view) };
  }

  async detail(actor: Actor, id: string) {
    const row = await this.visible(this.deps.db, actor, id);
    const events = await sql<EventRow>`
      select * from aftersale_events where request_id = ${id} order by id`.execute(this.deps.db);
    return { request: view(row), timeline: events.rows.map(eventView) };
  }

  /** The buyer ships an approved return back: the merchant then confirms receipt within the SLA. */
  async submitReturn(actor: Actor, id: string, parcel: Parcel): Promise<{ request: AftersaleView }> {
    assertBuyer(actor);
    return this.act(actor, id, async (trx, row, policy, now) => {
      if (row.kind !== 'return_refund' || row.status !== 'approved') throw badState(row);
      return this.record(trx, row, {
        to: 'returning',
        action: 'return_shipped',
        actor: `buyer:${actor.accountId}`,
        due: new Date(now.getTime() + policy.returnReceiptSlaHours * HOUR),
        set: {
          return_carrier: parcel.carrier,
          return_tracking_no: parcel.trackingNo,
          return_shipped_at: now,
        },
      });
    });
  }

  async cancel(actor: Actor, id: string): Promise<{ request: AftersaleView }> {
    assertBuyer(actor);
    return this.act(actor, id, async (trx, row) => {
      if (!CANCELLABLE.includes(row.status)) throw badState(row);
      return this.close(trx, row, {
        to: 'cancelled',
        action: 'cancelled',
        actor: `buyer:${actor.accountId}`,
        rule: 'buyer_cancelled',
      });
    });
  }

  // ---- merchant ----

  /** The store's queue: open requests first, soonest due first; then the closed ones, newest first. */
  async listForStore(actor: Actor, status?: AftersaleStatus[]): Promise<{ items: AftersaleView[] }> {
    const storeId = assertMerchant(actor);
    const filter = status?.length ? sql`and status = any(${status}::text[])` : sql``;
    const r = await sql<RequestRow>`
      select * from aftersale_requests where store_id = ${storeId} ${filter}
      order by (status = any(${OPEN_STATUSES}::text[])) desc, due_at asc nulls last, created_at desc, id
      limit 200`.execute(this.deps.db);
    return { items: r.rows.map(view) };
  }

  /** The merchant (on `requested`) or an operator (on `requested` or `review`) approves or rejects. */
  async decide(
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; note?: string },
    idempotencyKey?: string,
  ): Promise<AftersaleChange> {
    const byOperator = actor.role === 'operator';
    if (!byOperator) assertMerchant(actor);
    const key = idempotencyKey && { key: idempotencyKey, body: { action: 'decide', id, ...input } };
    return this.actOnce(actor, id, key, async (trx, row, policy) => {
      const open = byOperator ? ['requested', 'review'] : ['requested'];
      if (!open.includes(row.status)) throw badState(row);
      const who = {
        actor: `${actor.role}:${actor.accountId}`,
        rule: byOperator ? 'operator_decision' : 'merchant_decision',
      } as const;
      if (input.decision === 'approve') return this.approve(trx, row, { ...who, note: input.note }, policy);
      if (!input.note) throw unprocessable('reason_required', 'Say why the request is rejected');
      return this.close(trx, row, {
        to: 'rejected',
        action: 'rejected',
        ...who,
        note: input.note,
        decision: true,
      });
    });
  }

  /** The merchant received the returned goods: the buyer is refunded (and compensated for shipping). */
  async confirmReturn(actor: Actor, id: string, idempotencyKey?: string): Promise<AftersaleChange> {
    assertMerchant(actor);
    const key = idempotencyKey && { key: idempotencyKey, body: { action: 'return-received', id } };
    return this.actOnce(actor, id, key, async (trx, row, policy) => {
      if (row.status !== 'returning') throw badState(row);
      return this.refundReturn(trx, row, `merchant:${actor.accountId}`, null, policy);
    });
  }

  /** The merchant shipped the replacement of an approved exchange: the request closes. */
  async shipReplacement(actor: Actor, id: string, parcel: Parcel): Promise<{ request: AftersaleView }> {
    assertMerchant(actor);
    return this.act(actor, id, async (trx, row, _policy, now) => {
      if (row.kind !== 'exchange' || row.status !== 'approved' || !row.exchange_sku_id) throw badState(row);
      await captureStock(trx, [{ skuId: row.exchange_sku_id, quantity: row.quantity }], {
        actor: `merchant:${actor.accountId}`,
        at: now,
        reason: 'aftersale_exchange_shipped',
        ref: row.order_id,
      });
      return this.close(trx, row, {
        to: 'exchanged',
        action: 'replacement_shipped',
        actor: `merchant:${actor.accountId}`,
        set: {
          replacement_carrier: parcel.carrier,
          replacement_tracking_no: parcel.trackingNo,
          replacement_shipped_at: now,
        },
      });
    });
  }

  // ---- operator ----

  async listForOps(actor: Actor, status?: AftersaleStatus[]): Promise<{ items: AftersaleView[] }> {
    assertOperator(actor);
    const filter = status?.length ? sql`where status = any(${status}::text[])` : sql``;
    const r = await sql<RequestRow>`
      select * from aftersale_requests ${filter} order by created_at desc, id limit 200`.execute(
      this.deps.db,
    );
    return { items: r.rows.map(view) };
  }

  // ---- the SLA clock ----

  /**
   * Requests past their step's deadline (the `aftersale.sla` task): the merchant's silence
   * approves, a return the buyer never shipped closes, a return the merchant never confirmed is
   * taken as received and refunded. Each in its own transaction; returns how many moved.
   */
  async slaDue(now: Date = this.deps.clock.now()): Promise<number> {
    const due = await sql<{ id: string }>`
      select id from aftersale_requests
      where status in ('requested', 'approved', 'returning') and due_at is not null and due_at <= ${now}
      order by due_at limit ${SLA_BATCH}`.execute(this.deps.db);
    let moved = 0;
    let failed: unknown = null;
    for (const { id } of due.rows) {
      // One request that cannot move (its refund refused) must not hold back the others behind it.
      moved += await this.slaOne(id, now).catch((err) => {
        failed ??= err;
        return 0;
      });
    }
    if (failed && moved === 0) throw failed;
    return moved;
  }

  private async slaOne(id: string, now: Date): Promise<number> {
    return this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<RequestRow>`
          select * from aftersale_requests where id = ${id} and due_at <= ${now}
            and status in ('requested', 'approved', 'returning')
          for update skip locked`.execute(trx);
      const row = r.rows[0];
      if (!row) return 0;
      const policy = (await this.policy(trx)).policy;
      const sla = { actor: 'system:sla', rule: 'sla_timeout' } as const;
      if (row.status === 'requested') await this.approve(trx, row, sla, policy);
      else if (row.status === 'returning') await this.refundReturn(trx, row, sla.actor, sla.rule, policy);
      else if (row.kind === 'return_refund') {
        await this.close(trx, row, {
          to: 'cancelled',
          action: 'return_not_shipped',
          actor: 'system:sla',
          rule: 'return_not_shipped',
        });
      } else return 0;
      return 1;
    });
  }

  // ---- internals ----

  /** Approves: refund-only is refunded at once; a return waits for the parcel; an exchange for the replacement. */
  private async approve(
    trx: Db,
    row: RequestRow,
    by: { actor: string; rule: DecisionRule; note?: string },
    policy: AftersalePolicy,
  ): Promise<RequestRow> {
    const now = this.deps.clock.now();
    const decided = { actor: by.actor, rule: by.rule, note: by.note, decision: true };
    if (row.kind === 'refund_only') {
      const refunded = await this.refund(trx, row, by.actor);
      return this.close(trx, row, { to: 'refunded', action: 'approved_refunded', ...decided, set: refunded });
    }
    const due = row.kind === 'return_refund' ? new Date(now.getTime() + policy.returnShipDays * DAY) : null;
    return this.record(trx, row, { to: 'approved', action: 'approved', ...decided, due });
  }

  private async refundReturn(
    trx: Db,
    row: RequestRow,
    actor: string,
    rule: DecisionRule | null,
    policy: AftersalePolicy,
  ): Promise<RequestRow> {
    const now = this.deps.clock.now();
    const refunded = await this.refund(trx, row, actor);
    const subsidy = await this.payShippingSubsidy(trx, row, policy);
    const paid = subsidy && subsidy.fen > 0 ? subsidy : null;
    return this.close(trx, row, {
      to: 'refunded',
      action: 'return_received_refunded',
      actor,
      rule,
      // Less than due only on a pay-later bill that holds less than the subsidy (capped, see payments).
      note:
        subsidy && subsidy.fen < subsidy.dueFen
          ? `return_shipping_subsidy_capped_at_bill: ${subsidy.fen}/${subsidy.dueFen}`
          : '',
      set: {
        ...refunded,
        return_received_at: now,
        shipping_subsidy_fen: paid?.fen ?? 0,
        shipping_subsidy_funder: paid?.funder ?? null,
      },
    });
  }

  /**
   * The line refund, charged to the merchant, idempotent by `aftersale:<id>`; `aftersale.refunded` is
   * published with it (growth's rebates are net of it, analytics counts refunds by reason).
   */
  private async refund(trx: Db, row: RequestRow, actor: string): Promise<Record<string, unknown>> {
    const { refundedFen, duplicate } = await this.deps.money.refundLines(trx, {
      orderId: row.order_id,
      reference: `aftersale:${row.id}`,
      reason: `aftersale_${row.reason}`,
      funder: 'merchant',
      lines: [{ skuId: row.sku_id, quantity: row.refund_units, amountFen: Number(row.amount_fen) }],
      actor,
    });
    if (!duplicate) {
      await this.deps.events.publish(trx, 'aftersale.refunded', {
        requestId: row.id,
        orderId: row.order_id,
        storeId: row.store_id,
        buyerId: row.buyer_id,
        skuId: row.sku_id,
        reason: row.reason,
        amountFen: refundedFen,
        at: this.deps.clock.now().toISOString(),
      });
    }
    return { refunded_fen: refundedFen };
  }

  private async payShippingSubsidy(trx: Db, row: RequestRow, policy: AftersalePolicy) {
    const store = await this.settingsOf(trx, row.store_id);
    const summary = (await storeSummaries(trx, [row.store_id])).get(row.store_id);
    const subsidy = shippingSubsidy(
      {
        province: row.province,
        store: {
          shippingInsurance: store.shippingInsurance,
          openedAt: summary?.openedAt ? new Date(summary.openedAt) : null,
        },
        now: this.deps.clock.now(),
        platformSpentFen: await this.platformShippingSpentFen(trx),
      },
      policy,
    );
    if (!subsidy) return null;
    // Paid as a provider payout to the buyer's payment method (not a refund of the capture, so a
    // full return of everything the payment covered still gets it); a pay-later bill not charged
    // yet shrinks instead, capped at what it still holds (`amountFen` is what was paid).
    const paid = await this.deps.money.compensateBuyer(trx, {
      reference: `aftersale:${row.id}:return_shipping`,
      orderId: row.order_id,
      storeId: row.store_id,
      amountFen: subsidy.fen,
      funder: subsidy.funder,
      expense: 'return_shipping',
      kind: 'shipping_subsidy',
    });
    return { ...subsidy, fen: paid.amountFen, dueFen: subsidy.fen };
  }

  /** Ends a request: the exchange's reserved units go back to sale, the order's settlement is released. */
  private async close(trx: Db, row: RequestRow, step: Step): Promise<RequestRow> {
    const now = this.deps.clock.now();
    if (row.kind === 'exchange' && row.exchange_sku_id && step.to !== 'exchanged') {
      await releaseStock(trx, [{ skuId: row.exchange_sku_id, quantity: row.quantity }], {
        actor: step.actor,
        at: now,
        reason: 'aftersale_exchange_closed',
        ref: row.order_id,
      });
    }
    const closed = await this.record(trx, row, { ...step, due: null, set: { ...step.set, closed_at: now } });
    await this.deps.orders.releaseSettlement(trx, row.order_id, holdRef(row.id));
    return closed;
  }

  /** Moves the request to `step.to` (only from the status it was read in) and records it on the timeline. */
  private async record(trx: Db, row: RequestRow, step: Step): Promise<RequestRow> {
    const now = this.deps.clock.now();
    const isNew = step.action === 'requested';
    const set: Record<string, unknown> = { ...step.set, status: step.to, updated_at: now };
    if (step.due !== undefined) set.due_at = step.due;
    if (step.decision) {
      set.decided_by_rule = step.rule ?? null;
      set.decided_by = step.actor;
      set.decided_at = now;
      set.decision_note = step.note ?? '';
    }
    let next = row;
    if (!isNew) {
      const assignments = Object.entries(set).map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
      const updated = await sql<RequestRow>`
        update aftersale_requests set ${sql.join(assignments)}
        where id = ${row.id} and status = ${row.status} returning *`.execute(trx);
      const u = updated.rows[0];
      if (!u) throw badState(row);
      next = u;
    }
    await sql`
      insert into aftersale_events (request_id, action, from_status, to_status, rule, actor, note, at)
      values (${row.id}, ${step.action}, ${isNew ? null : row.status}, ${step.to}, ${step.rule ?? null},
              ${step.actor}, ${(step.note ?? '').slice(0, 500)}, ${now})`.execute(trx);
    return next;
  }

  private async setDue(trx: Db, row: RequestRow, due: Date): Promise<RequestRow> {
    const r = await sql<RequestRow>`
      update aftersale_requests set due_at = ${due} where id = ${row.id} returning *`.execute(trx);
    return r.rows[0] ?? row;
  }

  /** The buyer's requests of the last 30 days (cancelled left out, `except` too): count, amount, rejected. */
  private async buyerStats(trx: Db, buyerId: string, now: Date, except: string) {
    const since = new Date(now.getTime() - 30 * DAY);
    const r = await sql<{ n: number; fen: number; rejected: number }>`
      select count(*)::int as n, coalesce(sum(amount_fen), 0)::bigint as fen,
             (count(*) filter (where status = 'rejected'))::int as rejected
      from aftersale_requests
      where buyer_id = ${buyerId} and created_at > ${since} and status <> 'cancelled' and id <> ${except}`.execute(
      trx,
    );
    const s = r.rows[0];
    return { count: s?.n ?? 0, amountFen: Number(s?.fen ?? 0), rejected: s?.rejected ?? 0 };
  }

  private async checkExchangeSku(trx: Db, skuId: string | undefined, productId: string, current: string) {
    if (!skuId) throw unprocessable('exchange_sku_required', 'Name the size (SKU) wanted instead');
    const sku = (await skusForSale(trx, [skuId])).get(skuId);
    if (!sku || sku.productId !== productId || skuId === current) {
      throw unprocessable('exchange_sku_invalid', 'Exchange for another size or colour of the same product');
    }
  }

  /** A request the actor may see (buyer: theirs; merchant: their store's; operator: all), or 404. */
  private async visible(db: Db, actor: Actor, id: string, lock = false): Promise<RequestRow> {
    const owner =
      actor.role === 'buyer'
        ? sql`buyer_id = ${actor.accountId}`
        : actor.role === 'merchant'
          ? sql`store_id = ${actor.storeId ?? null}`
          : sql`true`;
    const r = await sql<RequestRow>`
      select * from aftersale_requests where id = ${id} and ${owner} ${lock ? sql`for update` : sql``}`.execute(
      db,
    );
    const row = r.rows[0];
    if (!row) throw notFound('After-sale request');
    return row;
  }

  /** One action on one request, in one transaction, with the request row locked. */
  private async act(
    actor: Actor,
    id: string,
    work: (trx: Db, row: RequestRow, policy: AftersalePolicy, now: Date) => Promise<RequestRow>,
  ): Promise<{ request: AftersaleView }> {
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.visible(trx, actor, id, true);
      const policy = (await this.policy(trx)).policy;
      return work(trx, row, policy, this.deps.clock.now());
    });
    return { request: view(done) };
  }

  /** `act`, at most once per Idempotency-Key when one is given (a retry gets the first answer). */
  private async actOnce(
    actor: Actor,
    id: string,
    key: { key: string; body: unknown } | undefined | '',
    work: (trx: Db, row: RequestRow, policy: AftersalePolicy, now: Date) => Promise<RequestRow>,
  ): Promise<AftersaleChange> {
    const done = await this.deps.db.transaction().execute((trx) =>
      this.once(trx, actor, key ? key.key : undefined, key ? key.body : null, 200, async () => {
        const row = await this.visible(trx, actor, id, true);
        const policy = (await this.policy(trx)).policy;
        return { request: view(await work(trx, row, policy, this.deps.clock.now())) };
      }),
    );
    return { body: done.response, replayed: done.replayed };
  }

  private async once<T>(
    trx: Db,
    actor: Actor,
    key: string | undefined,
    body: unknown,
    statusCode: number,
    work: () => Promise<T>,
  ): Promise<{ response: T; replayed: boolean }> {
    if (!key) return { response: await work(), replayed: false };
    const r = await idempotent(
      trx,
      this.deps.clock,
      { accountId: actor.accountId, scope: 'aftersale', key, body },
      statusCode,
      work,
    );
    return { response: r.response, replayed: r.replayed };
  }
}

const holdRef = (id: string) => `aftersale:${id}`;

function badState(row: RequestRow) {
  return conflict('aftersale_state', `This request is ${row.status}; that cannot be done now`, {
    status: row.status,
    kind: row.kind,
  });
}
