import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RetentionConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { lockFor } from '../../platform/locks.ts';
import { hitRateLimit, hitRateLimits } from '../../platform/rate-limit.ts';
import { deleteBatch, retentionCutoff } from '../../platform/retention.ts';
import { serviceInputs } from '../aftersale/index.ts';
import {
  type FeedProduct,
  type FeedProductCursor,
  feedProductPrices,
  feedProducts,
  feedProductsByIds,
  productCountsByStore,
} from '../catalog/index.ts';
import { storeSummaries, storesOpenedSince } from '../merchants/index.ts';
import { logisticsInputs } from '../orders/index.ts';
import { ratingInputs } from '../reviews/index.ts';
import type {
  CoverageAnswer,
  FeedCard,
  FeedEventInput,
  FeedPage,
  LaunchGrantInput,
  MerchantTraffic,
  PlanStatus,
  PlanStoresAnswer,
  PlanUseAnswer,
} from './api-schema.ts';
import { INTEREST_WEIGHT, interestsAfter, itemVector } from './engine/embedding.ts';
import { createFeedEngine, type ExtendedFeedEngine, type FeedEngineOptions } from './engine/feed-engine.ts';
import type { PlanContract, PlanSource, TrafficSource } from './engine/types.ts';
import { type FeedSession, formatCursor, Lru, parseCursor, SESSION_SHOWN_MAX } from './feed-sessions.ts';
import { impressionIdOf, newPageId, pageOfImpression, pageTimeOf } from './impression-ids.ts';
import { type FlushBatch, type LoggedPage, PageBuffer, quotedArrayLiteral } from './page-buffer.ts';
import {
  addDays,
  businessDate,
  coldStartTarget,
  coverageOf,
  dayBounds,
  type FuyaoCheck,
  fuyaoChecks,
  growthBps,
  isNewStore,
  lastBusinessDays,
  launchTarget,
  newUntil,
  planGmvCost,
} from './plan-rules.ts';
import type { FeedViewer } from './routes.ts';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings, trafficSettingsSchema } from './settings.ts';
import type { TrafficDb } from './tables.ts';

const DAY_MS = 86_400_000;
/**
 * How long an order's note waits for an impression page to be written (a page is flushed within about a
 * second; this covers a slow or retried flush in another process): the event bus's retries span it.
 */
const UNWRITTEN_IMPRESSION_WAIT_MS = 10 * 60_000;
/** The most launch credits (impressions) one store may be granted in all. */
export const LAUNCH_CREDITS_MAX = 100_000_000;
const PLAN_SOURCES: PlanSource[] = ['cold_start', 'launch', 'fuyao', 'fan_growth'];

export interface TrafficDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Uniform [0,1): seeded in tests (Thompson sampling). */
  random: () => number;
  engineOptions?: FeedEngineOptions;
  /** Flush the impression buffer once it holds this many rows (and on the timer). */
  flushRows?: number;
  /** Events per viewer per minute. */
  eventsPerMinute?: number;
  /** Anonymous feed pages per minute, per client address and per anonymous viewer (0 or absent: no limit). */
  anonPagesPerMinute?: number;
}

/** What a card shows beside what the engine ranks by. */
interface CardFacts {
  title: string;
  image: string;
  sales: number;
  productId: string | null;
}

/** An impression shown (clicks are checked against it). */
interface RecentImpression {
  viewerKey: string;
  itemKey: string;
  storeId: string;
  source: TrafficSource;
  day: string;
}

/**
 * An order line as the orders' events carry it (attribution helper's shape); read defensively, so a
 * line without attribution (or an older event) is simply not credited.
 */
export interface OrderLineFacts {
  skuId: string;
  productId?: string;
  quantity: number;
  amountFen?: number;
  attribution?: { impressionId?: string | null } | null;
}

const impressionOf = (l: OrderLineFacts) => l.attribution?.impressionId ?? null;

const viewerKeyOf = (v: { buyerId: string | null; anonId: string | null }) =>
  v.buyerId ? `b:${v.buyerId}` : `a:${v.anonId}`;

/**
 * The traffic module's use cases: the feed (an engine per process, fed from the catalogue and the
 * plans; impressions logged in batches), clicks and add-to-carts, order credit from the orders' events,
 * the plans (cold-start minimums, launch credits, Fuyao budgets) and the merchant's and operator's views.
 */
export class TrafficService {
  private engine: ExtendedFeedEngine;
  private readonly cards = new Map<string, CardFacts>();
  private readonly storeNames = new Map<string, string>();
  private readonly sessions = new Lru<string, FeedSession>(20_000);
  private readonly recentPages = new Lru<string, LoggedPage>(20_000);
  private readonly interests = new Lru<string, Float32Array | null>(50_000);
  private readonly interestLoads = new Set<string>();
  /** Anonymous id → buyer this process already linked (one write per pair, not per request). */
  private readonly links = new Lru<string, string>(50_000);
  /** Pages shown and not written yet, with what they add to the rollups. */
  private buffer = new PageBuffer();
  /** Batches whose write failed: retried as they were, so their rollups count once. */
  private failed: FlushBatch[] = [];
  /** The business day of the last page, and until when it holds. */
  private dayCache = { day: '', end: 0 };
  private flushing: Promise<void> | null = null;
  private loading: Promise<void> | null = null;
  private loaded = false;
  private productCursor: FeedProductCursor | null = null;
  private settingsCache: { settings: TrafficSettings; updatedAt: Date | null } | null = null;
  private readonly flushRows: number;

  constructor(private readonly deps: TrafficDeps) {
    this.engine = createFeedEngine(deps.engineOptions);
    this.flushRows = deps.flushRows ?? 20_000;
  }

  private get db(): TrafficDb {
    return this.deps.db as unknown as TrafficDb;
  }

  // ---------------------------------------------------------------- loading

