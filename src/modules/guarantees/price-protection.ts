import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import {
  compensationFen,
  type Funder,
  funderOf,
  groupForQuotes,
  isProtected,
  netPaidFen,
  nowFenFor,
  PROTECTION_CHANNEL,
  type PriceChangeCause,
  protectedSince,
  protectionReference,
} from './compensation.ts';
import type { GuaranteesOrders, GuaranteesPricing, ProtectedLineRow } from './ports.ts';

/** A price drop as `price.changed` announces it. */
export interface PriceDrop {
  skuId: string;
  changeId: string;
  cause: PriceChangeCause;
  at: Date;
}

/** One payout to write: a line, what it paid, what it costs now, what it gets back. */
export interface PlannedPayout {
  line: ProtectedLineRow;
  changeId: string;
  funder: Funder;
  quantity: number;
  nowFen: number;
  paidFen: number;
  amountFen: number;
  source: 'price_change' | 'buyer_check';
}

export interface PriceProtectionDeps {
  db: Db;
  clock: Clock;
  orders: GuaranteesOrders;
  pricing: GuaranteesPricing;
  /** Payouts written per transaction (each batch is a few statements). */
  batchSize?: number;
  /** Told after each batch (the benchmark prints progress). */
  onBatch?: (done: number, total: number) => void;
}

export interface BatchOutcome {
  count: number;
  fen: number;
  booked: Array<{ orderId: string; skuId: string; changeId: string; fen: number }>;
}

export interface DropOutcome {
  linesChecked: number;
  quotes: number;
  payouts: number;
  paidFen: number;
}

const EXPENSE = 'price_protection';

/**
 * Price protection on a price drop, for a hot SKU: the protected lines are read in one query,
 * grouped by (held quantity, coupon set) and quoted once per group, and the payouts written in
 * batches of `batchSize` lines — per batch one insert of payouts (the idempotency gate: a line is
 * paid at most once per drop, whatever the deliveries), one batched refund through orders (line
 * money + ledger, capped at what each line still has paid) and, rarely, a correction of the rows the
 * cap cut. So the statements grow with lines / batchSize, not with lines.
 */
export class PriceProtection {
  /** Told after each batch (the benchmark prints progress). */
  onBatch: PriceProtectionDeps['onBatch'];
  /** Payouts written per transaction. */
  batchSize: number;

  constructor(private readonly deps: PriceProtectionDeps) {
    this.onBatch = deps.onBatch;
    this.batchSize = deps.batchSize ?? 2000;
  }

  async onPriceChanged(drop: PriceDrop): Promise<DropOutcome> {
    const { db, clock, orders } = this.deps;
    const funder = funderOf(drop.cause);
    await sql`
      insert into price_protection_drops (change_id, sku_id, cause, funder, at, received_at)
      values (${drop.changeId}, ${drop.skuId}, ${drop.cause}, ${funder}, ${drop.at}, ${clock.now()})
      on conflict (change_id) do nothing`.execute(db);
    const lines = (
      await orders.protectedLines(db, {
        skuId: drop.skuId,
        paidAfter: protectedSince(drop.at),
        paidUpTo: drop.at,
      })
    ).filter((l) => isProtected(l, drop.at));
    const priced = await this.priceNow(lines, drop.at);
    const planned: PlannedPayout[] = [];
    for (const { line, quantity, nowFen } of priced) {
      const amountFen = compensationFen(line, nowFen);
      if (amountFen > 0)
        planned.push({
          line,
          changeId: drop.changeId,
          funder,
          quantity,
          nowFen,
          paidFen: netPaidFen(line),
          amountFen,
          source: 'price_change',
        });
    }
    const written = await this.pay(planned);
    const outcome: DropOutcome = {
      linesChecked: lines.length,
      quotes: priced.quotes,
      payouts: written.count,
      paidFen: written.fen,
    };
    await sql`
      update price_protection_drops
      set processed_at = ${clock.now()}, lines_checked = ${outcome.linesChecked},
          payouts = payouts + ${outcome.payouts}, paid_fen = paid_fen + ${outcome.paidFen}
      where change_id = ${drop.changeId}`.execute(db);
    return outcome;
  }

  /**
   * What each line's held quantity costs at `at` on the standard channel (flash and live prices never
   * count), with the same coupons: one quote per (SKU, quantity) without coupons, less each line's
   * coupon share.
   */
  async priceNow(
    lines: ProtectedLineRow[],
    at: Date,
  ): Promise<Array<{ line: ProtectedLineRow; quantity: number; nowFen: number }> & { quotes: number }> {
    const out: Array<{ line: ProtectedLineRow; quantity: number; nowFen: number }> = [];
    const groups = groupForQuotes(lines);
    for (const group of groups) {
      const quote = await this.deps.pricing.quote(
        this.deps.db,
        { buyerId: null, at, channel: PROTECTION_CHANNEL, couponIds: [] },
        [{ skuId: group.skuId, quantity: group.quantity }],
      );
      const quotedFen = quote.lines[0]?.paidFen;
      if (quotedFen === undefined) continue;
      for (const line of group.lines)
        out.push({ line, quantity: group.quantity, nowFen: nowFenFor(line, quotedFen) });
    }
    return Object.assign(out, { quotes: groups.length });
  }

