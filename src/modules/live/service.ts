import { sql } from 'kysely';
import type { z } from 'zod';
import { type Actor, assertBuyer, assertMerchant } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { EventPayload, Publisher } from '../../platform/events.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { hitRateLimit } from '../../platform/rate-limit.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import { feedProductsByIds } from '../catalog/index.ts';
import type { InboxService } from '../inbox/index.ts';
import { storeSummaries } from '../merchants/index.ts';
import type { PricingService } from '../pricing/index.ts';
import {
  COMMENT_WINDOW_SECONDS,
  COMMENTS_PER_WINDOW,
  type createSessionBody,
  type LiveSessionSummary,
  type liveComment,
  type liveProduct,
  type liveSale,
  type roomCoupon,
  type SessionStatus,
} from './api-schema.ts';
import { maskedName } from './mask.ts';

export type { LiveSessionSummary };

type LiveComment = z.infer<typeof liveComment>;
type LiveProduct = z.infer<typeof liveProduct>;
type LiveSale = z.infer<typeof liveSale>;
type RoomCoupon = z.infer<typeof roomCoupon>;
export type CreateSessionInput = z.infer<typeof createSessionBody>;

/** Where a publisher pushes a session's stream (the ingest module fills it in: `setIngestInfo`). */
export interface IngestInfo {
  rtmpUrl: string;
  streamKey: string;
  playUrl: string;
}
export type IngestInfoSource = (sessionId: string, streamKey: string) => IngestInfo | Promise<IngestInfo>;

export interface SessionStats {
  reservations: number;
  reservationsByVideo: Record<string, number>;
  uniqueViewers: number;
  peakViewers: number;
  pins: Array<{ productId: string; pinnedAt: string; unpinnedAt: string | null }>;
}

interface SessionRow {
  id: string;
  store_id: string;
  title: string;
  cover: string | null;
  scheduled_at: Date;
  status: SessionStatus;
  started_at: Date | null;
  ended_at: Date | null;
  product_ids: string[];
  pinned_product_id: string | null;
  stream_key: string;
  peak_viewers: number;
  created_at: Date;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function summaryOf(r: SessionRow): LiveSessionSummary {
  return {
    id: r.id,
    storeId: r.store_id,
    title: r.title,
    scheduledAt: new Date(r.scheduled_at).toISOString(),
    status: r.status,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    productIds: r.product_ids,
    pinnedProductId: r.pinned_product_id,
  };
}

/** The room of a session on the real-time hub. */
export const liveRoom = (sessionId: string) => `live:${sessionId}`;

export interface LiveDeps {
  db: Db;
  clock: Clock;
  events: Publisher;
  realtime: RealtimeHub;
  inbox: InboxService;
  pricing: PricingService;
  /** Watching now, in every process (the room registry, room.ts). */
  viewersNow?: (sessionId: string) => number;
  /**
   * The videos naming a session (the videos module's `listBySession`), looked up when called: that
   * module is built after this one. Without it no reservation is credited to a video.
   */
  videosOfSession?: (
    sessionId: string,
  ) => Promise<Array<{ id: string; kind: string; status: string; liveSessionId: string | null }>>;
}

/**
 * Live sessions: a merchant schedules one (title, time, products), buyers reserve it, the merchant
 * starts it (reservers are notified), pins the product being presented, pushes coupons into the room,
 * and stops it. Comments, viewers and the sales ticker travel on the session's room (`live:<id>`).
 */
export class LiveService {
  private ingestInfo: IngestInfoSource | null = null;
  private sessionOver: ((sessionId: string) => void) | null = null;
  viewersNow: (sessionId: string) => number;

  constructor(private readonly deps: LiveDeps) {
    this.viewersNow = deps.viewersNow ?? (() => 0);
  }

  /** The ingest module tells where publishers push (it is built after this one). */
  setIngestInfo(source: IngestInfoSource): void {
    this.ingestInfo = source;
  }

  /** The ingest closes a session's publisher (and its recording) when it stops, in this process. */
  onSessionOver(listener: (sessionId: string) => void): void {
    this.sessionOver = listener;
  }

  // ---- contract for other modules ----

  async getSession(id: string): Promise<LiveSessionSummary | null> {
    const row = await this.row(id);
    return row ? summaryOf(row) : null;
  }

