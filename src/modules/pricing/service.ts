import { type Selectable, sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { type AnySubscriber, type Publisher, subscriber } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { WorkerTask } from '../../platform/workers.ts';
import type { CouponView, MyCouponView, QuoteView, SubsidyView } from './api-schema.ts';
import { funderOf } from './best-coupons.ts';
import { priceHistory, refreshFinalPrices } from './price-history.ts';
import { type Channel, type Quote, type QuoteLineInput, quote } from './quote.ts';
import type { CouponKind, PricingDb, PricingTables } from './tables.ts';

export interface PricingDeps {
  db: Db;
  clock: Clock;
  /** Publishes `price.changed` when a subsidy starts or ends. */
  events: Publisher;
}

export interface QuoteRequest {
  lines: QuoteLineInput[];
  couponIds?: string[];
  channel?: Channel;
}

export interface CouponInput {
  kind: CouponKind;
  title: string;
  discountFen: number;
  thresholdFen?: number;
  startsAt: string;
  endsAt: string;
  perBuyerLimit?: number;
  totalQuantity: number;
  autoClaim?: boolean;
}

export interface SubsidyInput {
  title: string;
  totalFen: number;
  startsAt: string;
  endsAt: string;
  skus: Array<{ skuId: string; fenPerUnit: number; capUnits: number }>;
}

type CouponRow = Selectable<PricingTables['coupons']>;

const iso = (d: Date | string) => new Date(d).toISOString();
/** Coupons held only by following the store or claimed as its fan: never claimed by hand nor applied unheld. */
const FAN_KINDS: CouponKind[] = ['follow_coupon', 'fan_coupon'];

export function couponView(r: CouponRow): CouponView {
  return {
    id: r.id,
    kind: r.kind,
    funder: funderOf(r.kind),
    storeId: r.store_id,
    title: r.title,
    discountFen: Number(r.discount_fen),
    thresholdFen: Number(r.threshold_fen),
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    perBuyerLimit: r.per_buyer_limit,
    totalQuantity: r.total_quantity,
    claimedCount: r.claimed_count,
    autoClaim: r.auto_claim,
    status: r.status,
  };
}

/** A quote as the API shows it (without what only checkout needs). */
export function quoteView(q: Quote): QuoteView {
  return {
    at: q.at.toISOString(),
    channel: q.channel,
    lines: q.lines,
    listTotalFen: q.listTotalFen,
    discountFen: q.discountFen,
    totalFen: q.totalFen,
    platformFundedFen: q.platformFundedFen,
    coupons: q.coupons,
  };
}

/** Coupons, subsidies and the quote endpoint (the pure pricing lives in quote.ts and its helpers). */
export class PricingService {
  private readonly db: PricingDb;

  constructor(private readonly deps: PricingDeps) {
    this.db = deps.db as PricingDb;
  }

  /** The quote for whoever asks (a buyer's coupons when signed in as a buyer). */
  async quote(actor: Actor | null, body: QuoteRequest): Promise<{ quote: QuoteView }> {
    const buyerId = actor?.role === 'buyer' ? actor.accountId : null;
    if (body.couponIds && body.couponIds.length > 0 && buyerId === null)
      throw unprocessable('coupon_not_applicable', 'Sign in as a buyer to use coupons');
    const q = await quote(
      this.deps.db,
      { buyerId, at: this.deps.clock.now(), channel: body.channel, couponIds: body.couponIds },
      body.lines,
    );
    return { quote: quoteView(q) };
  }

  // ---- coupons ----

  /**
   * Merchants create store, follow-store and fan coupons; operators platform coupons. A follow-store or
   * fan coupon is held once per buyer and never applied without being held (granted on follow, or
   * claimed as a fan).
   */
  async createCoupon(actor: Actor, input: CouponInput): Promise<{ coupon: CouponView }> {
    let storeId: string | null = null;
    if (actor.role === 'merchant') {
      if (!actor.storeId) throw forbidden('Open a store first');
      if (input.kind === 'platform_coupon')
        throw unprocessable(
          'coupon_kind_not_allowed',
          'Merchants create store, follow-store and fan coupons',
        );
      storeId = actor.storeId;
    } else if (actor.role === 'operator') {
      if (input.kind !== 'platform_coupon')
        throw unprocessable('coupon_kind_not_allowed', 'Operators create platform coupons');
    } else throw forbidden();
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    this.checkWindow(startsAt, endsAt);
    const threshold = input.thresholdFen ?? 0;
    const forFans = FAN_KINDS.includes(input.kind);
    if (threshold !== 0 && threshold <= input.discountFen)
      throw unprocessable('coupon_threshold_too_low', 'A threshold (满X减Y) must be above the amount off');
    const row = await this.db
      .insertInto('coupons')
      .values({
        id: newId(),
        kind: input.kind,
        store_id: storeId,
        title: input.title,
        discount_fen: input.discountFen,
        threshold_fen: threshold,
        starts_at: startsAt,
        ends_at: endsAt,
        per_buyer_limit: forFans ? 1 : (input.perBuyerLimit ?? 1),
        total_quantity: input.totalQuantity,
        auto_claim: forFans ? false : (input.autoClaim ?? false),
        created_by: actor.accountId,
        created_at: this.deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { coupon: couponView(row as CouponRow) };
  }

  /** A merchant's store coupons, or (operator) the platform coupons. */
  async listCoupons(actor: Actor): Promise<{ items: CouponView[] }> {
    let q = this.db.selectFrom('coupons').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(200);
    if (actor.role === 'merchant') {
      if (!actor.storeId) return { items: [] };
      q = q.where('store_id', '=', actor.storeId);
    } else q = q.where('store_id', 'is', null);
    const rows = await q.execute();
    return { items: rows.map((r) => couponView(r as CouponRow)) };
  }

  /** Stops a coupon (no more claims or uses; held claims stay unusable). */
  async stopCoupon(actor: Actor, couponId: string): Promise<{ coupon: CouponView }> {
    if (actor.role === 'merchant' && !actor.storeId) throw notFound('Coupon');
    let q = this.db.updateTable('coupons').set({ status: 'stopped' }).where('id', '=', couponId);
    q =
      actor.role === 'merchant'
        ? q.where('store_id', '=', actor.storeId as string)
        : q.where('store_id', 'is', null);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) throw notFound('Coupon');
    return { coupon: couponView(row as CouponRow) };
  }

  /** What a buyer can claim now: a store's coupons (with `storeId`) and the platform's. */
  async claimable(storeId: string | undefined): Promise<{ items: CouponView[] }> {
    const now = this.deps.clock.now();
    const rows = await this.db
      .selectFrom('coupons')
      .selectAll()
      .where('status', '=', 'active')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .where((eb) =>
        storeId
          ? eb.or([eb('store_id', '=', storeId), eb('store_id', 'is', null)])
          : eb('store_id', 'is', null),
      )
      .where('kind', 'not in', FAN_KINDS)
      .whereRef('claimed_count', '<', 'total_quantity')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(200)
      .execute();
    return { items: rows.map((r) => couponView(r as CouponRow)) };
  }

  /** A store's follow-store and fan coupons on offer now, for its page (following gets the first, fans claim the second). */
  async fanCoupons(storeId: string): Promise<{ items: CouponView[] }> {
    const now = this.deps.clock.now();
    const rows = await this.db
      .selectFrom('coupons')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('kind', 'in', FAN_KINDS)
      .where('status', '=', 'active')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .whereRef('claimed_count', '<', 'total_quantity')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(50)
      .execute();
    return { items: rows.map((r) => couponView(r as CouponRow)) };
  }

  /**
   * Grants the store's follow-store coupons to a buyer who just followed it and has not bought from it,
   * in the follow's transaction: each as the buyer's claim number 1 (unique per coupon and buyer), so a
   * coupon is granted once per buyer however often they unfollow and follow again. Coupons all claimed
   * are skipped. Returns the coupons granted now.
   */
  async grantFollowCoupons(db: Db, input: { storeId: string; buyerId: string }): Promise<CouponView[]> {
    const now = this.deps.clock.now();
    const granted = await sql<CouponRow>`
      with offered as (
        select c.id from coupons c
        where c.store_id = ${input.storeId} and c.kind = 'follow_coupon' and c.status = 'active'
          and c.starts_at <= ${now} and c.ends_at > ${now}
          and not exists (select 1 from store_buyers sb where sb.store_id = c.store_id and sb.buyer_id = ${input.buyerId})
          and not exists (select 1 from coupon_claims cl where cl.coupon_id = c.id and cl.buyer_id = ${input.buyerId})
        order by c.id
        for update
      ), room as (
        select c.id from coupons c join offered o on o.id = c.id where c.claimed_count < c.total_quantity
      ), claims as (
        insert into coupon_claims (id, coupon_id, buyer_id, ordinal, status, claimed_at)
        select gen_random_uuid(), id, ${input.buyerId}, 1, 'available', ${now} from room
        on conflict (coupon_id, buyer_id, ordinal) do nothing
        returning coupon_id
      )
      update coupons c set claimed_count = c.claimed_count + 1
      from claims where c.id = claims.coupon_id
      returning c.*`.execute(db);
    return granted.rows.map(couponView);
  }

  /**
   * A buyer claims a coupon: within its window, its total quantity and the per-buyer limit (the
   * coupon row is locked while the buyer's claims are counted; the claim is numbered count + 1,
   * unique per coupon and buyer); a follow-store coupon only for a buyer who has not bought from
   * the store.
   */
  async claim(actor: Actor, couponId: string): Promise<{ claim: MyCouponView }> {
    return this.claimAs(actor.accountId, couponId, null);
  }

  /**
   * A fan claims a fan-only coupon of the store (social checks that the buyer follows it). Held once
   * per buyer, as any claim under the per-buyer limit of 1.
   */
  async claimFanCoupon(input: { storeId: string; buyerId: string; couponId: string }): Promise<{
    claim: MyCouponView;
  }> {
    return this.claimAs(input.buyerId, input.couponId, input.storeId);
  }

  /** A claim by hand (`fanStoreId` null) or of a fan coupon of that store. */
  private async claimAs(
    buyerId: string,
    couponId: string,
    fanStoreId: string | null,
  ): Promise<{ claim: MyCouponView }> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const found = await sql<CouponRow>`select * from coupons where id = ${couponId} for update`.execute(
        trx,
      );
      const c = found.rows[0];
      if (c?.status !== 'active') throw notFound('Coupon');
      if (fanStoreId === null && FAN_KINDS.includes(c.kind))
        throw new AppError(
          403,
          'coupon_for_fans',
          "Follow the store to get this coupon, or claim it on the store's page as its fan",
        );
      if (fanStoreId !== null && (c.kind !== 'fan_coupon' || c.store_id !== fanStoreId))
        throw notFound('Coupon');
      if (now < new Date(c.starts_at))
        throw conflict('coupon_not_started', 'The coupon cannot be claimed yet');
      if (now >= new Date(c.ends_at)) throw conflict('coupon_expired', 'The coupon has expired');
      if (c.claimed_count >= c.total_quantity) throw conflict('coupon_sold_out', 'The coupon is all claimed');
      const mine = await sql<{ n: number; bought: boolean }>`
        select (select count(*)::int from coupon_claims where coupon_id = ${couponId} and buyer_id = ${buyerId}) as n,
               exists (select 1 from store_buyers where store_id = ${c.store_id} and buyer_id = ${buyerId}) as bought`.execute(
        trx,
      );
      const facts = mine.rows[0] ?? { n: 0, bought: false };
      if (facts.n >= c.per_buyer_limit)
        throw conflict('coupon_limit_reached', 'You have claimed this coupon as many times as allowed');
      if (c.kind === 'follow_coupon' && facts.bought)
        throw conflict('coupon_new_customers_only', "This coupon is for the store's new customers");
      const claimId = newId();
      await sql`
        with claimed as (update coupons set claimed_count = claimed_count + 1 where id = ${couponId})
        insert into coupon_claims (id, coupon_id, buyer_id, ordinal, status, claimed_at)
        values (${claimId}, ${couponId}, ${buyerId}, ${facts.n + 1}, 'available', ${now})`.execute(trx);
      const coupon = couponView({ ...c, claimed_count: c.claimed_count + 1 });
      return {
        claim: { claimId, status: 'available' as const, claimedAt: now.toISOString(), usedAt: null, coupon },
      };
    });
  }

  /** The buyer's claimed coupons, newest first: available, used, or expired. */
  async myCoupons(actor: Actor): Promise<{ items: MyCouponView[] }> {
    const now = this.deps.clock.now();
    const rows = await sql<
      CouponRow & {
        claim_id: string;
        claim_status: 'available' | 'used';
        claimed_at: Date;
        used_at: Date | null;
      }
    >`
      select c.*, cl.id as claim_id, cl.status as claim_status, cl.claimed_at, cl.used_at
      from coupon_claims cl join coupons c on c.id = cl.coupon_id
      where cl.buyer_id = ${actor.accountId}
      order by cl.claimed_at desc, cl.id limit 200`.execute(this.deps.db);
    return {
      items: rows.rows.map((r) => ({
        claimId: r.claim_id,
        status:
          r.claim_status === 'used'
            ? 'used'
            : new Date(r.ends_at) <= now || r.status !== 'active'
              ? 'expired'
              : 'available',
        claimedAt: iso(r.claimed_at),
        usedAt: r.used_at ? iso(r.used_at) : null,
        coupon: couponView(r),
      })),
    };
  }

  // ---- subsidies ----

  /**
   * An operator's subsidy budget over SKUs. When its window is open already, the SKUs' price drop
   * is recorded and published (`price.changed`, cause subsidy, funder platform) in the same
   * transaction; otherwise the windows task does it when the window opens.
   */
  async createSubsidy(actor: Actor, input: SubsidyInput): Promise<{ subsidy: SubsidyView }> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    this.checkWindow(startsAt, endsAt);
    const skuIds = input.skus.map((s) => s.skuId);
    if (new Set(skuIds).size !== skuIds.length) throw unprocessable('duplicate_sku', 'A SKU is listed twice');
    const id = newId();
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const prices = await sql<{ sku_id: string; list_price_fen: number }>`
        select sku_id, list_price_fen::int as list_price_fen from sku_prices where sku_id = any(${skuIds}::uuid[])`.execute(
        trx,
      );
      const listOf = new Map(prices.rows.map((p) => [p.sku_id, Number(p.list_price_fen)]));
      const unknown = skuIds.filter((s) => !listOf.has(s));
      if (unknown.length > 0) throw unprocessable('unknown_sku', 'No such SKU', { skuIds: unknown });
      const tooBig = input.skus.filter((s) => s.fenPerUnit >= (listOf.get(s.skuId) ?? 0)).map((s) => s.skuId);
      if (tooBig.length > 0)
        throw unprocessable('subsidy_exceeds_price', 'A subsidy must leave the buyer something to pay', {
          skuIds: tooBig,
        });
      await (trx as PricingDb)
        .insertInto('subsidy_budgets')
        .values({
          id,
          title: input.title,
          total_fen: input.totalFen,
          starts_at: startsAt,
          ends_at: endsAt,
          created_by: actor.accountId,
          created_at: now,
        })
        .execute();
      await (trx as PricingDb)
        .insertInto('subsidy_skus')
        .values(
          input.skus.map((s) => ({
            id: newId(),
            budget_id: id,
            sku_id: s.skuId,
            fen_per_unit: s.fenPerUnit,
            cap_units: s.capUnits,
          })),
        )
        .execute();
      await this.announceWindows(trx, now, [id]);
    });
    return { subsidy: (await this.subsidies([id]))[0] as SubsidyView };
  }

  async listSubsidies(): Promise<{ items: SubsidyView[] }> {
    return { items: await this.subsidies(null) };
  }

  /** Stops a budget at once: its SKUs' prices go back up (recorded and published). */
  async stopSubsidy(subsidyId: string): Promise<{ subsidy: SubsidyView }> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await (trx as PricingDb)
        .updateTable('subsidy_budgets')
        .set({ status: 'stopped' })
        .where('id', '=', subsidyId)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw notFound('Subsidy');
      await this.announceWindows(trx, now, [subsidyId]);
    });
    return { subsidy: (await this.subsidies([subsidyId]))[0] as SubsidyView };
  }

  /**
   * Records and publishes the price changes of subsidy windows that opened or closed by `now`
   * (all budgets, or these): one history row and one `price.changed` per SKU, once per window edge.
   * Returns how many SKU price changes it announced.
   */
  async announceWindows(trx: Db, now: Date, budgetIds: string[] | null = null): Promise<number> {
    const only = budgetIds ? sql`and b.id = any(${budgetIds}::uuid[])` : sql``;
    // A window that opened and closed unseen (or was stopped before it opened) changed no price.
    await sql`
      update subsidy_budgets b set start_announced = true, end_announced = true
      where not b.start_announced and (b.ends_at <= ${now} or b.status = 'stopped') ${only}`.execute(trx);
    const changed = await sql<{ sku_id: string; change_id: string; effective_at: Date; cause: string }>`
      with opened as (
        update subsidy_budgets b set start_announced = true
        where not b.start_announced and b.status = 'active' and b.starts_at <= ${now} and b.ends_at > ${now} ${only}
        returning b.id, b.starts_at as at, 'subsidy_start' as cause
      ), closed as (
        update subsidy_budgets b set end_announced = true
        where b.start_announced and not b.end_announced and (b.ends_at <= ${now} or b.status = 'stopped') ${only}
        returning b.id, least(b.ends_at, ${now}::timestamptz) as at, 'subsidy_end' as cause
      ), edges as (select * from opened union all select * from closed)
      insert into price_history (sku_id, price_fen, effective_at, cause, funder, subsidy_fen, change_id)
      select ss.sku_id, sp.list_price_fen, e.at, e.cause, 'platform',
             case when e.cause = 'subsidy_start' then ss.fen_per_unit else 0 end, gen_random_uuid()
      from edges e join subsidy_skus ss on ss.budget_id = e.id join sku_prices sp on sp.sku_id = ss.sku_id
      returning sku_id, change_id, effective_at, cause`.execute(trx);
    if (changed.rows.length === 0) return 0;
    await refreshFinalPrices(trx, [...new Set(changed.rows.map((r) => r.sku_id))], now);
    await this.deps.events.publishAll(
      trx,
      'price.changed',
      changed.rows.map((r) => ({
        skuId: r.sku_id,
        changeId: r.change_id,
        cause: 'subsidy' as const,
        funder: 'platform' as const,
        at: iso(r.effective_at),
      })),
    );
    return changed.rows.length;
  }

  /** The windows task's run: announce what opened or closed since the last run. */
  runWindows(): Promise<number> {
    return this.deps.db.transaction().execute((trx) => this.announceWindows(trx, this.deps.clock.now()));
  }

  /** Refreshes a SKU's cached final price (the `price.changed` subscriber; idempotent). */
  async refresh(skuId: string): Promise<void> {
    await refreshFinalPrices(this.deps.db, [skuId], this.deps.clock.now());
  }

  /** A SKU's price history, newest first (public: the price-protection promise is checkable). */
  async history(skuId: string) {
    const items = await priceHistory(this.deps.db, skuId);
    return {
      items: items.map((p) => ({
        priceFen: p.priceFen,
        subsidyFen: p.subsidyFen,
        effectiveAt: p.effectiveAt.toISOString(),
        cause: p.cause,
        funder: p.funder,
      })),
    };
  }

  private checkWindow(startsAt: Date, endsAt: Date): void {
    if (!(endsAt > startsAt) || endsAt <= this.deps.clock.now())
      throw unprocessable('invalid_window', 'The window must end after it starts, and in the future');
  }

  private async subsidies(ids: string[] | null): Promise<SubsidyView[]> {
    const rows = await sql<{
      id: string;
      title: string;
      total_fen: number;
      drawn_fen: number;
      starts_at: Date;
      ends_at: Date;
      status: 'active' | 'stopped';
      skus: Array<{ skuId: string; fenPerUnit: number; capUnits: number; drawnUnits: number }>;
    }>`
      select b.id, b.title, b.total_fen, b.drawn_fen, b.starts_at, b.ends_at, b.status,
        coalesce((select json_agg(json_build_object('skuId', ss.sku_id, 'fenPerUnit', ss.fen_per_unit,
          'capUnits', ss.cap_units, 'drawnUnits', ss.drawn_units) order by ss.id)
          from subsidy_skus ss where ss.budget_id = b.id), '[]'::json) as skus
      from subsidy_budgets b ${ids ? sql`where b.id = any(${ids}::uuid[])` : sql``}
      order by b.created_at desc, b.id limit 200`.execute(this.deps.db);
    return rows.rows.map((r) => ({
      id: r.id,
      title: r.title,
      totalFen: Number(r.total_fen),
      drawnFen: Number(r.drawn_fen),
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      status: r.status,
      skus: r.skus.map((s) => ({ ...s, fenPerUnit: Number(s.fenPerUnit) })),
    }));
  }
}

export function pricingTasks(pricing: PricingService): WorkerTask[] {
  return [
    {
      name: 'pricing.subsidy-windows',
      intervalMs: 30_000,
      runAtStart: true,
      run: () => pricing.runWindows(),
    },
  ];
}

export function pricingSubscribers(pricing: PricingService): AnySubscriber[] {
  return [subscriber('pricing.final-price-index', 'price.changed', (e) => pricing.refresh(e.skuId))];
}