  /** Writes planned payouts in batches; each batch in its own transaction. */
  async pay(planned: PlannedPayout[]): Promise<{ count: number; fen: number }> {
    const size = this.batchSize;
    let count = 0;
    let fenPaid = 0;
    for (let i = 0; i < planned.length; i += size) {
      const batch = planned.slice(i, i + size);
      const done = await this.deps.db.transaction().execute((trx) => this.payBatch(trx, batch));
      count += done.count;
      fenPaid += done.fen;
      this.onBatch?.(Math.min(i + size, planned.length), planned.length);
    }
    return { count, fen: fenPaid };
  }

  /** One batch inside the caller's transaction (the buyer's check uses it for its own lines). */
  async payBatch(trx: Db, batch: PlannedPayout[]): Promise<BatchOutcome> {
    if (batch.length === 0) return { count: 0, fen: 0, booked: [] };
    const now = this.deps.clock.now();
    // The gate: only lines not yet paid for this drop go on (a concurrent delivery waits on the key).
    const fresh = await sql<{ order_id: string; sku_id: string; change_id: string }>`
      insert into price_protection_payouts (order_id, sku_id, change_id, buyer_id, store_id, funder, quantity,
                                            paid_fen, now_fen, amount_fen, source, created_at)
      select * , ${now}::timestamptz from unnest(
        ${batch.map((p) => p.line.orderId)}::uuid[], ${batch.map((p) => p.line.skuId)}::uuid[],
        ${batch.map((p) => p.changeId)}::text[], ${batch.map((p) => p.line.buyerId)}::uuid[],
        ${batch.map((p) => p.line.storeId)}::uuid[], ${batch.map((p) => p.funder)}::text[],
        ${batch.map((p) => p.quantity)}::int[], ${batch.map((p) => p.paidFen)}::bigint[],
        ${batch.map((p) => p.nowFen)}::bigint[], ${batch.map((p) => p.amountFen)}::bigint[],
        ${batch.map((p) => p.source)}::text[])
      on conflict do nothing
      returning order_id, sku_id, change_id`.execute(trx);
    if (fresh.rows.length === 0) return { count: 0, fen: 0, booked: [] };
    const key = (o: string, s: string, c: string) => protectionReference(o, s, c);
    const isFresh = new Set(fresh.rows.map((r) => key(r.order_id, r.sku_id, r.change_id)));
    const todo = batch.filter((p) => isFresh.has(key(p.line.orderId, p.line.skuId, p.changeId)));
    let count = 0;
    let fenPaid = 0;
    const paid: BatchOutcome['booked'] = [];
    // One refund batch per funder (a buyer check may mix drops of different causes).
    for (const funder of ['merchant', 'platform'] as const) {
      const items = todo.filter((p) => p.funder === funder);
      if (items.length === 0) continue;
      // A payout of everything a line still has paid may refund the order in full: the single refund
      // (orders.refundLines) applies that rule; the batch takes the rest.
      const whole = items.filter((p) => p.amountFen >= p.paidFen);
      const booked = await this.deps.orders.refundLinesBatch(trx, {
        funder,
        expense: EXPENSE,
        kind: 'compensation',
        reason: 'price_protection',
        items: items
          .filter((p) => p.amountFen < p.paidFen)
          .map((p) => ({
            orderId: p.line.orderId,
            skuId: p.line.skuId,
            reference: key(p.line.orderId, p.line.skuId, p.changeId),
            amountFen: p.amountFen,
          })),
      });
      for (const p of whole) {
        const reference = key(p.line.orderId, p.line.skuId, p.changeId);
        const one = await this.deps.orders.refundLines(trx, {
          orderId: p.line.orderId,
          reference,
          reason: 'price_protection',
          funder,
          expense: EXPENSE,
          kind: 'compensation',
          lines: [{ skuId: p.line.skuId, quantity: 0, amountFen: p.amountFen }],
          actor: 'system:price-protection',
        });
        booked.push({ reference, refundedFen: one.duplicate ? 0 : one.refundedFen });
      }
      const bookedFen = new Map(booked.map((b) => [b.reference, b.refundedFen]));
      const cut = items.filter(
        (p) => (bookedFen.get(key(p.line.orderId, p.line.skuId, p.changeId)) ?? 0) !== p.amountFen,
      );
      if (cut.length > 0) {
        // The cap cut some lines (refunded meanwhile): the payout records what was really booked.
        const refs = cut.map((p) => key(p.line.orderId, p.line.skuId, p.changeId));
        await sql`
          with booked as (
            select * from unnest(${cut.map((p) => p.line.orderId)}::uuid[], ${cut.map((p) => p.line.skuId)}::uuid[],
                                 ${cut.map((p) => p.changeId)}::text[], ${refs.map((r) => bookedFen.get(r) ?? 0)}::bigint[])
              as b(order_id, sku_id, change_id, fen)
          ), dropped as (
            delete from price_protection_payouts p using booked b
            where p.order_id = b.order_id and p.sku_id = b.sku_id and p.change_id = b.change_id and b.fen = 0
          )
          update price_protection_payouts p set amount_fen = b.fen from booked b
          where p.order_id = b.order_id and p.sku_id = b.sku_id and p.change_id = b.change_id and b.fen > 0`.execute(
          trx,
        );
      }
      for (const p of items) {
        const fen = bookedFen.get(key(p.line.orderId, p.line.skuId, p.changeId)) ?? 0;
        if (fen <= 0) continue;
        count += 1;
        fenPaid += fen;
        paid.push({ orderId: p.line.orderId, skuId: p.line.skuId, changeId: p.changeId, fen });
      }
    }
    return { count, fen: fenPaid, booked: paid };
  }
}
