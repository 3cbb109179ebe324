import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import { type Actor, assertMerchant, assertOperator } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { LiveService } from '../live/index.ts';
import { type MerchantsService, storeSummaries, storesOpenedSince } from '../merchants/index.ts';
import type { OrdersService, PaidOrderFacts } from '../orders/index.ts';
import type { LedgerOperations } from '../payments/index.ts';
import type { TrafficService } from '../traffic/index.ts';
import type { VideosService } from '../videos/index.ts';
import {
  earnedFen,
  profileComplete,
  type RewardKind,
  VILLAGE_STEPS,
  type Village,
  type VillageStepKey,
} from './village.ts';

export interface GrowthDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  merchants: Pick<MerchantsService, 'storeProfile' | 'isOwnersAccount'>;
  catalog: Pick<CatalogService, 'productCountsByStore' | 'storesWithSizeChart'>;
  orders: Pick<OrdersService, 'firstOnTimeShipments'>;
  /** Orders' own facts (buyer, paid_at) for the paid ones of these orders (orders' `paidOrderFacts`). */
  paidOrders: (orderIds: string[]) => Promise<PaidOrderFacts[]>;
  videos: Pick<VideosService, 'firstPublishedAt'>;
  live: Pick<LiveService, 'firstStartedAt'>;
  traffic: Pick<TrafficService, 'grantVillageCredits' | 'planDay'>;
  ledger: Pick<LedgerOperations, 'payIncentive'>;
}

export type ProgrammeKind = 'first_sale_gmv' | 'commission_rebate';
export type ProgrammeStatus = 'active' | 'paused' | 'exhausted' | 'ended';

export interface ProgrammeInput {
  name: string;
  kind: ProgrammeKind;
  eligibleStoreDays: number;
  periodDays: number;
  rateBps: number;
  capFen: number;
  budgetFen: number;
}

export interface Programme extends ProgrammeInput {
  id: string;
  remainingFen: number;
  status: ProgrammeStatus;
  /** Stores in it, and what was paid so far. */
  stores: number;
  paidFen: number;
  createdAt: string;
}

export type IncentiveStatus = 'accruing' | 'paid' | 'exhausted' | 'nothing';

/** A store's incentive in one programme: what it earned and why. */
export interface Incentive {
  programmeId: string;
  programmeName: string;
  kind: ProgrammeKind;
  storeId: string;
  storeName: string | null;
  startsAt: string;
  endsAt: string;
  status: IncentiveStatus;
  rateBps: number;
  capFen: number;
  /** GMV of the store's paid orders in the period (so far, while accruing). */
  gmvFen: number;
  /** What went back to buyers on those orders. */
  refundsFen: number;
  /** rate × (GMV − refunds), capped. */
  earnedFen: number;
  /** What the ledger paid (less than earned only when the programme's budget ran out). */
  paidFen: number;
  settledAt: string | null;
}

type RawSql = RawBuilder<unknown>;
const EXPENSE = 'growth_incentive';
/** How long after opening the periodic task keeps checking a store's village steps. */
export const VILLAGE_DAYS = 90;
const PROGRAMME_COLUMNS = sql`p.id, p.name, p.kind, p.eligible_store_days, p.period_days, p.rate_bps, p.cap_fen,
  p.budget_fen, p.remaining_fen, p.status, p.created_at`;

interface ProgrammeRow {
  id: string;
  name: string;
  kind: ProgrammeKind;
  eligible_store_days: number;
  period_days: number;
  rate_bps: number;
  cap_fen: string | number;
  budget_fen: string | number;
  remaining_fen: string | number;
  status: ProgrammeStatus;
  created_at: Date;
  stores: number;
  paid_fen: string | number;
}