  /** Loads the catalogue, item stats and today's contracts once (the first feed request waits for it). */
  start(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().then(
        () => {
          this.loaded = true;
        },
        (err) => {
          this.loading = null;
          throw err;
        },
      );
    }
    return this.loading;
  }

  private async load(): Promise<void> {
    const settings = await this.settings();
    this.engine = createFeedEngine({
      ...this.deps.engineOptions,
      planShareCap: settings.planTrafficCapBps / 10_000,
    });
    // Full load in batches, on-sale products only; then follow changes by the cursor.
    let cursor: FeedProductCursor | null = null;
    for (;;) {
      const batch = await feedProducts(this.deps.db, cursor, 5000, true);
      await this.applyProducts(batch);
      if (batch.length < 5000) break;
      const last = batch[batch.length - 1] as FeedProduct;
      cursor = { changedAt: last.changedAt, id: last.id };
    }
    await this.warmStats();
    // A first pacing step now (not 2 minutes later): the boosts start from today's delivery so far.
    await this.paceStep();
  }

  /** Cards and engine items for a batch of products (store names in one read). */
  private async applyProducts(batch: FeedProduct[], moveCursor = true): Promise<void> {
    if (batch.length === 0) return;
    const missing = [...new Set(batch.map((p) => p.storeId))].filter((id) => !this.storeNames.has(id));
    const stores = await storeSummaries(this.deps.db, missing);
    for (const [id, s] of stores) this.storeNames.set(id, s.status === 'open' ? s.name : '\u0000');
    for (const p of batch) {
      const key = `product:${p.id}`;
      const storeOpen = (this.storeNames.get(p.storeId) ?? '\u0000') !== '\u0000';
      if (!p.onSale || !storeOpen || p.priceFen <= 0) {
        if (this.cards.delete(key)) this.engine.removeItem(key);
        continue;
      }
      this.cards.set(key, { title: p.title, image: p.image, sales: p.sales, productId: p.id });
      this.engine.upsertItem({
        key,
        kind: 'product',
        id: p.id,
        storeId: p.storeId,
        categoryId: p.categoryId,
        priceFen: p.priceFen,
        vector: itemVector({
          categoryId: p.categoryId,
          parentCategoryIds: p.parentCategoryId ? [p.parentCategoryId] : [],
          priceFen: p.priceFen,
          storeId: p.storeId,
        }),
      });
    }
    if (!moveCursor) return;
    const last = batch[batch.length - 1] as FeedProduct;
    this.productCursor = { changedAt: last.changedAt, id: last.id };
  }

  /** The engine starts warm: each item's impressions, clicks and orders so far, from the stats table. */
  private async warmStats(): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('traffic_item_stats')
        .select(['item_key', 'impressions', 'clicks', 'orders'])
        .where('item_key', '>', after)
        .orderBy('item_key')
        .limit(10_000)
        .execute();
      for (const r of rows) {
        if (this.cards.has(r.item_key)) {
          this.engine.restoreCounts(r.item_key, {
            impressions: Number(r.impressions),
            clicks: Number(r.clicks),
            orders: Number(r.orders),
          });
        }
      }
      if (rows.length < 10_000) break;
      after = (rows[rows.length - 1] as { item_key: string }).item_key;
    }
  }

  /**
   * Follows the catalogue: products changed since the cursor (on sale, off sale, edits) in batches,
   * and, when `withPrices`, every on-sale product's final price again (a subsidy window moves prices
   * without touching the product) and the stores' names and status. Each process runs it on a timer.
   */
  async refreshItems(withPrices = false): Promise<number> {
    if (!this.loaded) return 0;
    let n = 0;
    for (;;) {
      const batch = await feedProducts(this.deps.db, this.productCursor, 2000);
      await this.applyProducts(batch);
      n += batch.length;
      if (batch.length < 2000) break;
    }
    if (withPrices) {
      const storeIds = [...this.storeNames.keys()];
      for (let i = 0; i < storeIds.length; i += 5000) {
        const stores = await storeSummaries(this.deps.db, storeIds.slice(i, i + 5000));
        for (const [id, s] of stores) this.storeNames.set(id, s.status === 'open' ? s.name : '\u0000');
      }
      // Reconciles with the catalogue: on-sale products of open stores the engine lacks are added (a
      // store opened again: its products did not change, so the cursor brings nothing; a change
      // committed after the cursor passed its time), and items no longer on sale are dropped.
      const before = new Set(this.cards.keys());
      const onSale = new Set<string>();
      const missing: string[] = [];
      let afterId: string | null = null;
      for (;;) {
        const prices = await feedProductPrices(this.deps.db, afterId, 5000);
        for (const p of prices) {
          const key = `product:${p.id}`;
          onSale.add(key);
          const item = this.engine.getItem(key);
          const card = this.cards.get(key);
          if (card) card.sales = p.sales;
          const storeName = this.storeNames.get(p.storeId);
          if (!item) {
            if (p.priceFen > 0 && storeName !== '\u0000') missing.push(p.id);
            continue;
          }
          if (storeName === undefined || storeName === '\u0000') {
            this.cards.delete(key);
            this.engine.removeItem(key);
          } else if (item.priceFen !== p.priceFen && p.priceFen > 0) {
            this.engine.upsertItem({ ...item, priceFen: p.priceFen });
            n++;
          }
        }
        if (prices.length < 5000) break;
        afterId = (prices[prices.length - 1] as { id: string }).id;
      }
      for (const key of before) {
        if (key.startsWith('product:') && !onSale.has(key) && this.cards.delete(key)) {
          this.engine.removeItem(key);
          n++;
        }
      }
      for (let i = 0; i < missing.length; i += 1000) {
        const batch = await feedProductsByIds(this.deps.db, missing.slice(i, i + 1000));
        await this.applyProducts(batch, false);
        n += batch.length;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- the feed

  /** A page of the feed: ranked by the engine in memory, each card logged as an impression (buffered). */
  async feed(viewer: FeedViewer, query: { cursor?: string; limit: number }): Promise<FeedPage> {
    if (!this.loaded) await this.start();
    await this.linkViewer(viewer);
    const now = this.deps.clock.now();
    const viewerKey = viewerKeyOf(viewer);
    const parsed = parseCursor(query.cursor);
    let sessionId = parsed?.sessionId ?? '';
    let session = parsed ? this.sessions.get(parsed.sessionId) : undefined;
    if (!session || session.viewerKey !== viewerKey) {
      sessionId = randomUUID().replaceAll('-', '');
      session = { viewerKey, shown: new Set(), page: 0, position: 0 };
      this.sessions.set(sessionId, session);
    }
    const interests = viewer.buyerId ? this.interestsOf(viewer.buyerId) : null;
    const engineViewer = { buyerId: viewer.buyerId, interests };
    const placements = this.engine.rank({
      viewer: engineViewer,
      now,
      pageSize: query.limit,
      exclude: session.shown,
      random: this.deps.random,
    });
    const page: LoggedPage = {
      id: newPageId(now),
      at: now,
      day: this.dayOf(now),
      viewerKey,
      buyerId: viewer.buyerId,
      anonId: viewer.buyerId ? null : viewer.anonId,
      firstPosition: session.position,
      kinds: [],
      itemIds: [],
      itemKeys: [],
      productIds: [],
      storeIds: [],
      sources: [],
    };
    const items: FeedCard[] = [];
    for (const p of placements) {
      const card = this.cards.get(p.item.key);
      if (!card) continue;
      const impressionId = impressionIdOf(page.id, page.itemIds.length);
      const position = session.position++;
      const productId = card.productId;
      session.shown.add(p.item.key);
      this.engine.recordImpression(p, engineViewer, now);
      page.kinds.push(p.item.kind);
      page.itemIds.push(p.item.id);
      page.itemKeys.push(p.item.key);
      page.productIds.push(productId);
      page.storeIds.push(p.item.storeId);
      page.sources.push(p.source);
      items.push({
        impressionId,
        position,
        kind: p.item.kind,
        id: p.item.id,
        productId,
        title: card.title,
        image: card.image,
        storeId: p.item.storeId,
        storeName: this.storeNames.get(p.item.storeId) ?? '',
        priceFen: p.item.priceFen,
        sales: card.sales,
        link: `/product/${productId ?? p.item.id}?from=feed&imp=${impressionId}`,
      });
    }
    if (session.shown.size > SESSION_SHOWN_MAX) {
      session.shown = new Set([...session.shown].slice(-SESSION_SHOWN_MAX));
    }
    session.page++;
    if (items.length > 0) {
      this.buffer.add(page);
      this.recentPages.set(page.id, page);
    }
    // One write at a time: pages shown meanwhile go into the next one (not a write per page).
    if (this.buffer.cards >= this.flushRows && !this.flushing) void this.flush().catch(() => {});
    return { items, nextCursor: items.length > 0 ? formatCursor(sessionId, session.page) : null };
  }

  /**
   * Anonymous feed pages are limited per client address and per anonymous viewer (the platform's
   * limiter: it holds across processes): a cookieless loop would otherwise fake cold-start delivery
   * and spend the plans' budgets, since impressions count when served. 429 beyond.
   */
  async limitAnonymousFeed(ip: string, anonId: string | null): Promise<void> {
    const limit = this.deps.anonPagesPerMinute ?? 0;
    if (limit <= 0) return;
    const message = 'Too many feed pages; try again in a minute';
    await hitRateLimits(this.deps.db, this.deps.clock, [
      { bucket: `traffic-feed-ip:${ip}`, limit, windowSeconds: 60, message },
      ...(anonId ? [{ bucket: `traffic-feed-viewer:${anonId}`, limit, windowSeconds: 60, message }] : []),
    ]);
  }

  /** The buyer's interests from memory; a miss starts a read in the background and ranks without them. */
  private interestsOf(buyerId: string): Float32Array | null {
    const cached = this.interests.get(buyerId);
    if (cached !== undefined) return cached;
    if (!this.interestLoads.has(buyerId)) {
      this.interestLoads.add(buyerId);
      void this.loadInterests(buyerId)
        .catch((err) => this.deps.log.warn({ err }, 'traffic: loading interests failed'))
        .finally(() => this.interestLoads.delete(buyerId));
    }
    return null;
  }

  private async loadInterests(buyerId: string): Promise<Float32Array | null> {
    const row = await this.db
      .selectFrom('traffic_interests')
      .select('vector')
      .where('buyer_id', '=', buyerId)
      .executeTakeFirst();
    const v = row ? Float32Array.from(row.vector.map(Number)) : null;
    this.interests.set(buyerId, v);
    return v;
  }

  /** The business day of `now` (the Intl formatting once per day, not per page). */
  private dayOf(now: Date): string {
    const t = now.getTime();
    if (t < this.dayCache.end && t >= this.dayCache.end - DAY_MS) return this.dayCache.day;
    const day = businessDate(now);
    this.dayCache = { day, end: dayBounds(day).end.getTime() };
    return day;
  }

  /**
   * Writes the buffered pages: one statement inserts them (one row per page) and adds their cards to
   * the per store, day and source rollups and the item stats, aggregated here (one upserted row per
   * store/day/source and per item). The rollups are added only when the pages were inserted, so a batch
   * retried after its commit was lost counts once; a failed batch is kept whole and retried as it was.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      return this.flushing.then(() =>
        this.buffer.cards > 0 || this.failed.length > 0 ? this.flush() : undefined,
      );
    }
    if (this.buffer.cards === 0 && this.failed.length === 0) return Promise.resolve();
    const batches = this.failed;
    this.failed = [];
    if (this.buffer.cards > 0) batches.push(this.buffer.take());
    this.flushing = (async () => {
      for (let i = 0; i < batches.length; i++) {
        const batch = batches[i] as FlushBatch;
        try {
          await this.writeBatch(batch);
        } catch (err) {
          // Kept (bounded: the newest 10,000 pages' worth of batches) for the next flush.
          this.failed = batches.slice(i).concat(this.failed);
          let pages = 0;
          let keep = this.failed.length;
          while (keep > 0 && pages + (this.failed[keep - 1]?.pages.length ?? 0) <= 10_000) {
            pages += this.failed[keep - 1]?.pages.length ?? 0;
            keep--;
          }
          this.failed = this.failed.slice(keep);
          this.deps.log.warn(
            { err, pages: batch.pages.length },
            'traffic: impression flush failed; kept for the next one',
          );
          throw err;
        }
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeBatch(b: FlushBatch): Promise<void> {
    const pages = b.pages;
    const col = (f: (r: LoggedPage) => string | number | null) => quotedArrayLiteral(pages.map(f));
    await sql`
      with ins as (
        insert into traffic_pages (id, at, day, buyer_id, anon_id, first_position, item_kinds, item_ids,
                                   product_ids, store_ids, sources)
        select id, at, day, buyer_id, anon_id, first_position, item_kinds::text[], item_ids::uuid[],
               product_ids::uuid[], store_ids::uuid[], sources::text[]
        from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.at.toISOString())}::timestamptz[],
                    ${col((r) => r.day)}::date[], ${col((r) => r.buyerId)}::uuid[],
                    ${col((r) => r.anonId)}::uuid[], ${col((r) => r.firstPosition)}::int[],
                    ${b.literals.kinds}::text[], ${b.literals.itemIds}::text[], ${b.literals.productIds}::text[],
                    ${b.literals.storeIds}::text[], ${b.literals.sources}::text[])
          as p(id, at, day, buyer_id, anon_id, first_position, item_kinds, item_ids, product_ids, store_ids, sources)
        on conflict (id) do nothing
        returning 1
      ), roll as (
        insert into traffic_daily as d (day, store_id, source, impressions)
        select day, store_id, source, n
        from unnest(${b.daily.days}::date[], ${b.daily.storeIds}::uuid[], ${b.daily.sources}::text[],
                    ${b.daily.counts}::int[]) as r(day, store_id, source, n)
        where exists (select 1 from ins)
        order by day, store_id, source
        on conflict (day, store_id, source) do update set impressions = d.impressions + excluded.impressions
      ), stats as (
        insert into traffic_item_stats as s (item_key, impressions)
        select k, n from unnest(${b.items.keys}::text[], ${b.items.counts}::bigint[]) as x(k, n)
        where exists (select 1 from ins)
        order by k
        on conflict (item_key) do update set impressions = s.impressions + excluded.impressions
      )
      select count(*)::int as n from ins`.execute(this.deps.db);
  }

  // ---------------------------------------------------------------- clicks and add-to-carts

  /**
   * A click or add-to-cart on an impression shown to this viewer (else 404), counted once per
   * (impression, kind) with its rollup and item stats in one statement. A click moves a signed-in
   * buyer's interests toward the item.
   */
  async recordEvent(viewer: FeedViewer, input: FeedEventInput): Promise<{ counted: boolean }> {
    const viewerKey = viewerKeyOf(viewer);
    await hitRateLimit(
      this.deps.db,
      this.deps.clock,
      `traffic-events:${viewerKey}`,
      this.deps.eventsPerMinute ?? 120,
      60,
      'Too many feed events; try again in a minute',
    );
    await this.linkViewer(viewer);
    const shown = await this.impressionFor(input.impressionId);
    if (!shown || !(await this.shownTo(shown.viewerKey, viewer))) throw notFound('Impression');
    const now = this.deps.clock.now();
    const r = await sql<{ n: number }>`
      with ev as (
        insert into traffic_events (impression_id, kind, at) values (${input.impressionId}, ${input.kind}, ${now})
        on conflict do nothing returning impression_id
      ), roll as (
        insert into traffic_daily as d (day, store_id, source, clicks, carts)
        select ${shown.day}::date, ${shown.storeId}::uuid, ${shown.source}::text,
               ${input.kind === 'click' ? 1 : 0}::int, ${input.kind === 'cart' ? 1 : 0}::int from ev
        on conflict (day, store_id, source)
        do update set clicks = d.clicks + excluded.clicks, carts = d.carts + excluded.carts
      ), stats as (
        insert into traffic_item_stats as s (item_key, clicks)
        select ${shown.itemKey}::text, 1 from ev where ${input.kind} = 'click'
        on conflict (item_key) do update set clicks = s.clicks + 1
      )
      select count(*)::int as n from ev`.execute(this.deps.db);
    const counted = (r.rows[0]?.n ?? 0) > 0;
    if (counted && input.kind === 'click') {
      this.engine.recordClick(shown.itemKey, now, {
        buyerId: viewer.buyerId,
        interests: viewer.buyerId ? (this.interests.get(viewer.buyerId) ?? null) : null,
      });
      if (viewer.buyerId) await this.moveInterests(viewer.buyerId, shown.itemKey, INTEREST_WEIGHT.click);
    }
    return { counted };
  }

  /**
   * A signed-in buyer whose request carries the anonymous cookie: the anonymous id is linked to them
   * (one row per anonymous id, the latest buyer), so impressions shown before signing in count as shown
   * to them (events here, order credit in `notePlacedOrder`).
   */
  private async linkViewer(viewer: FeedViewer): Promise<void> {
    if (!viewer.buyerId || !viewer.anonId || this.links.get(viewer.anonId) === viewer.buyerId) return;
    await sql`
      insert into traffic_viewer_links (anon_id, buyer_id, linked_at)
      values (${viewer.anonId}, ${viewer.buyerId}, ${this.deps.clock.now()})
      on conflict (anon_id) do update set buyer_id = excluded.buyer_id, linked_at = excluded.linked_at`.execute(
      this.deps.db,
    );
    this.links.set(viewer.anonId, viewer.buyerId);
  }

  /** Was an impression shown (to `shownKey`) this viewer: the same viewer, or their linked anonymous id. */
  private async shownTo(shownKey: string, viewer: FeedViewer): Promise<boolean> {
    if (shownKey === viewerKeyOf(viewer)) return true;
    if (!viewer.buyerId || !shownKey.startsWith('a:')) return false;
    const anonId = shownKey.slice(2);
    if (anonId === viewer.anonId || this.links.get(anonId) === viewer.buyerId) return true;
    const row = await this.db
      .selectFrom('traffic_viewer_links')
      .select('buyer_id')
      .where('anon_id', '=', anonId)
      .executeTakeFirst();
    return row?.buyer_id === viewer.buyerId;
  }

  /** An impression by id: its page from this process's memory, else the page's row. */
  private async impressionFor(id: string): Promise<RecentImpression | null> {
    const ref = pageOfImpression(id);
    if (!ref) return null;
    const mine = this.recentPages.get(ref.pageId);
    if (mine) {
      const itemKey = mine.itemKeys[ref.index];
      if (itemKey === undefined) return null;
      return {
        viewerKey: mine.viewerKey,
        itemKey,
        storeId: mine.storeIds[ref.index] as string,
        source: mine.sources[ref.index] as TrafficSource,
        day: mine.day,
      };
    }
    const row = await sql<{
      buyer_id: string | null;
      anon_id: string | null;
      item_kind: string | null;
      item_id: string | null;
      store_id: string;
      source: TrafficSource;
      day: string;
    }>`select buyer_id, anon_id, item_kinds[${ref.index + 1}::int] as item_kind, item_ids[${ref.index + 1}::int] as item_id,
              store_ids[${ref.index + 1}::int] as store_id, sources[${ref.index + 1}::int] as source, day::text as day
       from traffic_pages where id = ${ref.pageId}`.execute(this.deps.db);
    const r = row.rows[0];
    if (!r || r.item_kind === null || r.item_id === null) return null;
    return {
      viewerKey: viewerKeyOf({ buyerId: r.buyer_id, anonId: r.anon_id }),
      itemKey: `${r.item_kind}:${r.item_id}`,
      storeId: r.store_id,
      source: r.source,
      day: r.day,
    };
  }

  /** The engine's interest update, stored (one upsert) and cached. */
  private async moveInterests(buyerId: string, itemKey: string, weight: number): Promise<void> {
    const item = this.engine.getItem(itemKey);
    if (!item) return;
    const before = this.interests.get(buyerId) ?? (await this.loadInterests(buyerId));
    const after = interestsAfter(before, item.vector, weight);
    this.interests.set(buyerId, after);
    const now = this.deps.clock.now();
    await sql`
      insert into traffic_interests (buyer_id, vector, updated_at) values (${buyerId}, ${Array.from(after)}::real[], ${now})
      on conflict (buyer_id) do update set vector = excluded.vector, updated_at = excluded.updated_at`.execute(
      this.deps.db,
    );
  }

  // ---------------------------------------------------------------- order credit

  /**
   * `order.placed`: the order's lines that came from a feed impression shown to this buyer for that
   * product are noted (not credited yet: that waits for payment). Idempotent.
   */
  async notePlacedOrder(e: {
    orderId: string;
    buyerId: string;
    lines?: readonly OrderLineFacts[];
  }): Promise<void> {
    const lines = (e.lines ?? []).flatMap((l) => {
      const imp = impressionOf(l);
      const ref = imp && l.productId ? pageOfImpression(imp) : null;
      return ref ? [{ ...l, impressionId: imp as string, ...ref }] : [];
    });
    if (lines.length === 0) return;
    await this.flush().catch(() => {});
    // An impression not written yet (another process's buffer, a flush in flight) makes the delivery
    // retry (the bus backs off): noting now would lose the credit for good. Only while its page id says
    // it was shown within UNWRITTEN_IMPRESSION_WAIT_MS: an id no page ever had (made up, or pruned by
    // retention) is noted without credit instead of retried into the dead letters.
    const now = this.deps.clock.now();
    const pageIds = [...new Set(lines.map((x) => x.pageId))];
    const found = await sql<{ id: string }>`
      select id from traffic_pages where id = any(${pageIds}::uuid[])`.execute(this.deps.db);
    const written = new Set(found.rows.map((r) => r.id));
    const awaited = pageIds.filter((id) => {
      if (written.has(id)) return false;
      const age = now.getTime() - pageTimeOf(id).getTime();
      return age >= -UNWRITTEN_IMPRESSION_WAIT_MS && age <= UNWRITTEN_IMPRESSION_WAIT_MS;
    });
    if (awaited.length > 0) {
      throw new Error(`order ${e.orderId}: an impression of its lines is not written yet; retrying`);
    }
    await sql`
      with o as (
        insert into traffic_orders (order_id, buyer_id, placed_at) values (${e.orderId}, ${e.buyerId}, ${now})
        on conflict do nothing returning order_id
      ), l as (
        select * from unnest(${lines.map((x) => x.skuId)}::uuid[], ${lines.map((x) => x.productId)}::uuid[],
                             ${lines.map((x) => x.impressionId)}::uuid[], ${lines.map((x) => x.pageId)}::uuid[],
                             ${lines.map((x) => x.index + 1)}::int[],
                             ${lines.map((x) => x.quantity)}::int[], ${lines.map((x) => x.amountFen ?? 0)}::bigint[])
          as l(sku_id, product_id, impression_id, page_id, slot, quantity, amount_fen)
      )
      insert into traffic_order_credits (order_id, sku_id, impression_id, store_id, source, item_key, quantity, amount_fen)
      select ${e.orderId}::uuid, l.sku_id, l.impression_id, p.store_ids[l.slot], p.sources[l.slot],
             p.item_kinds[l.slot] || ':' || p.item_ids[l.slot], l.quantity, l.amount_fen
      from l join traffic_pages p on p.id = l.page_id
        and p.product_ids[l.slot] = l.product_id
        and (p.buyer_id = ${e.buyerId}::uuid
             or p.anon_id in (select anon_id from traffic_viewer_links where buyer_id = ${e.buyerId}::uuid))
      on conflict do nothing`.execute(this.deps.db);
  }

  /**
   * `order.paid`: the noted lines are credited to their impressions' store, day (of payment) and
   * source, once (the order's `paid_day` is set by the same statement), and fed to the engine.
   * Lines with an impression but no note yet (`order.placed` not handled yet) make the delivery retry.
   */
  async creditPaidOrder(e: { orderId: string; lines?: readonly OrderLineFacts[] }): Promise<number> {
    if (!(e.lines ?? []).some(impressionOf)) return 0;
    const now = this.deps.clock.now();
    const day = businessDate(now);
    const r = await sql<{ noted: boolean; item_key: string | null; amount_fen: number | null }>`
      with o as (
        update traffic_orders set paid_day = ${day}::date
        where order_id = ${e.orderId} and paid_day is null and reversed_at is null returning order_id
      ), c as (
        select c.* from traffic_order_credits c join o on o.order_id = c.order_id
      ), roll as (
        insert into traffic_daily as d (day, store_id, source, orders, gmv_fen)
        select ${day}::date, store_id, source, 1, sum(amount_fen) from c
        group by store_id, source order by store_id, source
        on conflict (day, store_id, source)
        do update set orders = d.orders + excluded.orders, gmv_fen = d.gmv_fen + excluded.gmv_fen
      ), stats as (
        insert into traffic_item_stats as s (item_key, orders, gmv_fen)
        select item_key, count(*), sum(amount_fen) from c group by item_key order by item_key
        on conflict (item_key) do update set orders = s.orders + excluded.orders, gmv_fen = s.gmv_fen + excluded.gmv_fen
      )
      select exists (select 1 from traffic_orders where order_id = ${e.orderId}) as noted,
             c.item_key, c.amount_fen
      from (select 1) x left join c on true`.execute(this.deps.db);
    if (!r.rows[0]?.noted) throw new Error(`order ${e.orderId}: order.placed not handled yet; retrying`);
    let n = 0;
    for (const row of r.rows) {
      if (row.item_key === null) continue;
      this.engine.recordOrder(row.item_key, Number(row.amount_fen), now);
      n++;
    }
    return n;
  }

  /**
   * `order.cancelled` (when paid) and `order.refunded`: the order's credits are taken back, once. The
   * order is marked reversed even when not credited yet (its `order.paid` may be waiting for
   * `order.placed`), so a later payment credit skips it; a feed order not noted yet is kept as reversed.
   */
  async reverseOrder(orderId: string, lines?: readonly OrderLineFacts[]): Promise<void> {
    const now = this.deps.clock.now();
    const fromFeed = (lines ?? []).some(impressionOf);
    const mark = fromFeed
      ? sql`insert into traffic_orders as t (order_id, buyer_id, placed_at, reversed_at)
            values (${orderId}, null, ${now}, ${now})
            on conflict (order_id) do update set reversed_at = excluded.reversed_at where t.reversed_at is null
            returning order_id, paid_day`
      : sql`update traffic_orders set reversed_at = ${now}
            where order_id = ${orderId} and reversed_at is null returning order_id, paid_day`;
    await sql`
      with o as (${mark}), c as (
        select c.*, o.paid_day from traffic_order_credits c join o on o.order_id = c.order_id
        where o.paid_day is not null
      ), roll as (
        insert into traffic_daily as d (day, store_id, source, orders, gmv_fen)
        select paid_day, store_id, source, -1, -sum(amount_fen) from c
        group by paid_day, store_id, source order by store_id, source
        on conflict (day, store_id, source)
        do update set orders = d.orders + excluded.orders, gmv_fen = d.gmv_fen + excluded.gmv_fen
      ), stats as (
        insert into traffic_item_stats as s (item_key, orders, gmv_fen)
        select item_key, -count(*), -sum(amount_fen) from c group by item_key order by item_key
        on conflict (item_key) do update set orders = s.orders + excluded.orders, gmv_fen = s.gmv_fen + excluded.gmv_fen
      )
      select count(*) from o`.execute(this.deps.db);
  }

  // ---------------------------------------------------------------- settings

  async settings(): Promise<TrafficSettings> {
    return (await this.settingsRow()).settings;
  }

  private async settingsRow(): Promise<{ settings: TrafficSettings; updatedAt: Date | null }> {
    if (this.settingsCache) return this.settingsCache;
    this.settingsCache = await this.readSettings(this.db);
    return this.settingsCache;
  }

  /** The settings row as stored (defaults when missing or no longer valid), read through `db`. */
  private async readSettings(db: TrafficDb): Promise<{ settings: TrafficSettings; updatedAt: Date | null }> {
    const row = await db
      .selectFrom('traffic_settings')
      .select(['settings', 'updated_at'])
      .where('id', '=', 1)
      .executeTakeFirst();
    const parsed = row ? trafficSettingsSchema.safeParse(row.settings) : null;
    return {
      settings: parsed?.success ? parsed.data : DEFAULT_TRAFFIC_SETTINGS,
      updatedAt: row ? new Date(row.updated_at) : null,
    };
  }

  async settingsAnswer(): Promise<{ settings: TrafficSettings; updatedAt: string | null }> {
    this.settingsCache = null;
    const s = await this.settingsRow();
    return { settings: s.settings, updatedAt: s.updatedAt?.toISOString() ?? null };
  }

  /** Replaces the settings (validated by their schema), then plans today again with them. */
  async putSettings(
    actor: Actor,
    input: TrafficSettings,
  ): Promise<{ settings: TrafficSettings; updatedAt: string | null }> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const settings = trafficSettingsSchema.parse(input);
    const now = this.deps.clock.now();
    await sql`
      insert into traffic_settings (id, settings, updated_at, updated_by)
      values (1, ${JSON.stringify(settings)}::jsonb, ${now}, ${actor.accountId})
      on conflict (id) do update set settings = excluded.settings, updated_at = excluded.updated_at,
        updated_by = excluded.updated_by`.execute(this.deps.db);
    this.settingsCache = { settings, updatedAt: now };
    this.engine.setPlanShareCap(settings.planTrafficCapBps / 10_000);
    await this.planDay();
    return { settings, updatedAt: now.toISOString() };
  }

  // ---------------------------------------------------------------- plans

  /**
   * Today's plans (the `traffic.plan` task, every few minutes, one process at a time; idempotent):
   * automatic launch grants to new stores with a first product on sale; Fuyao grants to stores that
   * left cold start in the last 30 days and pass the criteria; then today's contracts: a cold-start
   * minimum per new store with ≥ 1 product on sale, the launch pace, the Fuyao budget. A store that
   * is no longer new loses its cold-start contract at the next run.
   */
  async planDay(): Promise<{ day: string; contracts: number; launchGrants: number; fuyaoGrants: number }> {
    this.settingsCache = null;
    const settings = await this.settings();
    this.engine.setPlanShareCap(settings.planTrafficCapBps / 10_000);
    const now = this.deps.clock.now();
    const today = businessDate(now);
    const since = new Date(now.getTime() - (settings.newStoreDays + 30) * DAY_MS);
    // Stores open now (a store whose opening is later than `now` has no plan yet: replays and clock skew).
    const recent = (await storesOpenedSince(this.deps.db, since)).filter(
      (s) => s.status === 'open' && s.openedAt.getTime() <= now.getTime(),
    );
    const onSale = await productCountsByStore(
      this.deps.db as never,
      recent.map((s) => s.id),
      true,
    );
    const fresh = recent.filter((s) => isNewStore(s.openedAt, now, settings) && (onSale.get(s.id) ?? 0) > 0);
    const graduated = recent.filter((s) => !isNewStore(s.openedAt, now, settings));

    // Every read of other modules' data first (PGlite has one connection: none inside the transaction).
    const granted = new Set(
      (
        await this.db
          .selectFrom('traffic_fuyao_grants')
          .select('store_id')
          .where('store_id', 'in', graduated.length ? graduated.map((s) => s.id) : [randomUUID()])
          .execute()
      ).map((r) => r.store_id),
    );
    const candidates = graduated.filter((s) => (onSale.get(s.id) ?? 0) > 0 && !granted.has(s.id));
    const checks = await this.fuyaoChecksFor(candidates, now, settings);
    const withGrants = await this.db
      .selectFrom('traffic_launch_grants')
      .select('store_id')
      .distinct()
      .where('ends_on', '>=', today)
      .execute();
    const openStores = new Set(
      [
        ...(
          await storeSummaries(
            this.deps.db,
            withGrants.map((g) => g.store_id),
          )
        ).values(),
      ]
        .filter((x) => x.status === 'open')
        .map((x) => x.id),
    );
    for (const x of fresh) openStores.add(x.id);

    let launchGrants = 0;
    let fuyaoGrants = 0;
    const contracts: Array<PlanContract & { startsAt?: Date }> = [];
    await this.deps.db.transaction().execute(async (trx) => {
      await lockFor(trx, 'traffic.plan', today);
      if (settings.launchCreditsPerStore > 0 && fresh.length > 0) {
        const ends = addDays(today, settings.launchPeriodDays - 1);
        const r = await sql`
          insert into traffic_launch_grants (id, store_id, impressions, starts_on, ends_on, granted_by, note, created_at)
          select gen_random_uuid(), s, ${settings.launchCreditsPerStore}, ${today}::date, ${ends}::date, 'auto',
                 'first product on sale', ${now}
          from unnest(${fresh.map((s) => s.id)}::uuid[]) as s
          on conflict (store_id) where granted_by = 'auto' do nothing`.execute(trx);
        launchGrants = Number(r.numAffectedRows ?? 0);
      }
      for (const s of candidates) {
        const c = checks.get(s.id) ?? [];
        if (!c.every((x) => x.pass)) continue;
        await sql`
          insert into traffic_fuyao_grants (store_id, starts_on, ends_on, budget_per_day, checks, granted_at)
          values (${s.id}, ${today}::date, ${addDays(today, settings.fuyao.periodDays - 1)}::date,
                  ${settings.fuyao.budgetPerDay}, ${JSON.stringify(c)}::jsonb, ${now})
          on conflict do nothing`.execute(trx);
        fuyaoGrants++;
      }

      // A store's first cold-start day runs from its first planning (it opened, or put its first product
      // on sale, late in the day: the minimum is prorated), its last day until its `newUntil`.
      const bounds = dayBounds(today);
      const seen = await sql<{ store_id: string; earlier: boolean; starts_at: Date | null; today: boolean }>`
        select store_id, bool_or(day < ${today}::date) as earlier, bool_or(day = ${today}::date) as today,
               max(starts_at) filter (where day = ${today}::date) as starts_at
        from traffic_contracts
        where source = 'cold_start' and day <= ${today}::date and store_id = any(${fresh.map((s) => s.id)}::uuid[])
        group by store_id`.execute(trx);
      const seenOf = new Map(seen.rows.map((r) => [r.store_id, r]));
      for (const s of fresh) {
        const before = seenOf.get(s.id);
        const from = before?.earlier
          ? bounds.start
          : before?.today
            ? new Date(before.starts_at ?? bounds.start)
            : now;
        const until = newUntil(s.openedAt, settings);
        const target = coldStartTarget({
          minimum: settings.coldStartMinDailyImpressions,
          day: bounds,
          from,
          until,
        });
        if (target <= 0) continue;
        contracts.push({
          storeId: s.id,
          source: 'cold_start',
          targetImpressions: target,
          kind: 'minimum',
          ...(from > bounds.start ? { startsAt: from } : {}),
          ...(until < bounds.end ? { endsAt: until } : {}),
        });
      }
      const launch = await sql<{
        store_id: string;
        granted: number;
        first: string;
        ends_on: string;
        spent: number;
      }>`
        with g as (
          select store_id, sum(impressions)::bigint as granted, min(starts_on) as first, max(ends_on) as ends_on
          from traffic_launch_grants group by store_id having max(ends_on) >= ${today}::date
        )
        select g.store_id, g.granted, g.first::text as first, g.ends_on::text as ends_on,
               coalesce((select sum(d.impressions) from traffic_daily d where d.store_id = g.store_id
                         and d.source = 'launch' and d.day >= g.first and d.day < ${today}::date), 0)::bigint as spent
        from g where g.first <= ${today}::date`.execute(trx);
      for (const l of launch.rows) {
        if (!openStores.has(l.store_id)) continue;
        const target = launchTarget({
          granted: l.granted,
          spentBeforeToday: l.spent,
          today,
          endsOn: l.ends_on,
        });
        if (target > 0)
          contracts.push({
            storeId: l.store_id,
            source: 'launch',
            targetImpressions: target,
            kind: 'budget',
          });
      }
      const fuyao = await (trx as unknown as TrafficDb)
        .selectFrom('traffic_fuyao_grants')
        .select(['store_id', 'budget_per_day'])
        .where('starts_on', '<=', today)
        .where('ends_on', '>=', today)
        .execute();
      for (const f of fuyao) {
        if (f.budget_per_day > 0) {
          contracts.push({
            storeId: f.store_id,
            source: 'fuyao',
            targetImpressions: f.budget_per_day,
            kind: 'budget',
          });
        }
      }
      // Fan-growth plan (social): the day's boost for a store behind its plan, if still open.
      const fanGrowth = await sql<{ store_id: string; impressions: number }>`
        select store_id, impressions from traffic_fan_growth_boosts where day = ${today}::date`.execute(trx);
      const boosted = await storeSummaries(
        trx,
        fanGrowth.rows.map((b) => b.store_id),
      );
      for (const b of fanGrowth.rows) {
        if (boosted.get(b.store_id)?.status !== 'open') continue;
        contracts.push({
          storeId: b.store_id,
          source: 'fan_growth',
          targetImpressions: b.impressions,
          kind: 'budget',
        });
      }
      await sql`delete from traffic_contracts where day = ${today}::date`.execute(trx);
      if (contracts.length > 0) {
        await sql`
          insert into traffic_contracts (day, store_id, source, kind, target_impressions, starts_at, ends_at)
          select ${today}::date, * from unnest(${contracts.map((c) => c.storeId)}::uuid[],
            ${contracts.map((c) => c.source)}::text[], ${contracts.map((c) => c.kind)}::text[],
            ${contracts.map((c) => c.targetImpressions)}::int[],
            ${contracts.map((c) => c.startsAt?.toISOString() ?? null)}::timestamptz[],
            ${contracts.map((c) => c.endsAt?.toISOString() ?? null)}::timestamptz[])`.execute(trx);
      }
    });
    if (this.loaded) await this.refreshContracts(now);
    return { day: today, contracts: contracts.length, launchGrants, fuyaoGrants };
  }

  /**
   * The fan-growth plan's (social) extra exposure for a store on a business day (YYYY-MM-DD): replaces
   * what was set for that day; 0 removes it. Planned into a `fan_growth` contract by `planDay`.
   */
  async setFanGrowthBoost(storeId: string, day: string, impressions: number): Promise<void> {
    if (impressions <= 0) {
      await sql`delete from traffic_fan_growth_boosts where day = ${day}::date and store_id = ${storeId}`.execute(
        this.deps.db,
      );
      return;
    }
    await sql`
      insert into traffic_fan_growth_boosts (day, store_id, impressions)
      values (${day}::date, ${storeId}, ${Math.round(impressions)})
      on conflict (day, store_id) do update set impressions = excluded.impressions`.execute(this.deps.db);
  }

  /** The Fuyao criteria for stores, each figure from its owner (reviews, orders, after-sale) or our rollups. */
  private async fuyaoChecksFor(
    stores: ReadonlyArray<{ id: string; openedAt: Date }>,
    now: Date,
    settings: TrafficSettings,
  ): Promise<Map<string, FuyaoCheck[]>> {
    const out = new Map<string, FuyaoCheck[]>();
    if (stores.length === 0) return out;
    const storeIds = stores.map((s) => s.id);
    const w = { from: new Date(now.getTime() - 30 * DAY_MS), to: now, storeIds };
    const [ratings, logistics, service, rollups] = await Promise.all([
      ratingInputs(this.deps.db, w),
      logisticsInputs(this.deps.db, w),
      serviceInputs(this.deps.db, w),
      sql<{ store_id: string; impressions: number; clicks: number; gmv_last: number; gmv_prev: number }>`
        select store_id, sum(impressions) filter (where day > ${addDays(businessDate(now), -7)}::date)::bigint as impressions,
               sum(clicks) filter (where day > ${addDays(businessDate(now), -7)}::date)::bigint as clicks,
               coalesce(sum(gmv_fen) filter (where day > ${addDays(businessDate(now), -7)}::date), 0)::bigint as gmv_last,
               coalesce(sum(gmv_fen) filter (where day <= ${addDays(businessDate(now), -7)}::date), 0)::bigint as gmv_prev
        from traffic_daily
        where store_id = any(${storeIds}::uuid[]) and day > ${addDays(businessDate(now), -14)}::date
        group by store_id`.execute(this.deps.db),
    ]);
    const roll = new Map(rollups.rows.map((r) => [r.store_id, r]));
    for (const s of stores) {
      const rt = ratings.get(s.id);
      const lg = logistics.get(s.id);
      const sv = service.get(s.id);
      const ro = roll.get(s.id);
      out.set(
        s.id,
        fuyaoChecks(
          {
            daysOpen: Math.floor((now.getTime() - s.openedAt.getTime()) / DAY_MS),
            rating: rt && rt.reviews > 0 ? Math.round((rt.ratingSum / rt.reviews) * 100) / 100 : null,
            refundRateBps: lg && lg.due > 0 ? Math.round(((sv?.requests ?? 0) / lg.due) * 10_000) : null,
            shippingHours: lg && lg.delivered > 0 ? Math.round(lg.deliveryHours / lg.delivered) : null,
            ctrBps: ro && ro.impressions > 0 ? Math.round((ro.clicks / ro.impressions) * 10_000) : null,
            gmvGrowthBps: ro ? growthBps(Number(ro.gmv_last), Number(ro.gmv_prev)) : null,
          },
          settings,
        ),
      );
    }
    return out;
  }

  /**
   * The demo's Fuyao store (seed only): granted today whatever its checks say (they are kept as they
   * stood, so the merchant's page shows them honestly); the daily plan grants only stores that pass.
   */
  async grantFuyaoForDemo(storeId: string): Promise<void> {
    const settings = await this.settings();
    const now = this.deps.clock.now();
    const today = businessDate(now);
    const store = (await storeSummaries(this.deps.db, [storeId])).get(storeId);
    if (!store) throw notFound('Store');
    const checks = (
      await this.fuyaoChecksFor([{ id: storeId, openedAt: store.openedAt }], now, settings)
    ).get(storeId);
    await sql`
      insert into traffic_fuyao_grants (store_id, starts_on, ends_on, budget_per_day, checks, granted_at)
      values (${storeId}, ${today}::date, ${addDays(today, settings.fuyao.periodDays - 1)}::date,
              ${settings.fuyao.budgetPerDay}, ${JSON.stringify(checks ?? [])}::jsonb, ${now})
      on conflict do nothing`.execute(this.deps.db);
    await this.planDay();
  }

  /** Grants launch credits to a store (an operator), spent from today over the period. */
  async grantLaunch(
    actor: Actor,
    input: LaunchGrantInput,
  ): Promise<{
    grant: { id: string; storeId: string; impressions: number; startsOn: string; endsOn: string };
  }> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const stores = await storeSummaries(this.deps.db, [input.storeId]);
    if (!stores.has(input.storeId)) throw notFound('Store');
    const settings = await this.settings();
    const now = this.deps.clock.now();
    const today = businessDate(now);
    const endsOn = addDays(today, (input.periodDays ?? settings.launchPeriodDays) - 1);
    const id = randomUUID();
    // A store's grants stay within LAUNCH_CREDITS_MAX in all (one grant at a time per store).
    const added = await this.deps.db.transaction().execute(async (trx) => {
      await lockFor(trx, 'traffic.launch-grant', input.storeId);
      const r = await sql`
        insert into traffic_launch_grants (id, store_id, impressions, starts_on, ends_on, granted_by, operator_id, note, created_at)
        select ${id}, ${input.storeId}, ${input.impressions}, ${today}::date, ${endsOn}::date, 'operator',
               ${actor.accountId}, ${input.note ?? ''}, ${now}
        where (select coalesce(sum(impressions), 0) from traffic_launch_grants where store_id = ${input.storeId})
              + ${input.impressions} <= ${LAUNCH_CREDITS_MAX}`.execute(trx);
      return Number(r.numAffectedRows ?? 0);
    });
    if (added === 0) {
      throw conflict(
        'launch_credits_limit',
        `A store's launch credits are at most ${LAUNCH_CREDITS_MAX.toLocaleString('en')} impressions in all`,
      );
    }
    await this.planDay();
    return { grant: { id, storeId: input.storeId, impressions: input.impressions, startsOn: today, endsOn } };
  }

  /**
   * Launch credits as a newbie-village reward (growth module), in the caller's transaction: growth's
   * step row written there makes it once per store and step. Capped so a store's grants stay within
   * LAUNCH_CREDITS_MAX; returns the impressions granted (0 when the store is at the cap). The caller
   * runs `planDay` after its commit so the credits reach today's contracts.
   */
  async grantVillageCredits(
    trx: Db,
    input: { storeId: string; impressions: number; note: string },
  ): Promise<number> {
    // Read through the caller's transaction: on the embedded database it holds the one connection.
    const { settings } = await this.readSettings(trx as TrafficDb);
    const now = this.deps.clock.now();
    const today = businessDate(now);
    await lockFor(trx, 'traffic.launch-grant', input.storeId);
    const r = await sql<{ impressions: number }>`
      insert into traffic_launch_grants (id, store_id, impressions, starts_on, ends_on, granted_by, note, created_at)
      select ${randomUUID()}, ${input.storeId}, g.n, ${today}::date,
             ${addDays(today, settings.launchPeriodDays - 1)}::date, 'village', ${input.note}, ${now}
      from (select least(${input.impressions}::bigint, ${LAUNCH_CREDITS_MAX}::bigint - coalesce(sum(impressions), 0))::int as n
            from traffic_launch_grants where store_id = ${input.storeId}) g
      where g.n > 0
      returning impressions`.execute(trx);
    return r.rows[0]?.impressions ?? 0;
  }

  // ---------------------------------------------------------------- pacing

  /** Today's contracts into this process's engine (again when the day turned or the plan changed). */
  private async refreshContracts(now: Date): Promise<void> {
    const today = businessDate(now);
    const rows = await this.db
      .selectFrom('traffic_contracts')
      .select(['store_id', 'source', 'kind', 'target_impressions', 'ends_at'])
      .where('day', '=', today)
      .execute();
    this.engine.setContracts(
      rows.map((r) => ({
        storeId: r.store_id,
        source: r.source,
        kind: r.kind,
        targetImpressions: r.target_impressions,
        ...(r.ends_at ? { endsAt: new Date(r.ends_at) } : {}),
      })),
      dayBounds(today),
    );
  }

  /**
   * A pacing step (every process, every minute or two): this process's impressions written, today's
   * contracts reloaded, the engine's tally replaced by the platform's (every process shares the day),
   * then the engine's pacer moves each contract's boost.
   */
  async pace(): Promise<void> {
    if (!this.loaded) await this.start();
    await this.flush().catch(() => {});
    await this.paceStep();
  }

  /** Today's contracts reloaded, the platform's delivery synced into the engine, then its pacer's step. */
  private async paceStep(): Promise<void> {
    const now = this.deps.clock.now();
    // The operator's settings as they stand (another process may have changed them): the cap applies
    // from this step on, in every process.
    this.settingsCache = null;
    this.engine.setPlanShareCap((await this.settings()).planTrafficCapBps / 10_000);
    await this.refreshContracts(now);
    const today = businessDate(now);
    const rows = await sql<{ store_id: string; source: TrafficSource; impressions: number }>`
      select store_id, source, impressions from traffic_daily
      where day = ${today}::date and store_id in (select store_id from traffic_contracts where day = ${today}::date)`.execute(
      this.deps.db,
    );
    const totals = await sql<{ impressions: number; plan: number }>`
      select coalesce(sum(impressions), 0)::bigint as impressions,
             coalesce(sum(impressions) filter (where source <> 'organic'), 0)::bigint as plan
      from traffic_daily where day = ${today}::date`.execute(this.deps.db);
    const byStore = new Map<string, number>();
    const bySourceOf = new Map<string, number>();
    for (const r of rows.rows) {
      byStore.set(r.store_id, (byStore.get(r.store_id) ?? 0) + r.impressions);
      bySourceOf.set(`${r.store_id}:${r.source}`, r.impressions);
    }
    const delivered: Array<{
      storeId: string;
      source: PlanSource;
      impressions: number;
      storeImpressions: number;
    }> = [];
    for (const c of this.engine.contractStates()) {
      delivered.push({
        storeId: c.storeId,
        source: c.source,
        impressions: bySourceOf.get(`${c.storeId}:${c.source}`) ?? 0,
        storeImpressions: byStore.get(c.storeId) ?? 0,
      });
    }
    const t = totals.rows[0];
    this.engine.syncDelivered(delivered, {
      impressions: Number(t?.impressions ?? 0),
      planImpressions: Number(t?.plan ?? 0),
    });
    this.engine.pace(now);
  }

  /** The contracts as this process's engine holds them (tests and the simulator's checks). */
  contractStates() {
    return this.engine.contractStates();
  }

  /** What this process's engine has learned (tests of the warm start): per item, and the pooled figures. */
  engineStats(keys: readonly string[]) {
    return {
      ...this.engine.stats(),
      counts: keys.map((k) => this.engine.itemCounts(k) ?? null),
      planShareCap: this.engine.planShareCap(),
    };
  }

  // ---------------------------------------------------------------- merchant views

  async merchantTraffic(storeId: string, days: number): Promise<MerchantTraffic> {
    const list = lastBusinessDays(this.deps.clock.now(), days);
    const rows = await sql<{
      day: string;
      source: TrafficSource;
      impressions: number;
      clicks: number;
      carts: number;
      orders: number;
      gmv_fen: number;
    }>`
      select day::text as day, source, impressions, clicks, carts, orders, gmv_fen from traffic_daily
      where store_id = ${storeId} and day >= ${list[0]}::date and day <= ${list[list.length - 1]}::date
      order by day, source`.execute(this.deps.db);
    return {
      storeId,
      days: list,
      rows: rows.rows.map((r) => ({
        day: r.day,
        source: r.source,
        impressions: r.impressions,
        clicks: r.clicks,
        carts: r.carts,
        orders: r.orders,
        gmvFen: Number(r.gmv_fen),
      })),
    };
  }

  async planStatus(storeId: string): Promise<PlanStatus> {
    const now = this.deps.clock.now();
    const today = businessDate(now);
    const settings = await this.settings();
    const [stores, onSale] = await Promise.all([
      storeSummaries(this.deps.db, [storeId]),
      productCountsByStore(this.deps.db as never, [storeId], true),
    ]);
    const store = stores.get(storeId);
    if (!store) throw notFound('Store');
    const [contracts, daily, grants, fuyao, spent] = await Promise.all([
      this.db
        .selectFrom('traffic_contracts')
        .selectAll()
        .where('day', '=', today)
        .where('store_id', '=', storeId)
        .execute(),
      this.db
        .selectFrom('traffic_daily')
        .select(['source', 'impressions'])
        .where('day', '=', today)
        .where('store_id', '=', storeId)
        .execute(),
      sql<{
        id: string;
        impressions: number;
        starts_on: string;
        ends_on: string;
        granted_by: 'auto' | 'operator' | 'village';
        note: string;
      }>`
        select id, impressions, starts_on::text as starts_on, ends_on::text as ends_on, granted_by, note
        from traffic_launch_grants where store_id = ${storeId} order by created_at, id`.execute(this.deps.db),
      sql<{ starts_on: string; ends_on: string; budget_per_day: number; checks: FuyaoCheck[] }>`
        select starts_on::text as starts_on, ends_on::text as ends_on, budget_per_day, checks
        from traffic_fuyao_grants where store_id = ${storeId}`.execute(this.deps.db),
      sql<{ n: number }>`
        select coalesce(sum(impressions), 0)::bigint as n from traffic_daily
        where store_id = ${storeId} and source = 'launch'`.execute(this.deps.db),
    ]);
    const deliveredOf = (source: TrafficSource) => daily.find((d) => d.source === source)?.impressions ?? 0;
    const contractOf = (source: PlanSource) => contracts.find((c) => c.source === source);
    const isNew = isNewStore(store.openedAt, now, settings);
    const granted = grants.rows.reduce((a, g) => a + g.impressions, 0);
    const spentAll = spent.rows[0]?.n ?? 0;
    const f = fuyao.rows[0];
    let fuyaoStatus: PlanStatus['fuyao']['status'];
    let checks: FuyaoCheck[];
    if (f) {
      fuyaoStatus = f.ends_on >= today ? 'active' : 'ended';
      checks = f.checks;
    } else {
      checks =
        (await this.fuyaoChecksFor([{ id: storeId, openedAt: store.openedAt }], now, settings)).get(
          storeId,
        ) ?? [];
      fuyaoStatus = isNew ? 'in_cold_start' : 'not_eligible';
    }
    return {
      storeId,
      today,
      coldStart: {
        isNew,
        newUntil: newUntil(store.openedAt, settings).toISOString(),
        productsOnSale: onSale.get(storeId) ?? 0,
        minimum: contractOf('cold_start')?.target_impressions ?? 0,
        delivered: deliveredOf('cold_start'),
        totalToday: daily.reduce((a, d) => a + d.impressions, 0),
      },
      launch: {
        granted,
        spent: spentAll,
        remaining: Math.max(0, granted - spentAll),
        todayTarget: contractOf('launch')?.target_impressions ?? 0,
        todayDelivered: deliveredOf('launch'),
        endsOn: grants.rows.reduce<string | null>(
          (a, g) => (a === null || g.ends_on > a ? g.ends_on : a),
          null,
        ),
        grants: grants.rows.map((g) => ({
          id: g.id,
          impressions: g.impressions,
          startsOn: g.starts_on,
          endsOn: g.ends_on,
          grantedBy: g.granted_by,
          note: g.note,
        })),
      },
      fuyao: {
        status: fuyaoStatus,
        startsOn: f?.starts_on ?? null,
        endsOn: f?.ends_on ?? null,
        budgetPerDay: f?.budget_per_day ?? 0,
        todayDelivered: deliveredOf('fuyao'),
        checks,
      },
    };
  }

  // ---------------------------------------------------------------- retention

  /**
   * Retention: one batch each of feed pages (their impressions) older than `feedImpressionDays` and of
   * clicks and add-to-carts (an event is never older than its impression by much; both by their own time). The
   * per-day rollups, item stats and order credits stay. Returns how many rows went.
   */
  async pruneImpressions(
    retention: Pick<RetentionConfig, 'feedImpressionDays' | 'batchSize'>,
  ): Promise<number> {
    const cutoff = retentionCutoff(this.deps.clock, retention.feedImpressionDays);
    const events = await deleteBatch(
      this.deps.db,
      'traffic_events',
      ['impression_id', 'kind'],
      sql`at < ${cutoff}`,
      retention.batchSize,
    );
    // Impressions are logged a page per row (`traffic_impressions` is a view of the pages' cards).
    const pages = await deleteBatch(
      this.deps.db,
      'traffic_pages',
      ['id'],
      sql`at < ${cutoff}`,
      retention.batchSize,
    );
    return events + pages;
  }

  // ---------------------------------------------------------------- operator views

  /** Coverage per day: contracts of cold start that day against the store's impressions (every source). */
  async coverage(days: number): Promise<CoverageAnswer> {
    const list = lastBusinessDays(this.deps.clock.now(), days);
    const rows = await sql<{ day: string; store_id: string; target: number; impressions: number }>`
      select c.day::text as day, c.store_id, c.target_impressions as target,
             coalesce((select sum(d.impressions) from traffic_daily d where d.day = c.day and d.store_id = c.store_id), 0)::bigint
               as impressions
      from traffic_contracts c
      where c.source = 'cold_start' and c.day >= ${list[0]}::date and c.day <= ${list[list.length - 1]}::date`.execute(
      this.deps.db,
    );
    return {
      days: list.map((day) => {
        const mine = rows.rows.filter((r) => r.day === day);
        const c = coverageOf(
          mine.map((r) => ({ storeId: r.store_id, target: r.target })),
          new Map(mine.map((r) => [r.store_id, r.impressions])),
        );
        return { day, ...c, minimum: mine.reduce((a, r) => Math.max(a, r.target), 0) };
      }),
    };
  }

  async planUse(days: number): Promise<PlanUseAnswer> {
    const list = lastBusinessDays(this.deps.clock.now(), days);
    const from = list[0] as string;
    const to = list[list.length - 1] as string;
    const [contracts, daily] = await Promise.all([
      sql<{ day: string; source: PlanSource; stores: number; target: number }>`
        select day::text as day, source, count(*)::bigint as stores, sum(target_impressions)::bigint as target
        from traffic_contracts where day >= ${from}::date and day <= ${to}::date group by day, source`.execute(
        this.deps.db,
      ),
      sql<{
        day: string;
        source: TrafficSource;
        impressions: number;
        clicks: number;
        orders: number;
        gmv: number;
      }>`
        select day::text as day, source, sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks,
               sum(orders)::bigint as orders, sum(gmv_fen)::bigint as gmv
        from traffic_daily where day >= ${from}::date and day <= ${to}::date group by day, source`.execute(
        this.deps.db,
      ),
    ]);
    const rows: PlanUseAnswer['rows'] = [];
    for (const day of list) {
      for (const source of PLAN_SOURCES) {
        const c = contracts.rows.find((r) => r.day === day && r.source === source);
        const d = daily.rows.find((r) => r.day === day && r.source === source);
        if (!c && !d) continue;
        rows.push({
          day,
          source,
          stores: c?.stores ?? 0,
          targetImpressions: c?.target ?? 0,
          deliveredImpressions: d?.impressions ?? 0,
          clicks: d?.clicks ?? 0,
          orders: d?.orders ?? 0,
          gmvFen: Number(d?.gmv ?? 0),
        });
      }
    }
    const sum = (source: TrafficSource, f: 'impressions' | 'gmv') =>
      daily.rows.filter((r) => r.source === source).reduce((a, r) => a + Number(r[f]), 0);
    const total = daily.rows.reduce((a, r) => a + r.impressions, 0);
    const planImpressions = daily.rows
      .filter((r) => r.source !== 'organic')
      .reduce((a, r) => a + r.impressions, 0);
    return {
      days: list,
      rows,
      cost: PLAN_SOURCES.map((source) => ({
        source,
        impressions: sum(source, 'impressions'),
        gmvFen: sum(source, 'gmv'),
        ...planGmvCost({
          planImpressions: sum(source, 'impressions'),
          planGmvFen: sum(source, 'gmv'),
          organicImpressions: sum('organic', 'impressions'),
          organicGmvFen: sum('organic', 'gmv'),
        }),
      })),
      method:
        "Each plan's impressions are valued at the organic GMV per impression of the same days (what organic ranking earned with its slots); the plan's own credited GMV is subtracted. Positive = GMV given up, negative = the plan earned more than organic slots did.",
      totalImpressions: total,
      planShareBps: total > 0 ? Math.round((planImpressions / total) * 10_000) : 0,
    };
  }

  async planStores(): Promise<PlanStoresAnswer> {
    const today = businessDate(this.deps.clock.now());
    const rows = await sql<{
      store_id: string;
      source: PlanSource;
      kind: 'minimum' | 'budget';
      target: number;
      delivered: number;
    }>`
      select c.store_id, c.source, c.kind, c.target_impressions as target,
             coalesce((select sum(d.impressions) from traffic_daily d where d.day = c.day and d.store_id = c.store_id
                       and (c.kind = 'minimum' or d.source = c.source)), 0)::bigint as delivered
      from traffic_contracts c where c.day = ${today}::date order by c.store_id, c.source`.execute(
      this.deps.db,
    );
    const ids = [...new Set(rows.rows.map((r) => r.store_id))];
    const [stores, launch] = await Promise.all([
      storeSummaries(this.deps.db, ids),
      sql<{ store_id: string; remaining: number }>`
        select g.store_id, greatest(0, g.granted - coalesce((select sum(d.impressions) from traffic_daily d
                 where d.store_id = g.store_id and d.source = 'launch'), 0))::bigint as remaining
        from (select store_id, sum(impressions) as granted from traffic_launch_grants
              where store_id = any(${ids}::uuid[]) group by store_id) g`.execute(this.deps.db),
    ]);
    return {
      today,
      stores: ids.map((id) => ({
        storeId: id,
        storeName: stores.get(id)?.name ?? '',
        openedAt: (stores.get(id)?.openedAt ?? new Date(0)).toISOString(),
        plans: rows.rows
          .filter((r) => r.store_id === id)
          .map((r) => ({
            source: r.source,
            targetImpressions: r.target,
            delivered: r.delivered,
            kind: r.kind,
          })),
        launchRemaining: launch.rows.find((l) => l.store_id === id)?.remaining ?? 0,
      })),
    };
  }

  /** Ends the process's part: the buffered impressions written. */
  async stop(): Promise<void> {
    await this.flush().catch((err) => this.deps.log.error({ err }, 'traffic: last impression flush failed'));
  }
}
