import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import type { MediaTools } from '../../platform/ffmpeg.ts';
import { newId } from '../../platform/ids.ts';
import { hitRateLimit } from '../../platform/rate-limit.ts';
import { feedProductsByIds } from '../catalog/index.ts';
import { maskedPhones } from '../identity/index.ts';
import { storeSummaries } from '../merchants/index.ts';
import { makePoster, type ProbedVideo, probeVideo } from './media.ts';

export const VIDEO_KINDS = ['seeding', 'reservation', 'replay', 'plain'] as const;
export type VideoKind = (typeof VIDEO_KINDS)[number];
export type VideoStatus = 'draft' | 'published' | 'hidden';

/** The live module's session as `live.getSession` answers it. */
export interface LiveSessionSummary {
  id: string;
  storeId: string;
  title: string;
  scheduledAt: Date | string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  startedAt?: Date | string | null;
  endedAt?: Date | string | null;
  productIds?: string[];
  pinnedProductId?: string | null;
}

/** The part of the live module's service this module calls. */
export interface LiveSessions {
  getSession(id: string): Promise<LiveSessionSummary | null>;
}

/** A video as its owner, the replays module and the buyer pages see it. */
export interface VideoSummary {
  id: string;
  storeId: string;
  kind: VideoKind;
  title: string;
  status: VideoStatus;
  productIds: string[];
  liveSessionId: string | null;
  contentType: string;
  sizeBytes: number;
  durationMs: number;
  width: number;
  height: number;
  likes: number;
  comments: number;
  views: number;
  /** `/api/v1/videos/<id>/file` (range requests) and `/api/v1/videos/<id>/poster.jpg`. */
  fileUrl: string;
  posterUrl: string;
  createdAt: string;
  publishedAt: string | null;
}

export interface VideoLinks {
  kind?: VideoKind;
  title?: string;
  productIds?: string[];
  liveSessionId?: string | null;
}

export interface ImportFileInput {
  storeId: string;
  kind: VideoKind;
  title: string;
  filePath: string;
  productIds: string[];
  liveSessionId: string | null;
  /** Published at once unless said otherwise (a replay clip cut from the recording is published). */
  publish?: boolean;
}

export interface FeedProductLink {
  id: string;
  title: string;
  image: string;
  priceFen: number;
}

export interface FeedSession {
  id: string;
  title: string;
  scheduledAt: string;
  status: string;
}

export interface FeedVideo extends VideoSummary {
  storeName: string;
  products: FeedProductLink[];
  session: FeedSession | null;
  likedByMe: boolean;
}

export interface VideoComment {
  id: string;
  name: string;
  body: string;
  createdAt: string;
}

interface VideoRow {
  id: string;
  store_id: string;
  kind: VideoKind;
  title: string;
  status: VideoStatus;
  product_ids: string[];
  live_session_id: string | null;
  file_name: string;
  content_type: string;
  size_bytes: string | number;
  duration_ms: number;
  width: number;
  height: number;
  likes: number;
  comments: number;
  views: number;
  created_at: Date | string;
  published_at: Date | string | null;
}

export interface VideosDeps {
  db: Db;
  clock: Clock;
  /** `video.published` when a video is first published (the store's fans are told). */
  events: Publisher;
  /** config.media.dir: files go under `<dir>/videos`, uploads in progress under `<dir>/tmp`. */
  mediaDir: string;
  maxUploadBytes: number;
  tools: () => MediaTools | null;
  /** The live module's service, when the live module is there (null: no session can be linked). */
  live: () => LiveSessions | null;
  /** Comments a buyer may write per minute (default 5). */
  commentsPerMinute?: number;
}

export const MAX_PRODUCTS = 10;
export const COMMENT_MAX = 200;
const FEED_PAGE = 10;

/** An error of the file system (a string code such as ENOSPC), as opposed to one of the request's stream. */
export function isFsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function summary(r: VideoRow): VideoSummary {
  return {
    id: r.id,
    storeId: r.store_id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    productIds: r.product_ids ?? [],
    liveSessionId: r.live_session_id,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    durationMs: r.duration_ms,
    width: r.width,
    height: r.height,
    likes: r.likes,
    comments: r.comments,
    views: r.views,
    fileUrl: `/api/v1/videos/${r.id}/file`,
    posterUrl: `/api/v1/videos/${r.id}/poster.jpg`,
    createdAt: iso(r.created_at) as string,
    publishedAt: iso(r.published_at),
  };
}