function programmeOf(r: ProgrammeRow): Programme {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    eligibleStoreDays: r.eligible_store_days,
    periodDays: r.period_days,
    rateBps: r.rate_bps,
    capFen: Number(r.cap_fen),
    budgetFen: Number(r.budget_fen),
    remainingFen: Number(r.remaining_fen),
    status: r.status,
    stores: Number(r.stores),
    paidFen: Number(r.paid_fen),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export class GrowthService {
  constructor(readonly deps: GrowthDeps) {}

  // ------------------------------------------------------------------ newbie village

  /** A store's village: each step, whether and when it was done, and its reward. Read only. */
  async villageOf(storeId: string): Promise<Village> {
    const profile = await this.deps.merchants.storeProfile(storeId);
    if (!profile) throw notFound('Store');
    const rows = await sql<{
      step: VillageStepKey;
      done_at: Date;
      reward_kind: RewardKind;
      reward_amount: number;
    }>`
      select step, done_at, reward_kind, reward_amount from growth_village_steps where store_id = ${storeId}`.execute(
      this.deps.db,
    );
    const done = new Map(rows.rows.map((r) => [r.step, r]));
    const apparel = profile.businessType === 'apparel';
    const steps = VILLAGE_STEPS.map((s) => {
      const row = done.get(s.key);
      return {
        key: s.key,
        required: !('apparelOnly' in s) || apparel,
        done: row !== undefined,
        doneAt: row ? new Date(row.done_at).toISOString() : null,
        reward: row
          ? { kind: row.reward_kind, amount: row.reward_amount, granted: true }
          : { kind: s.reward.kind, amount: s.reward.amount, granted: false },
      };
    });
    const required = steps.filter((s) => s.required);
    return { steps, done: required.filter((s) => s.done).length, total: required.length };
  }

  /** The merchant's village, its polled steps checked first (the page shows what was just done). */
  async myVillage(actor: Actor): Promise<Village> {
    const storeId = assertMerchant(actor);
    await this.checkStores([storeId]);
    return this.villageOf(storeId);
  }

  /**
   * Checks the steps other modules know (profile, products, size charts, on-time shipment; videos and
   * live sessions too, in case their events were missed) for these stores and marks what is done. Idempotent: a done step is not marked again.
   */
  async checkStores(storeIds: string[]): Promise<number> {
    if (storeIds.length === 0) return 0;
    const [products, charts, shipped, videos, lives] = await Promise.all([
      this.deps.catalog.productCountsByStore(storeIds, false),
      this.deps.catalog.storesWithSizeChart(storeIds),
      this.deps.orders.firstOnTimeShipments(storeIds),
      this.deps.videos.firstPublishedAt(storeIds),
      this.deps.live.firstStartedAt(storeIds),
    ]);
    const recorded = await sql<{ store_id: string; step: string }>`
      select store_id, step from growth_village_steps where store_id = any(${storeIds}::uuid[])`.execute(
      this.deps.db,
    );
    const done = new Set(recorded.rows.map((r) => `${r.store_id}:${r.step}`));
    let marked = 0;
    for (const storeId of storeIds) {
      const profile = await this.deps.merchants.storeProfile(storeId);
      if (!profile) continue;
      const now = this.deps.clock.now();
      const found: Array<[VillageStepKey, Date]> = [];
      if (profileComplete(profile)) found.push(['profile', now]);
      if ((products.get(storeId) ?? 0) > 0) found.push(['first_product', now]);
      if (profile.businessType === 'apparel' && charts.has(storeId)) found.push(['size_chart', now]);
      for (const [step, at] of [
        ['first_shipment', await this.firstShipmentToOthers(storeId, shipped.get(storeId) ?? [])],
        ['first_video', videos.get(storeId)],
        ['first_live', lives.get(storeId)],
      ] as const)
        if (at) found.push([step, at]);
      for (const [step, at] of found) {
        if (!done.has(`${storeId}:${step}`) && (await this.markStep(storeId, step, at))) marked++;
      }
    }
    return marked;
  }

  /** When the store first shipped on time to a buyer other than its owner (a store shipping to itself earns nothing). */
  private async firstShipmentToOthers(
    storeId: string,
    shipments: ReadonlyArray<{ buyerId: string; shippedAt: Date }>,
  ): Promise<Date | undefined> {
    for (const s of shipments)
      if (!(await this.deps.merchants.isOwnersAccount(storeId, s.buyerId))) return s.shippedAt;
    return undefined;
  }

  /**
   * The periodic check (exclusive task): stores opened in the last `VILLAGE_DAYS` days whose polled
   * steps are not all done, in batches (stores that finished them drop out; an apparel store only once
   * its size chart is done too).
   */
  async checkNewStores(batch = 200): Promise<number> {
    const since = new Date(this.deps.clock.now().getTime() - VILLAGE_DAYS * 86_400_000);
    const stores = (await storesOpenedSince(this.deps.db, since)).map((s) => s.id);
    const finished = await sql<{ store_id: string; polled: number; size_chart: boolean }>`
      select store_id, count(*) filter (where step <> 'size_chart')::int as polled,
             bool_or(step = 'size_chart') as size_chart
      from growth_village_steps
      where store_id = any(${stores}::uuid[])
        and step in ('profile', 'first_product', 'first_shipment', 'first_video', 'first_live', 'size_chart')
      group by store_id`.execute(this.deps.db);
    const candidates = finished.rows.filter((r) => r.polled === 5);
    const skip = new Set<string>();
    for (const r of candidates) {
      if (r.size_chart || (await this.deps.merchants.storeProfile(r.store_id))?.businessType !== 'apparel')
        skip.add(r.store_id);
    }
    const pending = stores.filter((id) => !skip.has(id));
    let marked = 0;
    for (let i = 0; i < pending.length; i += batch)
      marked += await this.checkStores(pending.slice(i, i + batch));
    return marked;
  }

  /**
   * Marks a step done and grants its reward, in one transaction: the step's row is the once-only
   * guard (a second mark, from a redelivered event or another process, inserts nothing and grants
   * nothing). Returns whether it was marked now.
   */
  async markStep(storeId: string, step: VillageStepKey, at: Date = this.deps.clock.now()): Promise<boolean> {
    const def = VILLAGE_STEPS.find((s) => s.key === step);
    if (!def) return false;
    let credits = 0;
    const marked = await this.deps.db.transaction().execute(async (trx) => {
      const inserted = await sql`
        insert into growth_village_steps (store_id, step, done_at, reward_kind, reward_amount)
        values (${storeId}, ${step}, ${at}, ${def.reward.kind}, 0)
        on conflict do nothing returning step`.execute(trx);
      if (inserted.rows.length === 0) return false;
      let amount = 0;
      if (def.reward.kind === 'traffic') {
        credits = await this.deps.traffic.grantVillageCredits(trx, {
          storeId,
          impressions: def.reward.amount,
          note: `newbie village: ${step}`,
        });
        amount = credits;
      } else {
        // The fee-free period: the commission-rebate programmes the store joined at its first order.
        const r = await sql<{ days: number }>`
          select coalesce(max(p.period_days), 0)::int as days from growth_incentives i
          join growth_programmes p on p.id = i.programme_id
          where i.store_id = ${storeId} and p.kind = 'commission_rebate'`.execute(trx);
        amount = r.rows[0]?.days ?? 0;
      }
      await sql`update growth_village_steps set reward_amount = ${amount},
          reward_kind = ${amount > 0 ? def.reward.kind : 'none'}
        where store_id = ${storeId} and step = ${step}`.execute(trx);
      return true;
    });
    if (credits > 0) await this.deps.traffic.planDay();
    return marked;
  }

  // ------------------------------------------------------------------ event facts

  /**
   * A paid order (order.paid): kept once with the order's own paid time; the store's first paid order
   * marks the village step and starts its period, at that paid time, in every active programme it is
   * eligible for (store opened at most `eligible_store_days` before). An order its own owner bought
   * (same phone) counts for nothing: no step, no incentive GMV.
   */
  async orderPaid(e: { orderId: string; storeId: string }): Promise<void> {
    const [order] = await this.deps.paidOrders([e.orderId]);
    if (!order) return;
    const profile = await this.deps.merchants.storeProfile(e.storeId);
    if (!profile) return;
    if (await this.deps.merchants.isOwnersAccount(e.storeId, order.buyerId)) return;
    const paidAt = order.paidAt;
    await this.deps.db.transaction().execute(async (trx) => {
      const inserted = await sql`
        insert into growth_orders (order_id, store_id, total_fen, paid_at) values (${e.orderId}, ${e.storeId},
          ${order.totalFen}, ${paidAt}) on conflict do nothing returning order_id`.execute(trx);
      if (inserted.rows.length === 0) return;
      const earlier = await sql<{ n: number }>`
        select count(*)::int as n from growth_orders where store_id = ${e.storeId} and order_id <> ${e.orderId}`.execute(
        trx,
      );
      if ((earlier.rows[0]?.n ?? 0) > 0) return;
      await sql`
        insert into growth_incentives (programme_id, store_id, starts_at, ends_at)
        select p.id, ${e.storeId}, ${paidAt}::timestamptz, ${paidAt}::timestamptz + make_interval(days => p.period_days)
        from growth_programmes p
        where p.status = 'active'
          and ${profile.openedAt}::timestamptz >= ${paidAt}::timestamptz - make_interval(days => p.eligible_store_days)
        on conflict do nothing`.execute(trx);
    });
    await this.markStep(e.storeId, 'first_order', paidAt);
  }

  /** A good review (review.created): the village step, unless the store's owner wrote it. */
  async goodReview(e: { storeId: string; buyerId: string }): Promise<void> {
    if (await this.deps.merchants.isOwnersAccount(e.storeId, e.buyerId)) return;
    await this.markStep(e.storeId, 'first_good_review');
  }

  /** A paid order refunded in full or cancelled after payment: none of its GMV counts. */
  async orderRefundedInFull(orderId: string): Promise<void> {
    await sql`update growth_orders set refunded_in_full = true where order_id = ${orderId}`.execute(
      this.deps.db,
    );
  }

  /** Money back for after-sale lines (aftersale.refunded): deducted from the order's GMV, once per request. */
  async aftersaleRefunded(e: { requestId: string; orderId: string; amountFen: number }): Promise<void> {
    await sql`insert into growth_refunds (request_id, order_id, amount_fen)
      values (${e.requestId}, ${e.orderId}, ${e.amountFen}) on conflict do nothing`.execute(this.deps.db);
  }

  // ------------------------------------------------------------------ incentives

  /** The store's incentives with their figures as they stand (accruing ones computed now). */
  incentivesOf(storeId: string): Promise<Incentive[]> {
    return this.incentivesWhere(sql`i.store_id = ${storeId}`);
  }

  private async incentivesWhere(where: RawSql): Promise<Incentive[]> {
    const r = await sql<{
      programme_id: string;
      name: string;
      kind: ProgrammeKind;
      store_id: string;
      starts_at: Date;
      ends_at: Date;
      status: IncentiveStatus;
      rate_bps: number;
      cap_fen: string;
      gmv_fen: string;
      refunds_fen: string;
      earned_fen: string;
      paid_fen: string;
      settled_at: Date | null;
      live_gmv: string;
      live_refunds: string;
    }>`
      select i.programme_id, p.name, p.kind, i.store_id, i.starts_at, i.ends_at, i.status, p.rate_bps, p.cap_fen,
             i.gmv_fen, i.refunds_fen, i.earned_fen, i.paid_fen, i.settled_at, n.gmv as live_gmv, n.refunds as live_refunds
      from growth_incentives i join growth_programmes p on p.id = i.programme_id
      cross join lateral (${netGmv(sql`i.store_id`, sql`i.starts_at`, sql`i.ends_at`)}) n
      where ${where}
      order by i.starts_at, p.name, i.store_id limit 500`.execute(this.deps.db);
    const stores = await storeSummaries(
      this.deps.db,
      r.rows.map((row) => row.store_id),
    );
    return r.rows.map((row) => {
      const accruing = row.status === 'accruing';
      const gmvFen = Number(accruing ? row.live_gmv : row.gmv_fen);
      const refundsFen = Number(accruing ? row.live_refunds : row.refunds_fen);
      const rateBps = row.rate_bps;
      const capFen = Number(row.cap_fen);
      return {
        programmeId: row.programme_id,
        programmeName: row.name,
        kind: row.kind,
        storeId: row.store_id,
        storeName: stores.get(row.store_id)?.name ?? null,
        startsAt: new Date(row.starts_at).toISOString(),
        endsAt: new Date(row.ends_at).toISOString(),
        status: row.status,
        rateBps,
        capFen,
        gmvFen,
        refundsFen,
        earnedFen: accruing ? earnedFen({ gmvFen, refundsFen, rateBps, capFen }) : Number(row.earned_fen),
        paidFen: Number(row.paid_fen),
        settledAt: row.settled_at ? new Date(row.settled_at).toISOString() : null,
      };
    });
  }

  async myIncentives(actor: Actor): Promise<Incentive[]> {
    return this.incentivesOf(assertMerchant(actor));
  }

  /**
   * Pays every incentive whose period ended (exclusive task), a bounded batch per run; a paused
   * programme pays nothing until it is resumed (its incentives stay accruing). Each in its
   * own transaction: the incentive leaves `accruing` by a conditional update (so it is paid once),
   * the amount is taken from the programme's remaining budget under its row lock (never below zero:
   * the remainder when the budget runs short, which marks the programme exhausted), and the ledger
   * pays the store in the same transaction.
   */
  async settleDue(limit = 100): Promise<number> {
    const now = this.deps.clock.now();
    const due = await sql<{ programme_id: string; store_id: string }>`
      select i.programme_id, i.store_id from growth_incentives i
      join growth_programmes p on p.id = i.programme_id
      where i.status = 'accruing' and i.ends_at <= ${now} and p.status <> 'paused'
      order by i.ends_at limit ${limit}`.execute(this.deps.db);
    let settled = 0;
    for (const d of due.rows) if (await this.settle(d.programme_id, d.store_id)) settled++;
    return settled;
  }

  /** Settles one store's incentive in one programme if its period ended; whether it was settled now. */
  async settle(programmeId: string, storeId: string): Promise<boolean> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const claimed = await sql<{ gmv: string; refunds: string; rate_bps: number; cap_fen: string }>`
        with i as (
          select i.programme_id, i.store_id, i.starts_at, i.ends_at from growth_incentives i
          where i.programme_id = ${programmeId} and i.store_id = ${storeId} and i.status = 'accruing'
            and i.ends_at <= ${now}
          for update
        )
        select n.gmv, n.refunds, p.rate_bps, p.cap_fen from i
        join growth_programmes p on p.id = i.programme_id and p.status <> 'paused'
        cross join lateral (${netGmv(sql`i.store_id`, sql`i.starts_at`, sql`i.ends_at`)}) n`.execute(trx);
      const c = claimed.rows[0];
      if (!c) return false;
      const gmvFen = Number(c.gmv);
      const refundsFen = Number(c.refunds);
      const earned = earnedFen({ gmvFen, refundsFen, rateBps: c.rate_bps, capFen: Number(c.cap_fen) });
      let paid = 0;
      if (earned > 0) {
        const taken = await sql<{ taken: string }>`
          with p as (
            select id, remaining_fen, least(remaining_fen, ${earned}::bigint) as taken
            from growth_programmes where id = ${programmeId} for update
          )
          update growth_programmes g set remaining_fen = p.remaining_fen - p.taken, updated_at = ${now},
            status = case when p.remaining_fen - p.taken = 0 then 'exhausted' else g.status end
          from p where g.id = p.id returning p.taken`.execute(trx);
        paid = Number(taken.rows[0]?.taken ?? 0);
        if (paid > 0) {
          await this.deps.ledger.payIncentive(trx, {
            storeId,
            amountFen: paid,
            expense: EXPENSE,
            reference: `${programmeId}:${storeId}`,
          });
        }
      }
      const status: IncentiveStatus = earned === 0 ? 'nothing' : paid === earned ? 'paid' : 'exhausted';
      await sql`
        update growth_incentives set status = ${status}, gmv_fen = ${gmvFen}, refunds_fen = ${refundsFen},
          earned_fen = ${earned}, paid_fen = ${paid}, settled_at = ${now}
        where programme_id = ${programmeId} and store_id = ${storeId}`.execute(trx);
      return true;
    });
  }

  // ------------------------------------------------------------------ programmes (operators)

  async programmes(actor: Actor): Promise<Programme[]> {
    assertOperator(actor);
    const r = await sql<ProgrammeRow>`
      select ${PROGRAMME_COLUMNS}, coalesce(s.stores, 0)::int as stores, coalesce(s.paid_fen, 0)::bigint as paid_fen
      from growth_programmes p
      left join (select programme_id, count(*) as stores, sum(paid_fen) as paid_fen from growth_incentives
                 group by programme_id) s on s.programme_id = p.id
      order by p.created_at desc, p.id`.execute(this.deps.db);
    return r.rows.map(programmeOf);
  }

  async createProgramme(actor: Actor, input: ProgrammeInput): Promise<Programme> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const id = newId();
    await sql`
      insert into growth_programmes (id, name, kind, eligible_store_days, period_days, rate_bps, cap_fen, budget_fen,
                                     remaining_fen, status, created_at, updated_at)
      values (${id}, ${input.name}, ${input.kind}, ${input.eligibleStoreDays}, ${input.periodDays}, ${input.rateBps},
              ${input.capFen}, ${input.budgetFen}, ${input.budgetFen}, 'active', ${now}, ${now})`.execute(
      this.deps.db,
    );
    return this.programme(id);
  }

  /**
   * Changes a programme. The budget may grow or shrink, never below what was already paid (the
   * remaining budget moves by the same amount; an exhausted programme given more budget is active
   * again); rate and cap apply to stores not settled yet, eligibility and period to stores joining later.
   */
  async updateProgramme(
    actor: Actor,
    id: string,
    patch: Partial<Omit<ProgrammeInput, 'kind'>> & { status?: 'active' | 'paused' | 'ended' },
  ): Promise<Programme> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const r = await sql`
      update growth_programmes set
        name = coalesce(${patch.name ?? null}, name),
        eligible_store_days = coalesce(${patch.eligibleStoreDays ?? null}::int, eligible_store_days),
        period_days = coalesce(${patch.periodDays ?? null}::int, period_days),
        rate_bps = coalesce(${patch.rateBps ?? null}::int, rate_bps),
        cap_fen = coalesce(${patch.capFen ?? null}::bigint, cap_fen),
        remaining_fen = remaining_fen + coalesce(${patch.budgetFen ?? null}::bigint, budget_fen) - budget_fen,
        budget_fen = coalesce(${patch.budgetFen ?? null}::bigint, budget_fen),
        status = case
          when coalesce(${patch.status ?? null}, status) in ('active', 'exhausted')
            then case when remaining_fen + coalesce(${patch.budgetFen ?? null}::bigint, budget_fen) - budget_fen = 0
                      then 'exhausted' else 'active' end
          else coalesce(${patch.status ?? null}, status) end,
        updated_at = ${now}
      where id = ${id}
        and remaining_fen + coalesce(${patch.budgetFen ?? null}::bigint, budget_fen) - budget_fen >= 0`.execute(
      this.deps.db,
    );
    if (Number(r.numAffectedRows ?? 0) === 0) {
      await this.programme(id);
      throw conflictBudget();
    }
    return this.programme(id);
  }

  /** A programme's stores (the latest 500) with what each earned and was paid. */
  async programmeIncentives(actor: Actor, programmeId: string): Promise<Incentive[]> {
    assertOperator(actor);
    await this.programme(programmeId);
    return this.incentivesWhere(sql`i.programme_id = ${programmeId}`);
  }

  /** A store's village as an operator sees it (steps polled first, as for its merchant). */
  async storeVillage(actor: Actor, storeId: string): Promise<Village> {
    assertOperator(actor);
    const village = await this.villageOf(storeId);
    if (await this.checkStores([storeId])) return this.villageOf(storeId);
    return village;
  }

  private async programme(id: string): Promise<Programme> {
    const r = await sql<ProgrammeRow>`
      select ${PROGRAMME_COLUMNS},
        (select count(*) from growth_incentives where programme_id = p.id)::int as stores,
        (select coalesce(sum(paid_fen), 0) from growth_incentives where programme_id = p.id)::bigint as paid_fen
      from growth_programmes p where p.id = ${id}`.execute(this.deps.db);
    const row = r.rows[0];
    if (!row) throw notFound('Programme');
    return programmeOf(row);
  }
}

/**
 * A store's paid GMV in [from, to) and what went back on those orders: the whole order when refunded
 * in full or cancelled after payment, else its after-sale refunds (never more than the order).
 */
function netGmv(storeId: RawSql, from: RawSql, to: RawSql) {
  return sql`
    select coalesce(sum(o.total_fen), 0)::bigint as gmv,
           coalesce(sum(case when o.refunded_in_full then o.total_fen
                             else least(o.total_fen, coalesce(r.fen, 0)) end), 0)::bigint as refunds
    from growth_orders o
    cross join lateral (select sum(amount_fen) as fen from growth_refunds where order_id = o.order_id) r
    where o.store_id = ${storeId} and o.paid_at >= ${from} and o.paid_at < ${to}`;
}

function conflictBudget() {
  return conflict('budget_below_paid', "A programme's budget cannot be less than what it has already paid");
}
