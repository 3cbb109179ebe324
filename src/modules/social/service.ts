import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import { assertBuyer, assertMerchant, assertOperator } from '../../platform/auth.ts';
import { businessDate, lastBusinessDays } from '../../platform/business-day.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import type { EventPayload, Publisher } from '../../platform/events.ts';
import { maskedPhones } from '../identity/index.ts';
import type { NoticeInput } from '../inbox/index.ts';
import { storeSummaries } from '../merchants/index.ts';
import type { CouponView, MyCouponView } from '../pricing/index.ts';
import {
  type FanPlanView,
  FOLLOW_SOURCES,
  type FollowAnswer,
  type FollowedStore,
  type FollowSource,
  type FollowState,
  type MerchantFans,
  type PlanSettingsInput,
} from './api-schema.ts';
import {
  addDays,
  boostImpressions,
  expectedFans,
  type PlanSettings,
  type PlanTerms,
  planStatus,
  planTerms,
} from './fan-plan.ts';
import type { SocialDb } from './tables.ts';

/** Fans told of a new live or video per inbox statement (a store with many fans takes several). */
const NOTIFY_BATCH = 1000;
const DAY_MS = 86_400_000;

export interface SocialDeps {
  db: Db;
  clock: Clock;
  events: Publisher;
  /** The public store (404 when there is none or it is suspended): only open stores are followed. */
  publicStore: (storeId: string) => Promise<{ id: string; openedAt: Date }>;
  /** Whether the account is the store owner's person (merchants): owners do not follow their own store. */
  isOwnersAccount: (storeId: string, accountId: string) => Promise<boolean>;
  /** The inbox's `notify` (fans told of lives and videos). */
  notify: (db: Db, input: NoticeInput) => Promise<number>;
  /** Pricing's follow-store coupons granted to a new follower who has not bought (`pricing.grantFollowCoupons`). */
  grantFollowCoupons: (db: Db, input: { storeId: string; buyerId: string }) => Promise<CouponView[]>;
  /** Pricing's claim of a store's fan-only coupon (`pricing.claimFanCoupon`). */
  claimFanCoupon: (input: { storeId: string; buyerId: string; couponId: string }) => Promise<{
    claim: MyCouponView;
  }>;
  /** Pricing's follow-store and fan coupons of a store on offer now (`pricing.fanCoupons`). */
  fanCoupons: (storeId: string) => Promise<{ items: CouponView[] }>;
  /** Traffic's extra exposure for a plan store behind its line (`traffic.setFanGrowthBoost`). */
  setFanGrowthBoost: (storeId: string, day: string, impressions: number) => Promise<void>;
}

/** A store enrolled in the fan-growth plan (涨粉计划), as the dashboards read it. */
export interface PlanStore {
  storeId: string;
  startedOn: string;
  startFans: number;
  targetFans: number;
  endsOn: string;
}

export class SocialService {
  private readonly db: SocialDb;
  constructor(readonly deps: SocialDeps) {
    this.db = deps.db as unknown as SocialDb;
  }

  /**
   * The buyer follows the store. Following again while following changes nothing (no event, the first
   * source kept); a real follow counts for today, publishes `fan.followed` and is granted the store's
   * follow-store coupons (a buyer who has not bought from it, once per coupon) in its transaction.
   */
  async follow(actor: Actor, storeId: string, source: FollowSource): Promise<FollowAnswer> {
    assertBuyer(actor);
    await this.deps.publicStore(storeId);
    if (await this.deps.isOwnersAccount(storeId, actor.accountId))
      throw conflict('own_store', 'You cannot follow your own store');
    const now = this.deps.clock.now();
    let couponsGranted: CouponView[] = [];
    await this.db.transaction().execute(async (trx) => {
      const added = await trx
        .insertInto('social_follows')
        .values({ store_id: storeId, buyer_id: actor.accountId, source, followed_at: now })
        .onConflict((oc) => oc.columns(['store_id', 'buyer_id']).doNothing())
        .returning('store_id')
        .executeTakeFirst();
      if (!added) return;
      await this.count(trx, storeId, source, now, 1);
      await this.deps.events.publish(trx, 'fan.followed', {
        storeId,
        buyerId: actor.accountId,
        source,
        at: now.toISOString(),
      });
      couponsGranted = await this.deps.grantFollowCoupons(trx as unknown as Db, {
        storeId,
        buyerId: actor.accountId,
      });
    });
    return { following: true, fans: await this.fanCount(storeId), couponsGranted };
  }