/** Keyset cursor of the feed: `<published_at ISO>|<id>`, base64url. */
function encodeCursor(r: VideoRow): string {
  return Buffer.from(`${iso(r.published_at)}|${r.id}`).toString('base64url');
}
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id))
    throw new AppError(400, 'invalid_cursor', 'The cursor is not one this list gave');
  return { at, id };
}

/**
 * Short videos: the merchant's uploads (type checked by content with ffprobe, size limited, poster by
 * ffmpeg), their links (products for the cart, the live session a reservation video announces), publishing,
 * and the buyers' feed, likes, comments and views.
 */
export class VideosService {
  private readonly dir: string;
  private readonly tmp: string;

  constructor(private readonly deps: VideosDeps) {
    this.dir = path.join(deps.mediaDir, 'videos');
    this.tmp = path.join(deps.mediaDir, 'tmp');
  }

  /** The files of a video (both under `<media dir>/videos`). */
  filesOf(v: Pick<VideoRow, 'id' | 'file_name'>): { video: string; poster: string } {
    return { video: path.join(this.dir, v.file_name), poster: path.join(this.dir, `${v.id}.jpg`) };
  }

  private needTools(): MediaTools {
    const tools = this.deps.tools();
    if (!tools)
      throw new AppError(
        503,
        'video_tools_missing',
        'Video needs ffmpeg and ffprobe on the server; install ffmpeg',
      );
    return tools;
  }