  async sessionByStreamKey(key: string): Promise<LiveSessionSummary | null> {
    const r = await sql<SessionRow>`select * from live_sessions where stream_key = ${key}`.execute(
      this.deps.db,
    );
    return r.rows[0] ? summaryOf(r.rows[0]) : null;
  }

  async listStoreSessions(storeId: string): Promise<LiveSessionSummary[]> {
    const r = await sql<SessionRow>`
      select * from live_sessions where store_id = ${storeId}
      order by scheduled_at desc, id limit 200`.execute(this.deps.db);
    return r.rows.map(summaryOf);
  }

  /** For the newbie village: when each store first went live (a session started); others are absent. */
  async firstStartedAt(storeIds: string[]): Promise<Map<string, Date>> {
    if (storeIds.length === 0) return new Map();
    const r = await sql<{ store_id: string; at: Date }>`
      select store_id, min(started_at) as at from live_sessions
      where store_id = any(${storeIds}::uuid[]) and started_at is not null group by store_id`.execute(
      this.deps.db,
    );
    return new Map(r.rows.map((row) => [row.store_id, new Date(row.at)]));
  }

  async sessionStats(sessionId: string): Promise<SessionStats> {
    const db = this.deps.db;
    const [byVideo, viewers, peak, pins] = await Promise.all([
      sql<{ video: string | null; n: number }>`
        select source_video_id as video, count(*)::int as n from live_reservations
        where session_id = ${sessionId} group by source_video_id`.execute(db),
      sql<{ n: number }>`select count(*)::int as n from live_viewers where session_id = ${sessionId}`.execute(
        db,
      ),
      sql<{ n: number }>`select peak_viewers as n from live_sessions where id = ${sessionId}`.execute(db),
      sql<{ product_id: string; pinned_at: Date; unpinned_at: Date | null }>`
        select product_id, pinned_at, unpinned_at from live_pins where session_id = ${sessionId}
        order by pinned_at, id`.execute(db),
    ]);
    const reservationsByVideo: Record<string, number> = {};
    let reservations = 0;
    for (const r of byVideo.rows) {
      reservations += r.n;
      if (r.video) reservationsByVideo[r.video] = r.n;
    }
    return {
      reservations,
      reservationsByVideo,
      uniqueViewers: viewers.rows[0]?.n ?? 0,
      peakViewers: Math.max(peak.rows[0]?.n ?? 0, this.viewersNow(sessionId)),
      pins: pins.rows.map((p) => ({
        productId: p.product_id,
        pinnedAt: new Date(p.pinned_at).toISOString(),
        unpinnedAt: iso(p.unpinned_at),
      })),
    };
  }

  /** A buyer reserves a session (once: again is a no-op), from a reservation video or not. */
  async reserve(
    actor: Actor,
    sessionId: string,
    options: { sourceVideoId?: string } = {},
  ): Promise<{ reserved: boolean; reservations: number; created: boolean }> {
    assertBuyer(actor);
    const session = await this.row(sessionId);
    if (!session) throw notFound('Live session');
    if (session.status !== 'scheduled' && session.status !== 'live') {
      throw conflict('session_over', 'The session is over; it cannot be reserved');
    }
    const sourceVideoId = options.sourceVideoId?.toLowerCase();
    if (sourceVideoId !== undefined) {
      const videos = (await this.deps.videosOfSession?.(sessionId)) ?? [];
      const ok = videos.some(
        (v) =>
          v.id === sourceVideoId &&
          v.kind === 'reservation' &&
          v.status === 'published' &&
          v.liveSessionId === session.id,
      );
      if (!ok)
        throw unprocessable(
          'video_not_for_session',
          'That video is not a published reservation video of this session',
        );
    }
    const inserted = await sql`
      insert into live_reservations (session_id, buyer_id, source_video_id, created_at)
      values (${sessionId}, ${actor.accountId}, ${sourceVideoId ?? null}, ${this.deps.clock.now()})
      on conflict (session_id, buyer_id) do nothing`.execute(this.deps.db);
    return {
      reserved: true,
      reservations: await this.reservationCount(sessionId),
      created: Number(inserted.numAffectedRows ?? 0) > 0,
    };
  }

  async unreserve(actor: Actor, sessionId: string): Promise<{ reserved: boolean; reservations: number }> {
    assertBuyer(actor);
    if (!(await this.row(sessionId))) throw notFound('Live session');
    await sql`delete from live_reservations where session_id = ${sessionId} and buyer_id = ${actor.accountId}`.execute(
      this.deps.db,
    );
    return { reserved: false, reservations: await this.reservationCount(sessionId) };
  }