  /** The store's follow-store and fan coupons on offer now (anyone; 404 for a store not open). */
  async storeFanCoupons(storeId: string): Promise<{ items: CouponView[] }> {
    await this.deps.publicStore(storeId);
    return this.deps.fanCoupons(storeId);
  }

  /** A fan claims one of the store's fan-only coupons; 403 `not_a_fan` for a buyer who does not follow it. */
  async claimFanCoupon(actor: Actor, storeId: string, couponId: string): Promise<{ claim: MyCouponView }> {
    assertBuyer(actor);
    await this.deps.publicStore(storeId);
    if (!(await this.isFan(storeId, actor.accountId)))
      throw new AppError(403, 'not_a_fan', 'Follow the store to claim its fan coupons');
    return this.deps.claimFanCoupon({ storeId, buyerId: actor.accountId, couponId });
  }

  /** The buyer stops following; not following already changes nothing. Publishes `fan.unfollowed`. */
  async unfollow(actor: Actor, storeId: string): Promise<FollowState> {
    assertBuyer(actor);
    const now = this.deps.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('social_follows')
        .where('store_id', '=', storeId)
        .where('buyer_id', '=', actor.accountId)
        .returning('source')
        .executeTakeFirst();
      if (!removed) return;
      await this.count(trx, storeId, removed.source, now, -1);
      await this.deps.events.publish(trx, 'fan.unfollowed', {
        storeId,
        buyerId: actor.accountId,
        at: now.toISOString(),
      });
    });
    return { following: false, fans: await this.fanCount(storeId) };
  }

  /** Today's follow (+1) or unfollow (-1) in the day counts and the store's total, in the change's transaction. */
  private async count(trx: SocialDb, storeId: string, source: FollowSource, at: Date, delta: 1 | -1) {
    const day = businessDate(at);
    const [followed, unfollowed] = delta === 1 ? [1, 0] : [0, 1];
    await sql`
      insert into social_fan_days (store_id, day, source, followed, unfollowed)
      values (${storeId}, ${day}, ${source}, ${followed}, ${unfollowed})
      on conflict (store_id, day, source) do update
      set followed = social_fan_days.followed + excluded.followed,
          unfollowed = social_fan_days.unfollowed + excluded.unfollowed`.execute(trx);
    await sql`
      insert into social_fan_totals (store_id, fans) values (${storeId}, ${Math.max(delta, 0)})
      on conflict (store_id) do update set fans = social_fan_totals.fans + ${delta}`.execute(trx);
  }

  /** Whether I follow the store and its fan count (anyone; `following` false unless a buyer who follows). */
  async followState(actor: Actor | null, storeId: string): Promise<FollowState> {
    await this.deps.publicStore(storeId);
    const following = actor?.role === 'buyer' ? await this.isFan(storeId, actor.accountId) : false;
    return { following, fans: await this.fanCount(storeId) };
  }

  /** The stores I follow, newest follow first. */
  async myFollows(actor: Actor): Promise<{ items: FollowedStore[] }> {
    assertBuyer(actor);
    const rows = await this.db
      .selectFrom('social_follows as f')
      .leftJoin('social_fan_totals as t', 't.store_id', 'f.store_id')
      .select(['f.store_id', 'f.followed_at', 't.fans'])
      .where('f.buyer_id', '=', actor.accountId)
      .orderBy('f.followed_at', 'desc')
      .limit(200)
      .execute();
    const stores = await storeSummaries(
      this.deps.db,
      rows.map((r) => r.store_id),
    );
    return {
      items: rows.flatMap((r) => {
        const store = stores.get(r.store_id);
        if (store?.status !== 'open') return [];
        return [
          {
            storeId: r.store_id,
            name: store.name,
            fans: r.fans ?? 0,
            followedAt: new Date(r.followed_at).toISOString(),
          },
        ];
      }),
    };
  }

  /** The store's fans now. */
  fanCount = async (storeId: string): Promise<number> => {
    const row = await this.db
      .selectFrom('social_fan_totals')
      .select('fans')
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row?.fans ?? 0;
  };

  /** Each store's fans at the end of business day `day` (YYYY-MM-DD); stores without fans get 0. */
  fanCountsOn = async (storeIds: string[], day: string): Promise<Map<string, number>> => {
    const ids = [...new Set(storeIds)];
    const counts = new Map(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('social_fan_days')
      .select(['store_id', sql<number>`sum(followed - unfollowed)::int`.as('fans')])
      .where('store_id', 'in', ids)
      .where('day', '<=', day)
      .groupBy('store_id')
      .execute();
    for (const r of rows) counts.set(r.store_id, Number(r.fans));
    return counts;
  };

  /** Whether the buyer follows the store now. */
  isFan = async (storeId: string, buyerId: string): Promise<boolean> => {
    const row = await this.db
      .selectFrom('social_follows')
      .select('store_id')
      .where('store_id', '=', storeId)
      .where('buyer_id', '=', buyerId)
      .executeTakeFirst();
    return row !== undefined;
  };

  // ---- fans told of new lives and videos ----

  /** `live.scheduled`: each fan of the store gets a notice, once per fan and session. */
  notifyFansOfLive(p: EventPayload<'live.scheduled'>): Promise<number> {
    return this.notifyFans(p.storeId, {
      kind: 'live.scheduled',
      title: '你关注的店铺预告了直播',
      body: p.title,
      link: `/live/${p.sessionId}`,
      dedupeKey: `live.scheduled:${p.sessionId}`,
    });
  }

  /** `video.published`: each fan of the store gets a notice, once per fan and video. */
  notifyFansOfVideo(p: EventPayload<'video.published'>): Promise<number> {
    return this.notifyFans(p.storeId, {
      kind: 'video.published',
      title: '你关注的店铺发布了新视频',
      body: p.title,
      link: `/store/${p.storeId}`,
      dedupeKey: `video.published:${p.videoId}`,
    });
  }

  /** Notices to every fan, a batch of fans per statement (keyset over buyer ids); the dedupe key makes a redelivery a no-op. */
  private async notifyFans(storeId: string, notice: Omit<NoticeInput, 'accountIds'>): Promise<number> {
    let after: string | null = null;
    let sent = 0;
    for (;;) {
      let q = this.db
        .selectFrom('social_follows')
        .select('buyer_id')
        .where('store_id', '=', storeId)
        .orderBy('buyer_id')
        .limit(NOTIFY_BATCH);
      if (after) q = q.where('buyer_id', '>', after);
      const fans = (await q.execute()).map((r) => r.buyer_id);
      if (fans.length === 0) return sent;
      sent += await this.deps.notify(this.deps.db, { ...notice, accountIds: fans });
      if (fans.length < NOTIFY_BATCH) return sent;
      after = fans[fans.length - 1] as string;
    }
  }

  // ---- the merchant's fans ----

  /** My store's fans: the total, a daily series, new fans by source, unfollows, the latest fans, the plan. */
  async merchantFans(actor: Actor, days: number): Promise<MerchantFans> {
    const storeId = assertMerchant(actor);
    const now = this.deps.clock.now();
    const dayList = lastBusinessDays(now, days);
    const first = dayList[0] as string;
    const [before, rows, recent, fans, settings] = await Promise.all([
      this.fanCountsOn([storeId], addDays(first, -1)),
      this.db
        .selectFrom('social_fan_days')
        .select(['day', 'source', 'followed', 'unfollowed'])
        .select(sql<string>`day::text`.as('day_text'))
        .where('store_id', '=', storeId)
        .where('day', '>=', first)
        .execute(),
      this.db
        .selectFrom('social_follows')
        .select(['buyer_id', 'source', 'followed_at'])
        .where('store_id', '=', storeId)
        .orderBy('followed_at', 'desc')
        .limit(20)
        .execute(),
      this.fanCount(storeId),
      this.planSettings(),
    ]);
    const byDay = new Map<string, { newFans: number; unfollows: number }>();
    const bySource = new Map<FollowSource, number>(FOLLOW_SOURCES.map((s) => [s, 0]));
    for (const r of rows) {
      const d = byDay.get(r.day_text) ?? { newFans: 0, unfollows: 0 };
      d.newFans += r.followed;
      d.unfollows += r.unfollowed;
      byDay.set(r.day_text, d);
      bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.followed);
    }
    let running = before.get(storeId) ?? 0;
    const series = dayList.map((day) => {
      const d = byDay.get(day) ?? { newFans: 0, unfollows: 0 };
      running += d.newFans - d.unfollows;
      return { day, fans: running, ...d };
    });
    const phones = await maskedPhones(
      this.deps.db,
      recent.map((r) => r.buyer_id),
    );
    const store = await this.deps.publicStore(storeId).catch(() => null);
    const plan = await this.planOf(storeId, fans, settings);
    return {
      fans,
      newFans: series.reduce((sum, d) => sum + d.newFans, 0),
      unfollows: series.reduce((sum, d) => sum + d.unfollows, 0),
      series,
      bySource: [...bySource].map(([source, newFans]) => ({ source, newFans })),
      recent: recent.map((r) => ({
        buyer: phones.get(r.buyer_id) ?? '',
        source: r.source,
        followedAt: new Date(r.followed_at).toISOString(),
      })),
      plan,
      canEnroll: plan === null && store !== null && this.isNewStore(store.openedAt, settings),
      planSettings: settings,
    };
  }

  // ---- the fan-growth plan (涨粉计划) ----

  async planSettings(): Promise<PlanSettings> {
    const r = await this.db
      .selectFrom('social_plan_settings')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return {
      targetPct: r.target_pct,
      days: r.days,
      minGain: r.min_gain,
      maxStoreAgeDays: r.max_store_age_days,
      impressionsPerFan: r.impressions_per_fan,
      maxDailyImpressions: r.max_daily_impressions,
    };
  }

  /** Operators set the plan's terms; plans already running keep the terms they enrolled with. */
  async setPlanSettings(actor: Actor, input: PlanSettingsInput): Promise<PlanSettings> {
    assertOperator(actor);
    await this.db
      .updateTable('social_plan_settings')
      .set({
        target_pct: input.targetPct,
        days: input.days,
        min_gain: input.minGain,
        max_store_age_days: input.maxStoreAgeDays,
        impressions_per_fan: input.impressionsPerFan,
        max_daily_impressions: input.maxDailyImpressions,
        updated_at: this.deps.clock.now(),
        updated_by: actor.accountId,
      })
      .where('id', '=', 1)
      .execute();
    return this.planSettings();
  }

  private isNewStore(openedAt: Date, s: PlanSettings): boolean {
    return this.deps.clock.now().getTime() - openedAt.getTime() <= s.maxStoreAgeDays * DAY_MS;
  }

  /**
   * Enrolls a store (its merchant, or an operator naming it): a store opened at most maxStoreAgeDays
   * ago, once. The start is its fans now; the target and the days are today's settings.
   */
  async enroll(actor: Actor, storeIdForOperator?: string): Promise<FanPlanView> {
    let storeId: string;
    if (actor.role === 'operator') storeId = storeIdForOperator as string;
    else storeId = assertMerchant(actor);
    const store = await this.deps.publicStore(storeId);
    const settings = await this.planSettings();
    if (!this.isNewStore(store.openedAt, settings))
      throw conflict('fan_plan_not_eligible', 'The fan-growth plan is for stores opened recently', {
        maxStoreAgeDays: settings.maxStoreAgeDays,
      });
    const fans = await this.fanCount(storeId);
    const terms = planTerms(businessDate(this.deps.clock.now()), fans, settings);
    const added = await this.db
      .insertInto('social_plan_stores')
      .values({
        store_id: storeId,
        started_on: terms.startedOn,
        ends_on: terms.endsOn,
        start_fans: terms.startFans,
        target_fans: terms.targetFans,
        enrolled_by: actor.accountId,
        enrolled_at: this.deps.clock.now(),
      })
      .onConflict((oc) => oc.column('store_id').doNothing())
      .returning('store_id')
      .executeTakeFirst();
    if (!added) throw conflict('fan_plan_enrolled', 'The store is already in the fan-growth plan');
    return (await this.planOf(storeId, fans, settings)) as FanPlanView;
  }

  private async termsOf(storeIds?: string[]): Promise<Array<PlanTerms & { storeId: string }>> {
    let q = this.db
      .selectFrom('social_plan_stores')
      .select(['store_id', 'start_fans', 'target_fans'])
      .select([sql<string>`started_on::text`.as('started_on'), sql<string>`ends_on::text`.as('ends_on')])
      .orderBy('store_id');
    if (storeIds) q = q.where('store_id', 'in', storeIds);
    const rows = await q.execute();
    return rows.map((r) => ({
      storeId: r.store_id,
      startedOn: r.started_on,
      endsOn: r.ends_on,
      startFans: r.start_fans,
      targetFans: r.target_fans,
    }));
  }

  private async planOf(storeId: string, fans: number, settings: PlanSettings): Promise<FanPlanView | null> {
    const terms = (await this.termsOf([storeId]))[0];
    if (!terms) return null;
    const today = businessDate(this.deps.clock.now());
    const gain = terms.targetFans - terms.startFans;
    const days = Math.round((Date.parse(terms.endsOn) - Date.parse(today)) / DAY_MS);
    return {
      storeId,
      startedOn: terms.startedOn,
      endsOn: terms.endsOn,
      startFans: terms.startFans,
      targetFans: terms.targetFans,
      fans,
      expectedFans: expectedFans(terms, today),
      progressPct: Math.min(100, Math.max(0, Math.floor(((fans - terms.startFans) * 100) / gain))),
      daysLeft: Math.max(0, days),
      status: planStatus(terms, fans, today),
      boostImpressions: boostImpressions(terms, fans, today, settings),
    };
  }

  /**
   * The daily task (exclusive, idempotent): for each plan running today, today's extra exposure in
   * traffic — the boost when the store is behind its line, none (removed) when on track, met or over.
   * Returns how many stores were boosted.
   */
  async boostPlanStores(): Promise<number> {
    const today = businessDate(this.deps.clock.now());
    const settings = await this.planSettings();
    const running = (await this.termsOf()).filter((p) => p.startedOn <= today && today <= p.endsOn);
    let boosted = 0;
    for (const p of running) {
      const impressions = boostImpressions(p, await this.fanCount(p.storeId), today, settings);
      await this.deps.setFanGrowthBoost(p.storeId, today, impressions);
      if (impressions > 0) boosted += 1;
    }
    return boosted;
  }

  /**
   * For operators: the stores in the fan-growth plan, newest enrolment first (at most 200), each with its
   * name and where it stands today.
   */
  async planStoreViews(actor: Actor): Promise<Array<FanPlanView & { storeName: string }>> {
    assertOperator(actor);
    const rows = await this.db
      .selectFrom('social_plan_stores')
      .select('store_id')
      .orderBy('enrolled_at', 'desc')
      .orderBy('store_id')
      .limit(200)
      .execute();
    const storeIds = rows.map((r) => r.store_id);
    if (storeIds.length === 0) return [];
    const [settings, stores, totals] = await Promise.all([
      this.planSettings(),
      storeSummaries(this.db, storeIds),
      this.db
        .selectFrom('social_fan_totals')
        .select(['store_id', 'fans'])
        .where('store_id', 'in', storeIds)
        .execute(),
    ]);
    const fans = new Map(totals.map((t) => [t.store_id, t.fans]));
    const views = [];
    for (const storeId of storeIds) {
      const plan = await this.planOf(storeId, fans.get(storeId) ?? 0, settings);
      if (plan) views.push({ ...plan, storeName: stores.get(storeId)?.name ?? '' });
    }
    return views;
  }

  /** The stores enrolled in the fan-growth plan, with their start, target and end (the dashboards). */
  planStores = async (): Promise<PlanStore[]> =>
    (await this.termsOf()).map((p) => ({
      storeId: p.storeId,
      startedOn: p.startedOn,
      startFans: p.startFans,
      targetFans: p.targetFans,
      endsOn: p.endsOn,
    }));
}
