import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type {
  GuaranteeCostsView,
  OrderProtectionView,
  PayoutView,
  ProtectionCheckView,
  StoreGuaranteeCostsView,
  StoreGuaranteesView,
} from './api-schema.ts';
import {
  compare,
  compensationFen,
  type Funder,
  isProtected,
  netPaidFen,
  PROTECTION_DAYS,
  type PriceChangeCause,
  protectionEndsAt,
} from './compensation.ts';
import type { GuaranteesOrders, GuaranteesPricing, ProtectedLineRow } from './ports.ts';
import { type PlannedPayout, type PriceDrop, PriceProtection } from './price-protection.ts';
import type { GuaranteesTables } from './tables.ts';

/** What guarantees reads from the ledger (payments' index read functions). */
export interface GuaranteesLedger {
  /** Balances and transaction counts of `platform_expense:<guarantee>` accounts. */
  platformExpenses(db: Db): Promise<Array<{ guarantee: string; fen: number; count: number }>>;
  /** What compensations and refunds under these references cost the merchant (fen per reference). */
  merchantCostsByReference(db: Db, references: string[]): Promise<Map<string, number>>;
}

export interface GuaranteesDeps {
  db: Db;
  clock: Clock;
  orders: GuaranteesOrders & {
    getForBuyer(
      actor: Actor,
      orderId: string,
    ): Promise<{
      order: { id: string; paidAt: string | null; lines: Array<{ skuId: string; title: string }> };
    }>;
  };
  pricing: GuaranteesPricing;
  /** Pricing's price history of a SKU (changes with their id, cause and time). */
  priceHistory(
    db: Db,
    skuId: string,
  ): Promise<Array<{ changeId: string | null; cause: string; funder: Funder; effectiveAt: Date }>>;
  ledger: GuaranteesLedger;
  /** What a store offers its buyers beyond price protection (after-sale and credit modules). */
  storeOffers: GuaranteesStoreOffers;
  batchSize?: number;
}

export interface GuaranteesStoreOffers {
  /** Null when there is no such store. */
  aftersale(
    storeId: string,
  ): Promise<Omit<StoreGuaranteesView, 'storeId' | 'priceProtectionDays' | 'payLater'> | null>;
  payLater(storeId: string): Promise<boolean>;
}

type PayoutRow = GuaranteesTables['price_protection_payouts'];