  // ---- merchant ----

  async create(actor: Actor, input: CreateSessionInput) {
    const storeId = assertMerchant(actor);
    const productIds = [...new Set(input.productIds)];
    const products = await feedProductsByIds(this.deps.db, productIds);
    const own = new Set(products.filter((p) => p.storeId === storeId).map((p) => p.id));
    const foreign = productIds.filter((id) => !own.has(id));
    if (foreign.length > 0) {
      throw unprocessable('product_not_in_store', 'Every product must be one of your store', {
        productIds: foreign,
      });
    }
    const now = this.deps.clock.now();
    // The store's fans hear of it (social): the event is written with the session, in one transaction.
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<SessionRow>`
        insert into live_sessions (id, store_id, title, cover, scheduled_at, product_ids, stream_key, created_at)
        values (${newId()}, ${storeId}, ${input.title}, ${input.cover ?? null}, ${new Date(input.scheduledAt)},
                ${productIds}::uuid[], ${newToken(18)}, ${now})
        returning *`.execute(trx);
      const session = r.rows[0] as SessionRow;
      await this.deps.events.publish(trx, 'live.scheduled', {
        sessionId: session.id,
        storeId,
        title: session.title,
        startsAt: new Date(session.scheduled_at).toISOString(),
      });
      return session;
    });
    return { session: await this.merchantListed(row) };
  }

  async merchantSessions(actor: Actor) {
    const storeId = assertMerchant(actor);
    const r = await sql<SessionRow & { reservations: number }>`
      select s.*, (select count(*)::int from live_reservations r where r.session_id = s.id) as reservations
      from live_sessions s where s.store_id = ${storeId}
      order by s.scheduled_at desc, s.id limit 200`.execute(this.deps.db);
    return {
      items: r.rows.map((row) => ({
        ...summaryOf(row),
        cover: row.cover,
        reservations: row.reservations,
        createdAt: new Date(row.created_at).toISOString(),
      })),
    };
  }

  async merchantSession(actor: Actor, sessionId: string) {
    const session = await this.ownSession(actor, sessionId);
    const [listed, products, stats, comments, sales, totals, coupons] = await Promise.all([
      this.merchantListed(session),
      this.products(session),
      this.sessionStats(sessionId),
      this.recentComments(sessionId),
      this.recentSales(sessionId),
      sql<{ orders: number; gmv: string }>`
        select count(distinct order_id)::int as orders, coalesce(sum(amount_fen), 0)::text as gmv
        from live_sales where session_id = ${sessionId}`.execute(this.deps.db),
      this.roomCoupons(session.store_id),
    ]);
    const ingest = this.ingestInfo ? await this.ingestInfo(session.id, session.stream_key) : null;
    return {
      session: {
        ...listed,
        streamKey: session.stream_key,
        ingest,
        products,
        viewers: this.viewersNow(sessionId),
        uniqueViewers: stats.uniqueViewers,
        peakViewers: stats.peakViewers,
        orders: totals.rows[0]?.orders ?? 0,
        gmvFen: Number(totals.rows[0]?.gmv ?? 0),
        comments,
        sales,
        coupons,
      },
    };
  }

  /** Starts a scheduled session: `live.started` (reservers are notified) and the room hears it. */
  async start(actor: Actor, sessionId: string) {
    await this.ownSession(actor, sessionId);
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<SessionRow>`
        update live_sessions set status = 'live', started_at = ${now}
        where id = ${sessionId} and status = 'scheduled' returning *`.execute(trx);
      const started = r.rows[0];
      if (!started) throw conflict('session_not_scheduled', 'Only a scheduled session can be started');
      await this.deps.events.publish(trx, 'live.started', {
        sessionId,
        storeId: started.store_id,
        title: started.title,
        startedAt: now.toISOString(),
      });
      return started;
    });
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'session', status: 'live' });
    return { session: await this.merchantListed(row) };
  }

  /** Stops a live session (or cancels a scheduled one): the pin closes, `live.ended` is published. */
  async stop(actor: Actor, sessionId: string) {
    await this.ownSession(actor, sessionId);
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<SessionRow>`
        update live_sessions
        set status = case when status = 'live' then 'ended' else 'cancelled' end,
            ended_at = ${now}, pinned_product_id = null,
            peak_viewers = greatest(peak_viewers, ${this.viewersNow(sessionId)})
        where id = ${sessionId} and status in ('live', 'scheduled') returning *`.execute(trx);
      const stopped = r.rows[0];
      if (!stopped) throw conflict('session_over', 'The session is already over');
      await sql`update live_pins set unpinned_at = ${now}
                where session_id = ${sessionId} and unpinned_at is null`.execute(trx);
      if (stopped.status === 'ended') {
        await this.deps.events.publish(trx, 'live.ended', {
          sessionId,
          storeId: stopped.store_id,
          endedAt: now.toISOString(),
        });
      }
      return stopped;
    });
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'pinned', productId: null });
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'session', status: row.status });
    try {
      this.sessionOver?.(sessionId);
    } catch {
      // The ingest's own periodic check closes it anyway.
    }
    return { session: await this.merchantListed(row) };
  }

  /** Pins the product being presented (讲解中), one of the session's own, while it is live; null unpins. */
  async pin(actor: Actor, sessionId: string, productId: string | null) {
    const session = await this.ownSession(actor, sessionId);
    if (productId !== null && !session.product_ids.includes(productId)) {
      throw unprocessable('product_not_in_session', 'Pin one of the products this session sells');
    }
    if (session.status !== 'live') throw conflict('session_not_live', 'The session is not live');
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<SessionRow>`
        update live_sessions set pinned_product_id = ${productId}
        where id = ${sessionId} and status = 'live' returning *`.execute(trx);
      const pinned = r.rows[0];
      if (!pinned) throw conflict('session_not_live', 'The session is not live');
      await sql`update live_pins set unpinned_at = ${now}
                where session_id = ${sessionId} and unpinned_at is null`.execute(trx);
      if (productId !== null) {
        await sql`insert into live_pins (session_id, product_id, pinned_at)
                  values (${sessionId}, ${productId}, ${now})`.execute(trx);
      }
      return pinned;
    });
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'pinned', productId });
    return { session: await this.merchantListed(row) };
  }

  /** Pushes one of the store's claimable coupons into the room (buyers claim it with pricing's claim). */
  async pushCoupon(actor: Actor, sessionId: string, couponId: string) {
    const session = await this.ownSession(actor, sessionId);
    if (session.status !== 'live') throw conflict('session_not_live', 'The session is not live');
    const coupon = (await this.roomCoupons(session.store_id)).find((c) => c.id === couponId);
    if (!coupon)
      throw unprocessable('coupon_not_claimable', 'Not a coupon of your store that can be claimed now');
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'coupon', coupon });
    return { coupon };
  }

  // ---- buyers and the public ----

  async publicSessions(actor: Actor | null) {
    const me = actor?.accountId ?? null;
    const r = await sql<SessionRow & { reservations: number; mine: boolean }>`
      select s.*, (select count(*)::int from live_reservations r where r.session_id = s.id) as reservations,
             exists (select 1 from live_reservations r where r.session_id = s.id and r.buyer_id = ${me}) as mine
      from live_sessions s where s.status in ('live', 'scheduled')
      order by (s.status = 'live') desc, s.scheduled_at, s.id limit 100`.execute(this.deps.db);
    const stores = await storeSummaries(
      this.deps.db,
      r.rows.map((s) => s.store_id),
    );
    return {
      items: r.rows.map((s) => ({
        ...summaryOf(s),
        storeName: stores.get(s.store_id)?.name ?? '',
        cover: s.cover,
        reservations: s.reservations,
        reservedByMe: s.mine,
        viewers: s.status === 'live' ? this.viewersNow(s.id) : 0,
      })),
    };
  }

  async publicSession(actor: Actor | null, sessionId: string) {
    const session = await this.row(sessionId);
    if (!session || session.status === 'cancelled') throw notFound('Live session');
    const me = actor?.accountId ?? null;
    const [stores, reservations, mine, products, comments, sales, coupons] = await Promise.all([
      storeSummaries(this.deps.db, [session.store_id]),
      this.reservationCount(sessionId),
      sql<{ n: number }>`select count(*)::int as n from live_reservations
                         where session_id = ${sessionId} and buyer_id = ${me}`.execute(this.deps.db),
      this.products(session),
      this.recentComments(sessionId),
      this.recentSales(sessionId),
      this.roomCoupons(session.store_id),
    ]);
    return {
      session: {
        ...summaryOf(session),
        storeName: stores.get(session.store_id)?.name ?? '',
        cover: session.cover,
        reservations,
        reservedByMe: (mine.rows[0]?.n ?? 0) > 0,
        viewers: session.status === 'live' ? this.viewersNow(sessionId) : 0,
        products,
        comments,
        sales,
        coupons,
      },
    };
  }

  /**
   * A comment in the room: signed in, the session live, the text one line of 1–120 characters
   * (checked by the caller's schema), at most 5 per account in 10 s across every instance.
   */
  async comment(actor: Actor, sessionId: string, text: string): Promise<{ comment: LiveComment }> {
    const session = await this.row(sessionId);
    if (!session || session.status === 'cancelled') throw notFound('Live session');
    if (session.status !== 'live') throw conflict('session_not_live', 'The session is not live');
    if (text.length === 0) throw badRequest('An empty comment');
    await hitRateLimit(
      this.deps.db,
      this.deps.clock,
      `live-comment:${actor.accountId}`,
      COMMENTS_PER_WINDOW,
      COMMENT_WINDOW_SECONDS,
      'Too many comments; wait a moment',
    );
    const comment: LiveComment = {
      id: newId(),
      name: maskedName(actor.phone),
      text,
      at: this.deps.clock.now().toISOString(),
    };
    await sql`insert into live_comments (id, session_id, author_id, name, text, created_at)
              values (${comment.id}, ${sessionId}, ${actor.accountId}, ${comment.name}, ${text},
                      ${new Date(comment.at)})`.execute(this.deps.db);
    this.deps.realtime.publish(liveRoom(sessionId), { type: 'comment', ...comment });
    return { comment };
  }

  /** A viewer joined a live session: counted once as a unique viewer. */
  async noteViewer(sessionId: string, viewerKey: string): Promise<void> {
    await sql`insert into live_viewers (session_id, viewer_key, first_seen)
              values (${sessionId}, ${viewerKey}, ${this.deps.clock.now()})
              on conflict do nothing`.execute(this.deps.db);
  }

  /** Keeps the session's peak of viewers watching at once. */
  async notePeak(sessionId: string, viewers: number): Promise<void> {
    await sql`update live_sessions set peak_viewers = ${viewers}
              where id = ${sessionId} and peak_viewers < ${viewers}`.execute(this.deps.db);
  }

  // ---- subscribers ----

  /** `order.paid`: lines bought in a room (channel live, contentId the session) feed its ticker and GMV. */
  async onOrderPaid(payload: EventPayload<'order.paid'>): Promise<number> {
    const lines = payload.lines.filter((l) => l.attribution.channel === 'live' && l.attribution.contentId);
    if (lines.length === 0) return 0;
    const now = this.deps.clock.now();
    const inserted = await sql<{ session_id: string; product_id: string; quantity: number }>`
      insert into live_sales (session_id, order_id, sku_id, product_id, quantity, amount_fen, paid_at)
      select l.session_id, ${payload.orderId}, l.sku_id, l.product_id, l.quantity, l.amount_fen, ${now}
      from unnest(${lines.map((l) => l.attribution.contentId)}::uuid[], ${lines.map((l) => l.skuId)}::uuid[],
                  ${lines.map((l) => l.productId)}::uuid[], ${lines.map((l) => l.quantity)}::int[],
                  ${lines.map((l) => l.amountFen)}::bigint[])
             as l(session_id, sku_id, product_id, quantity, amount_fen)
      where exists (select 1 from live_sessions s where s.id = l.session_id and s.store_id = ${payload.storeId})
      on conflict do nothing
      returning session_id, product_id, quantity`.execute(this.deps.db);
    if (inserted.rows.length === 0) return 0;
    const titles = new Map(
      (
        await feedProductsByIds(
          this.deps.db,
          inserted.rows.map((r) => r.product_id),
        )
      ).map((p) => [p.id, p.title]),
    );
    const name = `用户${payload.orderId.slice(0, 2)}***`;
    for (const r of inserted.rows) {
      this.deps.realtime.publish(liveRoom(r.session_id), {
        type: 'sale',
        name,
        productTitle: titles.get(r.product_id) ?? '',
        quantity: r.quantity,
        at: now.toISOString(),
      });
    }
    return inserted.rows.length;
  }

  /** `live.started`: every reserver gets a notice (once, however often the event is delivered). */
  async notifyReservers(payload: EventPayload<'live.started'>): Promise<number> {
    const buyers = await this.reservers(payload.sessionId);
    return this.deps.inbox.notify(this.deps.db, {
      accountIds: buyers,
      kind: 'live.started',
      title: '你预约的直播开始了',
      body: payload.title,
      link: `/live/${payload.sessionId}`,
      dedupeKey: `live.started:${payload.sessionId}`,
    });
  }

  /** `live.ended`: reservers hear it is over (the replays follow in the session page). */
  async notifyEnded(payload: EventPayload<'live.ended'>): Promise<number> {
    const session = await this.row(payload.sessionId);
    if (!session) return 0;
    return this.deps.inbox.notify(this.deps.db, {
      accountIds: await this.reservers(payload.sessionId),
      kind: 'live.ended',
      title: '你预约的直播已结束',
      body: session.title,
      link: `/live/${payload.sessionId}`,
      dedupeKey: `live.ended:${payload.sessionId}`,
    });
  }

  // ---- helpers ----

  private async reservers(sessionId: string): Promise<string[]> {
    const r = await sql<{ buyer_id: string }>`
      select buyer_id from live_reservations where session_id = ${sessionId}`.execute(this.deps.db);
    return r.rows.map((x) => x.buyer_id);
  }

  private async row(id: string): Promise<SessionRow | undefined> {
    const r = await sql<SessionRow>`select * from live_sessions where id = ${id}`.execute(this.deps.db);
    return r.rows[0];
  }

  /** The merchant's own session: another store's is not found (404), a non-merchant forbidden. */
  private async ownSession(actor: Actor, id: string): Promise<SessionRow> {
    const storeId = assertMerchant(actor);
    const row = await this.row(id);
    if (!row || row.store_id !== storeId) throw notFound('Live session');
    return row;
  }

  private async reservationCount(sessionId: string): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from live_reservations where session_id = ${sessionId}`.execute(this.deps.db);
    return r.rows[0]?.n ?? 0;
  }

  private async merchantListed(row: SessionRow) {
    return {
      ...summaryOf(row),
      cover: row.cover,
      reservations: await this.reservationCount(row.id),
      createdAt: new Date(row.created_at).toISOString(),
    };
  }

  private async products(session: SessionRow): Promise<LiveProduct[]> {
    const found = new Map((await feedProductsByIds(this.deps.db, session.product_ids)).map((p) => [p.id, p]));
    return session.product_ids.flatMap((id) => {
      const p = found.get(id);
      return p ? [{ id: p.id, title: p.title, image: p.image, priceFen: p.priceFen, onSale: p.onSale }] : [];
    });
  }

  private async recentComments(sessionId: string): Promise<LiveComment[]> {
    const r = await sql<{ id: string; name: string; text: string; created_at: Date }>`
      select id, name, text, created_at from live_comments where session_id = ${sessionId}
      order by created_at desc, id desc limit 50`.execute(this.deps.db);
    return r.rows
      .map((c) => ({ id: c.id, name: c.name, text: c.text, at: new Date(c.created_at).toISOString() }))
      .reverse();
  }

  private async recentSales(sessionId: string): Promise<LiveSale[]> {
    const r = await sql<{ order_id: string; product_id: string; quantity: number; paid_at: Date }>`
      select order_id, product_id, quantity, paid_at from live_sales where session_id = ${sessionId}
      order by paid_at desc, order_id limit 20`.execute(this.deps.db);
    const titles = new Map(
      (
        await feedProductsByIds(
          this.deps.db,
          r.rows.map((x) => x.product_id),
        )
      ).map((p) => [p.id, p.title]),
    );
    return r.rows.map((s) => ({
      name: `用户${s.order_id.slice(0, 2)}***`,
      productTitle: titles.get(s.product_id) ?? '',
      quantity: s.quantity,
      at: new Date(s.paid_at).toISOString(),
    }));
  }

  /** The store's coupons a buyer claims by hand (automatic ones need no claim). */
  private async roomCoupons(storeId: string): Promise<RoomCoupon[]> {
    const { items } = await this.deps.pricing.claimable(storeId);
    return items
      .filter((c) => c.storeId === storeId && !c.autoClaim)
      .map((c) => ({
        id: c.id,
        title: c.title,
        discountFen: c.discountFen,
        thresholdFen: c.thresholdFen,
        endsAt: c.endsAt,
      }));
  }
}
