import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import { assertBuyer } from '../../platform/auth.ts';
import { businessDate } from '../../platform/business-day.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Publisher } from '../../platform/events.ts';
import { storeSummaries } from '../merchants/index.ts';
import type { FollowedStore, FollowSource, FollowState } from './api-schema.ts';
import type { SocialDb } from './tables.ts';

export interface SocialDeps {
  db: Db;
  clock: Clock;
  events: Publisher;
  /** The public store (404 when there is none or it is suspended): only open stores are followed. */
  publicStore: (storeId: string) => Promise<{ id: string; openedAt: Date }>;
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
   * source kept); a real follow counts for today and publishes `fan.followed` in its transaction.
   */
  async follow(actor: Actor, storeId: string, source: FollowSource): Promise<FollowState> {
    assertBuyer(actor);
    await this.deps.publicStore(storeId);
    const now = this.deps.clock.now();
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
    });
    return { following: true, fans: await this.fanCount(storeId) };
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

  /** The stores enrolled in the fan-growth plan, with their start, target and end. */
  planStores = async (): Promise<PlanStore[]> => [];
}