const payoutView = (r: PayoutRow): PayoutView => ({
  orderId: r.order_id,
  skuId: r.sku_id,
  changeId: r.change_id,
  funder: r.funder,
  quantity: r.quantity,
  paidFen: Number(r.paid_fen),
  nowFen: Number(r.now_fen),
  amountFen: Number(r.amount_fen),
  source: r.source,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The guarantees the platform keeps by itself, and what they cost whom. */
export class GuaranteesService {
  readonly priceProtection: PriceProtection;

  constructor(private readonly deps: GuaranteesDeps) {
    this.priceProtection = new PriceProtection({
      db: deps.db,
      clock: deps.clock,
      orders: deps.orders,
      pricing: deps.pricing,
      batchSize: deps.batchSize,
    });
  }

  /** A store's guarantee badges: the platform's price protection, its after-sale offers, pay later. */
  async storeGuarantees(storeId: string): Promise<StoreGuaranteesView> {
    const { storeOffers } = this.deps;
    const [aftersale, payLater] = await Promise.all([
      storeOffers.aftersale(storeId),
      storeOffers.payLater(storeId),
    ]);
    if (!aftersale) throw notFound('Store');
    return { storeId, priceProtectionDays: PROTECTION_DAYS, ...aftersale, payLater };
  }

  /** The `price.changed` subscriber's work (idempotent: a redelivery pays nothing twice). */
  onPriceChanged(drop: PriceDrop) {
    return this.priceProtection.onPriceChanged(drop);
  }

  /**
   * A buyer asks: per line, what they paid, what the same quantity costs now, the difference and when
   * the window ends; a difference due is paid at once under the latest drop's reference, so the
   * subscriber delivering that drop later pays nothing more.
   */
  async check(actor: Actor, orderId: string): Promise<ProtectionCheckView> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const { order } = await this.deps.orders.getForBuyer(actor, orderId);
    const { db, clock } = this.deps;
    const now = clock.now();
    const lines = order.paidAt
      ? await this.deps.orders.protectedLines(db, { orderId, paidAfter: new Date(0), paidUpTo: now })
      : [];
    const priced = await this.priceProtection.priceNow(lines, now);
    const drops = await this.latestDrops(
      lines.map((l) => l.skuId),
      now,
    );
    const planned: PlannedPayout[] = [];
    for (const { line, quantity, nowFen } of priced) {
      const drop = drops.get(line.skuId);
      const amountFen = compensationFen(line, nowFen);
      // A difference is paid against the drop that caused it: one after the payment.
      if (!drop || drop.at.getTime() < line.paidAt.getTime() || !isProtected(line, now) || amountFen <= 0)
        continue;
      planned.push({
        line,
        changeId: drop.changeId,
        funder: drop.funder,
        quantity,
        nowFen,
        paidFen: netPaidFen(line),
        amountFen,
        source: 'buyer_check',
      });
    }
    const paid = await db.transaction().execute((trx) => this.priceProtection.payBatch(trx, planned));
    const payoutsNow = new Map(paid.booked.map((b) => [b.skuId, b.fen]));
    const titles = new Map(order.lines.map((l) => [l.skuId, l.title]));
    return {
      orderId,
      checkedAt: now.toISOString(),
      windowEndsAt: order.paidAt ? protectionEndsAt(new Date(order.paidAt)).toISOString() : null,
      paidNowFen: paid.fen,
      lines: priced.map(({ line, nowFen }) => {
        const c = compare(line, nowFen, now);
        return {
          skuId: c.skuId,
          title: titles.get(c.skuId) ?? '',
          quantity: c.quantity,
          paidFen: c.paidFen,
          nowFen: c.nowFen,
          differenceFen: c.differenceFen,
          protected: c.protected,
          windowEndsAt: c.windowEndsAt.toISOString(),
          payoutFen: payoutsNow.get(c.skuId) ?? 0,
        };
      }),
      payouts: await this.payoutsOf(sql`order_id = ${orderId}`),
    };
  }

  /**
   * The latest price change of each SKU at or before `at` (pricing's price history, so a buyer's check
   * does not wait for the subscriber): a difference found now is paid under that change's reference.
   */
  private async latestDrops(
    skuIds: string[],
    at: Date,
  ): Promise<Map<string, { changeId: string; funder: Funder; cause: PriceChangeCause; at: Date }>> {
    const out = new Map<string, { changeId: string; funder: Funder; cause: PriceChangeCause; at: Date }>();
    for (const skuId of new Set(skuIds)) {
      const points = await this.deps.priceHistory(this.deps.db, skuId);
      const latest = points
        .filter((p) => p.changeId !== null && new Date(p.effectiveAt).getTime() <= at.getTime())
        .sort((x, y) => new Date(y.effectiveAt).getTime() - new Date(x.effectiveAt).getTime())[0];
      if (latest?.changeId)
        out.set(skuId, {
          changeId: latest.changeId,
          cause: latest.cause === 'merchant_price' ? 'merchant_price' : 'subsidy',
          funder: latest.funder,
          at: new Date(latest.effectiveAt),
        });
    }
    return out;
  }

  private async payoutsOf(where: ReturnType<typeof sql>, limit = 200): Promise<PayoutView[]> {
    const r = await sql<PayoutRow>`
      select * from price_protection_payouts where ${where}
      order by created_at desc, order_id, sku_id limit ${limit}`.execute(this.deps.db);
    return r.rows.map(payoutView);
  }

  /** The buyer's price-protection payouts, newest first. */
  async myPayouts(actor: Actor): Promise<{ items: PayoutView[]; totalFen: number }> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const items = await this.payoutsOf(sql`buyer_id = ${actor.accountId}`);
    const total = await sql<{ fen: string | number }>`
      select coalesce(sum(amount_fen), 0) as fen from price_protection_payouts
      where buyer_id = ${actor.accountId}`.execute(this.deps.db);
    return { items, totalFen: Number(total.rows[0]?.fen ?? 0) };
  }

  /** One order's protection: the window's end (the countdown) and its payouts. */
  async forOrder(actor: Actor, orderId: string): Promise<OrderProtectionView> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const { order } = await this.deps.orders.getForBuyer(actor, orderId);
    const now = this.deps.clock.now();
    const endsAt = order.paidAt ? protectionEndsAt(new Date(order.paidAt)) : null;
    const payouts = await this.payoutsOf(sql`order_id = ${orderId}`);
    return {
      orderId,
      paidAt: order.paidAt,
      windowEndsAt: endsAt?.toISOString() ?? null,
      active: endsAt !== null && now.getTime() < endsAt.getTime(),
      payouts,
      totalFen: payouts.reduce((s, p) => s + p.amountFen, 0),
    };
  }

  /** What the guarantees cost the merchant's store: by order and in total, as booked in the ledger. */
  async storeCosts(actor: Actor): Promise<StoreGuaranteeCostsView> {
    if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
    const rows = await sql<{ order_id: string; sku_id: string; change_id: string; created_at: Date }>`
      select order_id, sku_id, change_id, created_at from price_protection_payouts
      where store_id = ${actor.storeId} and funder = 'merchant'
      order by created_at desc`.execute(this.deps.db);
    const refs = rows.rows.map((r) => `price-protection:${r.order_id}:${r.sku_id}:${r.change_id}`);
    const booked = await this.deps.ledger.merchantCostsByReference(this.deps.db, refs);
    const byOrder = new Map<string, { fen: number; count: number; lastAt: Date }>();
    rows.rows.forEach((r, i) => {
      const fen = booked.get(refs[i] as string) ?? 0;
      const o = byOrder.get(r.order_id) ?? { fen: 0, count: 0, lastAt: new Date(r.created_at) };
      o.fen += fen;
      o.count += 1;
      byOrder.set(r.order_id, o);
    });
    const orders = [...byOrder].map(([orderId, o]) => ({
      orderId,
      guarantee: 'price_protection' as const,
      fen: o.fen,
      count: o.count,
      lastAt: o.lastAt.toISOString(),
    }));
    const totalFen = orders.reduce((s, o) => s + o.fen, 0);
    return {
      totalFen,
      byGuarantee: [{ guarantee: 'price_protection', fen: totalFen, count: rows.rows.length }],
      orders: orders.slice(0, 200),
    };
  }

  /** What each platform-funded guarantee costs the platform: the platform_expense:<guarantee> balances. */
  async platformCosts(actor: Actor): Promise<GuaranteeCostsView> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator');
    const items = await this.deps.ledger.platformExpenses(this.deps.db);
    const drops = await sql<{ n: number; payouts: number }>`
      select count(*)::int as n, coalesce(sum(payouts), 0)::int as payouts from price_protection_drops`.execute(
      this.deps.db,
    );
    return {
      items,
      totalFen: items.reduce((s, i) => s + i.fen, 0),
      priceProtection: {
        drops: drops.rows[0]?.n ?? 0,
        payouts: drops.rows[0]?.payouts ?? 0,
      },
    };
  }
}

export type { ProtectedLineRow };