  /**
   * A merchant's upload: the links are checked first, then the stream goes to a temporary file and stops
   * at the size limit (413 `video_too_large`), an empty one is 400 `video_empty`, anything ffprobe does not
   * read as an MP4/WebM with a video stream is 415 `unsupported_video`. Nothing is kept on any refusal.
   * The video starts as a draft.
   */
  async upload(
    actor: Actor & { storeId: string },
    stream: Readable,
    links: VideoLinks,
  ): Promise<VideoSummary> {
    const tools = this.needTools();
    const kind = links.kind ?? 'seeding';
    const productIds = links.productIds ?? [];
    await this.checkLinks(actor.storeId, kind, productIds, links.liveSessionId ?? null, false);
    await fs.mkdir(this.tmp, { recursive: true });
    const temp = path.join(this.tmp, `${newId()}.upload`);
    // Opened before the body is read: a write stream opening its own file could create it after a failed
    // pipeline and the `rm` below had run, leaving a stray temp file.
    const handle = await fs.open(temp, 'w');
    try {
      let bytes = 0;
      let over = false;
      const max = this.deps.maxUploadBytes;
      try {
        await pipeline(
          stream,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              bytes += chunk.length;
              if (bytes > max) {
                over = true;
                throw new AppError(413, 'video_too_large', `Videos may be at most ${max} bytes`);
              }
              yield chunk;
            }
          },
          handle.createWriteStream(),
        );
      } catch (err) {
        if (
          over ||
          (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ||
          (err as { statusCode?: number }).statusCode === 413
        )
          throw new AppError(
            413,
            'video_too_large',
            `Videos may be at most ${Math.floor(max / 1048576)} MB`,
            {
              maxBytes: max,
            },
          );
        // The body ended early or is not well-formed multipart: the client's fault. A file-system error
        // (ENOSPC, EACCES …) while writing the temp file is ours.
        if (!isFsError(err))
          throw new AppError(
            400,
            'upload_incomplete',
            'The upload was cut off or is not well-formed multipart',
          );
        throw err;
      }
      if ((stream as Readable & { truncated?: boolean }).truncated)
        throw new AppError(413, 'video_too_large', `Videos may be at most ${Math.floor(max / 1048576)} MB`, {
          maxBytes: max,
        });
      if (bytes === 0) throw new AppError(400, 'video_empty', 'The file is empty');
      return await this.store(tools, temp, {
        storeId: actor.storeId,
        kind,
        title: links.title ?? '',
        productIds,
        liveSessionId: links.liveSessionId ?? null,
        publish: false,
        move: true,
      });
    } finally {
      await handle.close().catch(() => {});
      await fs.rm(temp, { force: true });
    }
  }

  /**
   * A file already on this machine (the replays module's clip cut from a recording): probed, copied in with its
   * poster, published unless `publish: false`. Same link rules as the merchant's own.
   */
  async importFile(input: ImportFileInput): Promise<VideoSummary> {
    const tools = this.needTools();
    await this.checkLinks(
      input.storeId,
      input.kind,
      input.productIds,
      input.liveSessionId,
      input.publish ?? true,
    );
    return this.store(tools, input.filePath, { ...input, publish: input.publish ?? true, move: false });
  }

  private async store(
    tools: MediaTools,
    source: string,
    input: Omit<ImportFileInput, 'filePath'> & { publish: boolean; move: boolean },
  ): Promise<VideoSummary> {
    const probed: ProbedVideo | null = await probeVideo(tools, source);
    if (!probed) throw new AppError(415, 'unsupported_video', 'Upload an MP4 or WebM video');
    const id = newId();
    const fileName = `${id}.${probed.extension}`;
    await fs.mkdir(this.dir, { recursive: true });
    const files = this.filesOf({ id, file_name: fileName });
    try {
      await this.poster(tools, source, files.poster, probed.durationMs);
      if (input.move) await fs.rename(source, files.video);
      else await fs.copyFile(source, files.video);
      const size = (await fs.stat(files.video)).size;
      const now = this.deps.clock.now();
      const row = await this.deps.db.transaction().execute(async (trx) => {
        const r = await sql<VideoRow>`
          insert into videos (id, store_id, kind, title, status, product_ids, live_session_id, file_name,
            content_type, size_bytes, duration_ms, width, height, created_at, published_at)
          values (${id}, ${input.storeId}, ${input.kind}, ${input.title.trim()}, ${input.publish ? 'published' : 'draft'},
            ${input.productIds}::uuid[], ${input.liveSessionId}, ${fileName}, ${probed.contentType}, ${size},
            ${probed.durationMs}, ${probed.width}, ${probed.height}, ${now}, ${input.publish ? now : null})
          returning *`.execute(trx);
        const video = r.rows[0] as VideoRow;
        if (input.publish) await this.published(trx, video);
        return video;
      });
      return summary(row);
    } catch (err) {
      await fs.rm(files.video, { force: true });
      await fs.rm(files.poster, { force: true });
      throw err;
    }
  }

  /**
   * The poster, tried twice (a busy machine may kill or fail to start ffmpeg once). ffmpeg exiting with
   * an error both times means it cannot decode a frame: 415. Failing to run it at all is a 503.
   */
  private async poster(tools: MediaTools, source: string, poster: string, durationMs: number): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await makePoster(tools, source, poster, durationMs);
        return;
      } catch (err) {
        last = err;
      }
    }
    if (typeof (last as { code?: unknown }).code === 'number')
      throw new AppError(415, 'unsupported_video', 'The video cannot be decoded');
    throw new AppError(
      503,
      'video_tools_failed',
      'The server could not process the video just now; retry shortly',
    );
  }

  /**
   * The link rules: products of this store and on sale (at most 10); a reservation video announces a
   * session of this store that is scheduled or live (required to publish); a replay clip may name the
   * session it replays (this store's); seeding and plain videos name none.
   */
  private async checkLinks(
    storeId: string,
    kind: VideoKind,
    productIds: string[],
    liveSessionId: string | null,
    publishing: boolean,
  ): Promise<void> {
    const unique = [...new Set(productIds)];
    if (unique.length > MAX_PRODUCTS)
      throw new AppError(400, 'invalid_video_product', `Link at most ${MAX_PRODUCTS} products`);
    if (unique.length > 0) {
      const found = await feedProductsByIds(this.deps.db, unique);
      const ok = new Set(found.filter((p) => p.storeId === storeId && p.onSale).map((p) => p.id));
      const wrong = unique.filter((id) => !ok.has(id));
      if (wrong.length > 0)
        throw new AppError(400, 'invalid_video_product', 'Link products of your own store that are on sale', {
          productIds: wrong,
        });
    }
    if (kind === 'seeding' || kind === 'plain') {
      if (liveSessionId)
        throw new AppError(
          400,
          'video_session_not_allowed',
          'Only reservation and replay videos name a live session',
        );
      return;
    }
    if (!liveSessionId) {
      if (kind === 'reservation' && publishing)
        throw new AppError(
          400,
          'reservation_needs_session',
          'A reservation video announces a live session: choose one',
        );
      return;
    }
    const session = await this.deps.live()?.getSession(liveSessionId);
    if (!session || session.storeId !== storeId)
      throw new AppError(400, 'invalid_live_session', 'Choose a live session of your own store');
    if (kind === 'reservation' && session.status !== 'scheduled' && session.status !== 'live')
      throw new AppError(409, 'live_session_over', 'That live session has ended or was cancelled');
  }

  private async row(id: string): Promise<VideoRow | undefined> {
    const r = await sql<VideoRow>`select * from videos where id = ${id}`.execute(this.deps.db);
    return r.rows[0];
  }

  private async ownRow(actor: Actor & { storeId: string }, id: string): Promise<VideoRow> {
    const row = await this.row(id);
    if (!row || row.store_id !== actor.storeId) throw notFound('Video');
    return row;
  }

  /** The store's videos, newest first (at most 200). */
  async listMine(actor: Actor & { storeId: string }): Promise<VideoSummary[]> {
    const r = await sql<VideoRow>`
      select * from videos where store_id = ${actor.storeId} order by created_at desc, id desc limit 200`.execute(
      this.deps.db,
    );
    return r.rows.map(summary);
  }

  async mine(actor: Actor & { storeId: string }, id: string): Promise<VideoSummary> {
    return summary(await this.ownRow(actor, id));
  }

  /** Changes title, kind and links; a published video must still meet the publishing rules. */
  async update(actor: Actor & { storeId: string }, id: string, patch: VideoLinks): Promise<VideoSummary> {
    const row = await this.ownRow(actor, id);
    const kind = patch.kind ?? row.kind;
    const productIds = patch.productIds ? [...new Set(patch.productIds)] : row.product_ids;
    const liveSessionId = patch.liveSessionId !== undefined ? patch.liveSessionId : row.live_session_id;
    const title = patch.title ?? row.title;
    const published = row.status === 'published';
    if (published && title === '') throw new AppError(400, 'video_needs_title', 'Give the video a title');
    await this.checkLinks(actor.storeId, kind, productIds, liveSessionId, published);
    const r = await sql<VideoRow>`
      update videos set kind = ${kind}, title = ${title}, product_ids = ${productIds}::uuid[],
        live_session_id = ${liveSessionId}
      where id = ${id} returning *`.execute(this.deps.db);
    return summary(r.rows[0] as VideoRow);
  }

  /** Into the buyers' feed: needs a title and valid links (a reservation video its session). */
  async publish(actor: Actor & { storeId: string }, id: string): Promise<VideoSummary> {
    const row = await this.ownRow(actor, id);
    if (row.title === '') throw new AppError(400, 'video_needs_title', 'Give the video a title');
    await this.checkLinks(actor.storeId, row.kind, row.product_ids, row.live_session_id, true);
    const video = await this.deps.db.transaction().execute(async (trx) => {
      const r = await sql<VideoRow>`
        update videos set status = 'published', published_at = coalesce(published_at, ${this.deps.clock.now()})
        where id = ${id} returning *`.execute(trx);
      const updated = r.rows[0] as VideoRow;
      // Only the first publishing is news: publishing again after hiding it tells no one.
      if (row.published_at === null) await this.published(trx, updated);
      return updated;
    });
    return summary(video);
  }

  private published(trx: Db, video: VideoRow): Promise<void> {
    return this.deps.events.publish(trx, 'video.published', {
      videoId: video.id,
      storeId: video.store_id,
      title: video.title,
      kind: video.kind,
    });
  }

  /** Out of the feed (buyers get 404); publishing again brings it back. */
  async hide(actor: Actor & { storeId: string }, id: string): Promise<VideoSummary> {
    await this.ownRow(actor, id);
    const r = await sql<VideoRow>`update videos set status = 'hidden' where id = ${id} returning *`.execute(
      this.deps.db,
    );
    return summary(r.rows[0] as VideoRow);
  }

  /** A published video, or any of the caller's own store (for the merchant's preview); else 404. */
  async visible(actor: Actor | null, id: string): Promise<VideoRow> {
    const row = await this.row(id);
    if (!row || (row.status !== 'published' && (!actor?.storeId || actor.storeId !== row.store_id)))
      throw notFound('Video');
    return row;
  }

  /** The vertical feed: published videos, newest first, with their products' final prices. */
  async feed(
    actor: Actor | null,
    cursor: string | undefined,
    limit = FEED_PAGE,
  ): Promise<{ items: FeedVideo[]; nextCursor: string | null }> {
    const after = cursor ? decodeCursor(cursor) : null;
    const where = after ? sql`and (published_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
    const r = await sql<VideoRow>`
      select * from videos where status = 'published' ${where}
      order by published_at desc, id desc limit ${limit + 1}`.execute(this.deps.db);
    const rows = r.rows.slice(0, limit);
    const last = rows[rows.length - 1];
    return {
      items: await this.decorate(actor, rows),
      nextCursor: r.rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async feedItem(actor: Actor | null, id: string): Promise<FeedVideo> {
    const [item] = await this.decorate(actor, [await this.visible(actor, id)]);
    return item as FeedVideo;
  }

  private async decorate(actor: Actor | null, rows: VideoRow[]): Promise<FeedVideo[]> {
    if (rows.length === 0) return [];
    const products = new Map(
      (await feedProductsByIds(this.deps.db, [...new Set(rows.flatMap((r) => r.product_ids))])).map((p) => [
        p.id,
        p,
      ]),
    );
    const stores = await storeSummaries(
      this.deps.db,
      rows.map((r) => r.store_id),
    );
    const liked = new Set<string>();
    if (actor?.role === 'buyer') {
      const l = await sql<{ video_id: string }>`
        select video_id from video_likes where buyer_id = ${actor.accountId}
          and video_id = any(${rows.map((r) => r.id)}::uuid[])`.execute(this.deps.db);
      for (const x of l.rows) liked.add(x.video_id);
    }
    const live = this.deps.live();
    const sessions = new Map<string, FeedSession>();
    for (const id of new Set(rows.map((r) => r.live_session_id).filter((x): x is string => x !== null))) {
      const s = await live?.getSession(id).catch(() => null);
      if (s)
        sessions.set(id, {
          id: s.id,
          title: s.title,
          scheduledAt: new Date(s.scheduledAt).toISOString(),
          status: s.status,
        });
    }
    return rows.map((r) => ({
      ...summary(r),
      storeName: stores.get(r.store_id)?.name ?? '',
      products: r.product_ids.flatMap((id) => {
        const p = products.get(id);
        return p?.onSale ? [{ id: p.id, title: p.title, image: p.image, priceFen: p.priceFen }] : [];
      }),
      session: r.live_session_id ? (sessions.get(r.live_session_id) ?? null) : null,
      likedByMe: liked.has(r.id),
    }));
  }

  /** A buyer's like, once: liking again changes nothing. */
  async like(actor: Actor, id: string, on: boolean): Promise<{ liked: boolean; likes: number }> {
    await this.visible(actor, id);
    const db = this.deps.db;
    const changed = on
      ? await sql`insert into video_likes (video_id, buyer_id, created_at)
          values (${id}, ${actor.accountId}, ${this.deps.clock.now()}) on conflict do nothing`.execute(db)
      : await sql`delete from video_likes where video_id = ${id} and buyer_id = ${actor.accountId}`.execute(
          db,
        );
    if (Number(changed.numAffectedRows ?? 0) > 0)
      await sql`update videos set likes = greatest(0, likes + ${on ? 1 : -1}) where id = ${id}`.execute(db);
    const r = await sql<{ likes: number }>`select likes from videos where id = ${id}`.execute(db);
    return { liked: on, likes: r.rows[0]?.likes ?? 0 };
  }

  /** A buyer's comment (rate-limited per buyer; the text rules are the route's). */
  async comment(actor: Actor, id: string, body: string): Promise<VideoComment> {
    await this.visible(actor, id);
    const perMinute = this.deps.commentsPerMinute ?? 5;
    await hitRateLimit(
      this.deps.db,
      this.deps.clock,
      `video-comment:${actor.accountId}`,
      perMinute,
      60,
      'Too many comments; wait a moment',
    );
    const commentId = newId();
    const now = this.deps.clock.now();
    await sql`insert into video_comments (id, video_id, buyer_id, body, created_at)
      values (${commentId}, ${id}, ${actor.accountId}, ${body}, ${now})`.execute(this.deps.db);
    await sql`update videos set comments = comments + 1 where id = ${id}`.execute(this.deps.db);
    const names = await maskedPhones(this.deps.db, [actor.accountId]);
    return { id: commentId, name: names.get(actor.accountId) ?? '', body, createdAt: now.toISOString() };
  }

  /** Newest first, 20 a page. */
  async comments(
    actor: Actor | null,
    id: string,
    cursor: string | undefined,
  ): Promise<{ items: VideoComment[]; nextCursor: string | null }> {
    await this.visible(actor, id);
    const after = cursor ? decodeCursor(cursor) : null;
    const where = after ? sql`and (created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
    const r = await sql<{ id: string; buyer_id: string; body: string; created_at: Date }>`
      select id, buyer_id, body, created_at from video_comments where video_id = ${id} ${where}
      order by created_at desc, id desc limit 21`.execute(this.deps.db);
    const rows = r.rows.slice(0, 20);
    const names = await maskedPhones(
      this.deps.db,
      rows.map((x) => x.buyer_id),
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((x) => ({
        id: x.id,
        name: names.get(x.buyer_id) ?? '',
        body: x.body,
        createdAt: new Date(x.created_at).toISOString(),
      })),
      nextCursor:
        r.rows.length > 20 && last
          ? Buffer.from(`${new Date(last.created_at).toISOString()}|${last.id}`).toString('base64url')
          : null,
    };
  }

  /** The view beacon: one more view (rate-limited per client so a loop cannot inflate it much). */
  async view(id: string, client: string): Promise<{ views: number }> {
    await this.visible(null, id);
    await hitRateLimit(this.deps.db, this.deps.clock, `video-view:${client}`, 120, 60, 'Too many views');
    const r = await sql<{ views: number }>`
      update videos set views = views + 1 where id = ${id} returning views`.execute(this.deps.db);
    return { views: r.rows[0]?.views ?? 0 };
  }

  /** The replays module: the videos that name this session (reservation videos announcing it, replay clips of it). */
  async listBySession(sessionId: string): Promise<VideoSummary[]> {
    const r = await sql<VideoRow>`
      select * from videos where live_session_id = ${sessionId} order by created_at, id`.execute(
      this.deps.db,
    );
    return r.rows.map(summary);
  }

  /** For the newbie village: when each store first published a video; stores that have not are absent. */
  async firstPublishedAt(storeIds: string[]): Promise<Map<string, Date>> {
    if (storeIds.length === 0) return new Map();
    const r = await sql<{ store_id: string; at: Date }>`
      select store_id, min(published_at) as at from videos
      where store_id = any(${storeIds}::uuid[]) and published_at is not null group by store_id`.execute(
      this.deps.db,
    );
    return new Map(r.rows.map((row) => [row.store_id, new Date(row.at)]));
  }

  /** The replays module: views by video id (0 for an unknown id). */
  async viewCounts(videoIds: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(videoIds.map((id) => [id, 0]));
    if (videoIds.length === 0) return out;
    const r = await sql<{ id: string; views: number }>`
      select id, views from videos where id = any(${videoIds}::uuid[])`.execute(this.deps.db);
    for (const x of r.rows) out[x.id] = x.views;
    return out;
  }
}
