import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { lastBusinessDays } from '../../platform/business-day.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { MediaTools } from '../../platform/ffmpeg.ts';
import { newId } from '../../platform/ids.ts';
import { attributedProductSales, attributedTotals, channelGmv } from '../orders/index.ts';
import { type ChannelShare, type ClipJob, type SessionReport, SHARE_CHANNELS } from './api-schema.ts';
import { cutClip, probeDurationMs } from './clip-cut.ts';
import { type ClipSuggestion, type PinInterval, suggestClips } from './clip-suggestions.ts';
import { type HitProduct, rankHits } from './hits.ts';
import type { ReplaysPorts, SessionRef } from './ports.ts';

/** A running cut whose worker died is claimed again after this long. */
const JOB_LEASE_MS = 15 * 60_000;
const MAX_ATTEMPTS = 3;

interface JobRow {
  id: string;
  store_id: string;
  session_id: string;
  product_id: string;
  from_ms: number;
  to_ms: number;
  title: string;
  status: ClipJob['status'];
  attempts: number;
  video_id: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function jobView(r: JobRow): ClipJob {
  return {
    id: r.id,
    sessionId: r.session_id,
    productId: r.product_id,
    title: r.title,
    fromMs: r.from_ms,
    toMs: r.to_ms,
    status: r.status,
    videoId: r.video_id,
    error: r.error,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: iso(r.finished_at),
  };
}

const countOf = (counts: Record<string, number> | Map<string, number>, id: string): number =>
  (counts instanceof Map ? counts.get(id) : counts[id]) ?? 0;

export interface ReplaysDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Where cut clips are written before the videos module copies them in (removed after). */
  workDir: string;
  ports: () => ReplaysPorts;
  tools: () => MediaTools | null;
}

/**
 * After a live session: its hit products (from the orders attributed to the live room), suggested
 * replay clips (hits × the intervals they were pinned), cutting a clip from the recording as a
 * background job and publishing it as a replay video, and the merchant's view of the whole loop.
 */
export class ReplaysService {
  private overrides: Partial<ReplaysPorts> = {};
  private readonly deps: ReplaysDeps;

  constructor(deps: ReplaysDeps) {
    this.deps = { ...deps, ports: () => ({ ...deps.ports(), ...this.overrides }) };
  }

  /**
   * Replaces some of the ports (the live module, the ingest module, the videos module) for this service only: the tests' fakes, or
   * the lead's wiring while a module's service does not match its port yet.
   */
  usePorts(ports: Partial<ReplaysPorts>): void {
    this.overrides = { ...this.overrides, ...ports };
  }

  /** The store's session (404 for another store's or an unknown one: whose it is stays unsaid). */
  private async ownedSession(storeId: string, sessionId: string): Promise<SessionRef> {
    const live = this.deps.ports().live;
    const session = live ? await live.getSession(sessionId) : null;
    if (!session || session.storeId !== storeId) throw notFound('Live session');
    return session;
  }

  private async hitsOf(session: SessionRef): Promise<HitProduct[]> {
    const sales = await attributedProductSales(this.deps.db, {
      storeId: session.storeId,
      channel: 'live',
      contentIds: [session.id],
    });
    return rankHits(sales);
  }

  /** The recording's file and length, when the ingest kept one. */
  private async recording(sessionId: string): Promise<{ file: string; durationMs: number | null } | null> {
    const ingest = this.deps.ports().ingest;
    const file = ingest ? await ingest.recordingOf(sessionId) : null;
    if (!file || !fs.existsSync(file)) return null;
    const tools = this.deps.tools();
    return { file, durationMs: tools ? await probeDurationMs(tools, file) : null };
  }

  private async suggestionsOf(
    session: SessionRef,
    hits: HitProduct[],
    recordingMs: number | null,
  ): Promise<ClipSuggestion[]> {
    const live = this.deps.ports().live;
    if (!live || !session.startedAt || hits.length === 0) return [];
    const startedAt = new Date(session.startedAt);
    const endedAt = session.endedAt ? new Date(session.endedAt) : this.deps.clock.now();
    const stats = await live.sessionStats(session.id);
    const pins: PinInterval[] = stats.pins.map((p) => ({
      productId: p.productId,
      pinnedAt: new Date(p.pinnedAt),
      unpinnedAt: p.unpinnedAt === null ? null : new Date(p.unpinnedAt),
    }));
    const durationMs = recordingMs ?? Math.max(0, endedAt.getTime() - startedAt.getTime());
    return suggestClips(hits, pins, { startedAt, endedAt, durationMs });
  }

  /** Keeps the session's hits and suggestions as they are now (`replay_reports`). */
  private async keep(session: SessionRef, hits: HitProduct[], suggestions: ClipSuggestion[]): Promise<void> {
    await sql`
      insert into replay_reports (session_id, store_id, hits, suggestions, computed_at)
      values (${session.id}, ${session.storeId}, ${JSON.stringify(hits)}::jsonb,
              ${JSON.stringify(suggestions)}::jsonb, ${this.deps.clock.now()})
      on conflict (session_id) do update
        set hits = excluded.hits, suggestions = excluded.suggestions, computed_at = excluded.computed_at`.execute(
      this.deps.db,
    );
  }

  /**
   * When a session ends (`live.ended`): its hits and suggested clips, kept. Idempotent (a redelivery
   * writes the same); a session the live module no longer knows is skipped.
   */
  async sessionEnded(sessionId: string): Promise<void> {
    const live = this.deps.ports().live;
    const session = live ? await live.getSession(sessionId) : null;
    if (!session) return;
    const hits = await this.hitsOf(session);
    const rec = await this.recording(session.id);
    await this.keep(session, hits, await this.suggestionsOf(session, hits, rec?.durationMs ?? null));
  }

  /** The merchant's report of one of their sessions: hits, suggested clips, cut jobs and the loop. */
  async report(storeId: string, sessionId: string): Promise<SessionReport> {
    const { db } = this.deps;
    const session = await this.ownedSession(storeId, sessionId);
    const { live, videos } = this.deps.ports();
    const hits = await this.hitsOf(session);
    const rec = await this.recording(session.id);
    const suggestions = await this.suggestionsOf(session, hits, rec?.durationMs ?? null);

    const jobs = await this.jobsOf(session.id);
    const stats = live ? await live.sessionStats(session.id) : null;
    const sessionVideos = videos ? await videos.listBySession(session.id) : [];
    const reservationVideos = sessionVideos.filter((v) => v.kind === 'reservation').map((v) => v.id);
    const clipIds = [
      ...new Set([
        ...sessionVideos.filter((v) => v.kind === 'replay').map((v) => v.id),
        ...jobs.flatMap((j) => (j.videoId ? [j.videoId] : [])),
      ]),
    ];
    const views =
      videos && sessionVideos.length > 0 ? await videos.viewCounts([...reservationVideos, ...clipIds]) : {};
    const sum = (ids: string[]) => ids.reduce((n, id) => n + countOf(views, id), 0);
    const inLive = await attributedTotals(db, { storeId, channel: 'live', contentIds: [session.id] });
    const after = await attributedTotals(db, { storeId, channel: 'replay', contentIds: clipIds });
    return {
      session: {
        id: session.id,
        title: session.title,
        status: session.status,
        startedAt: iso(session.startedAt),
        endedAt: iso(session.endedAt),
      },
      hits,
      suggestions,
      recording: { available: rec !== null, durationMs: rec?.durationMs ?? null },
      loop: {
        reservationVideos: reservationVideos.length,
        reservationVideoViews: sum(reservationVideos),
        reservations: stats?.reservations ?? 0,
        uniqueViewers: stats?.uniqueViewers ?? 0,
        peakViewers: stats?.peakViewers ?? 0,
        liveOrders: inLive.orders,
        liveUnits: inLive.units,
        liveGmvFen: inLive.gmvFen,
        replayClips: clipIds.length,
        replayClipViews: sum(clipIds),
        replayOrders: after.orders,
        replayGmvFen: after.gmvFen,
      },
      clipJobs: jobs,
      canCut: session.status === 'ended' && rec !== null && this.deps.tools() !== null,
    };
  }

  private async jobsOf(sessionId: string): Promise<ClipJob[]> {
    const rows = await sql<JobRow>`
      select * from replay_clip_jobs where session_id = ${sessionId} order by seq desc limit 100`.execute(
      this.deps.db,
    );
    return rows.rows.map(jobView);
  }

  /** The session's cut jobs, newest first (the report page polls it while some run). */
  async listJobs(storeId: string, sessionId: string): Promise<ClipJob[]> {
    await this.ownedSession(storeId, sessionId);
    return this.jobsOf(sessionId);
  }

  /**
   * Asks for a clip of `productId` cut from the session's recording: checked here (the session ended,
   * the product was sold in it, a recording and ffmpeg exist, the window is inside the recording),
   * then queued; the worker (`runDueJobs`) cuts and publishes it. The same clip asked again while
   * queued, running or done is the same job (`created: false`).
   */
  async requestClip(
    storeId: string,
    sessionId: string,
    body: { productId: string; fromMs: number; toMs: number; title?: string | undefined },
  ): Promise<{ job: ClipJob; created: boolean }> {
    const session = await this.ownedSession(storeId, sessionId);
    if (session.status !== 'ended') {
      throw conflict('replay_session_not_ended', 'Clips are cut once the live session has ended');
    }
    const productId = body.productId.toLowerCase();
    if (!session.productIds.map((p) => p.toLowerCase()).includes(productId)) {
      throw unprocessable('replay_product_not_in_session', 'This product was not sold in this live session');
    }
    if (this.deps.tools() === null) {
      throw new AppError(503, 'replay_ffmpeg_missing', 'Cutting clips needs ffmpeg on the server');
    }
    const rec = await this.recording(session.id);
    if (!rec) throw conflict('replay_no_recording', 'This live session has no recording to cut from');
    if (rec.durationMs !== null && body.fromMs >= rec.durationMs) {
      throw unprocessable('replay_clip_out_of_range', 'The clip starts after the end of the recording', {
        durationMs: rec.durationMs,
      });
    }
    const toMs = rec.durationMs === null ? body.toMs : Math.min(body.toMs, rec.durationMs);
    const hit = (await this.hitsOf(session)).find((h) => h.productId === productId);
    const title = body.title ?? `返场 · ${hit?.title ?? session.title}`.slice(0, 80);
    const inserted = await sql<JobRow>`
      insert into replay_clip_jobs (id, store_id, session_id, product_id, from_ms, to_ms, title, status, created_at)
      values (${newId()}, ${storeId}, ${session.id}, ${productId}, ${body.fromMs}, ${toMs}, ${title}, 'queued',
              ${this.deps.clock.now()})
      on conflict (session_id, product_id, from_ms, to_ms) where status <> 'failed' do nothing
      returning *`.execute(this.deps.db);
    const row = inserted.rows[0];
    if (row) return { job: jobView(row), created: true };
    const existing = await sql<JobRow>`
      select * from replay_clip_jobs
      where session_id = ${session.id} and product_id = ${productId} and from_ms = ${body.fromMs}
        and to_ms = ${toMs} and status <> 'failed'`.execute(this.deps.db);
    return { job: jobView(existing.rows[0] as JobRow), created: false };
  }

  /**
   * Cuts one due clip (queued, or running past its lease), publishes it through the videos module, and marks it
   * done or failed. Returns how many it handled (0 or 1), so the worker drains a backlog.
   */
  async runDueJobs(): Promise<number> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const claimed = await sql<JobRow>`
      update replay_clip_jobs set status = 'running', attempts = attempts + 1, started_at = ${now}
      where id = (
        select id from replay_clip_jobs
        where status = 'queued' or (status = 'running' and started_at < ${new Date(now.getTime() - JOB_LEASE_MS)})
        order by seq limit 1 for update skip locked)
      returning *`.execute(db);
    const job = claimed.rows[0];
    if (!job) return 0;
    try {
      if (job.attempts > MAX_ATTEMPTS) throw new Error('gave up after repeated attempts');
      const videoId = await this.cutAndPublish(job);
      await sql`
        update replay_clip_jobs set status = 'done', video_id = ${videoId}, error = null, finished_at = ${clock.now()}
        where id = ${job.id}`.execute(db);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      this.deps.log.warn({ jobId: job.id, err: message }, 'replay clip failed');
      await sql`
        update replay_clip_jobs set status = 'failed', error = ${message}, finished_at = ${clock.now()}
        where id = ${job.id}`.execute(db);
    }
    return 1;
  }

  private async cutAndPublish(job: JobRow): Promise<string> {
    const { ingest, videos } = this.deps.ports();
    const tools = this.deps.tools();
    if (!tools) throw new Error('ffmpeg is not installed');
    if (!videos) throw new Error('the videos service is not available');
    const recording = ingest ? await ingest.recordingOf(job.session_id) : null;
    if (!recording || !fs.existsSync(recording)) throw new Error('the recording is gone');
    fs.mkdirSync(this.deps.workDir, { recursive: true });
    const out = path.join(this.deps.workDir, `replay-${job.id}.mp4`);
    try {
      await cutClip(tools, { recording, fromMs: job.from_ms, toMs: job.to_ms, out });
      const video = await videos.importFile({
        storeId: job.store_id,
        kind: 'replay',
        title: job.title,
        filePath: out,
        productIds: [job.product_id],
        liveSessionId: job.session_id,
      });
      return video.id;
    } finally {
      fs.rmSync(out, { force: true });
    }
  }

  /** The store's GMV share of short videos, live rooms, replay clips and the rest over its last `days` business days. */
  async channelShare(storeId: string, days: number): Promise<ChannelShare> {
    const range = lastBusinessDays(this.deps.clock.now(), days);
    const firstDay = range[0] as string;
    const lastDay = range[range.length - 1] as string;
    const rows = await channelGmv(this.deps.db, storeId, firstDay, lastDay);
    const byChannel = new Map<(typeof SHARE_CHANNELS)[number], { gmvFen: number; orders: number }>(
      SHARE_CHANNELS.map((c) => [c, { gmvFen: 0, orders: 0 }]),
    );
    for (const r of rows) {
      const key =
        r.channel === 'video' || r.channel === 'live' || r.channel === 'replay' ? r.channel : 'other';
      const slot = byChannel.get(key) as { gmvFen: number; orders: number };
      slot.gmvFen += r.gmvFen;
      slot.orders += r.orders;
    }
    const total = [...byChannel.values()].reduce((n, s) => n + s.gmvFen, 0);
    return {
      days,
      firstDay,
      lastDay,
      totalGmvFen: total,
      channels: SHARE_CHANNELS.map((channel) => {
        const s = byChannel.get(channel) as { gmvFen: number; orders: number };
        return { channel, gmvFen: s.gmvFen, orders: s.orders, share: total > 0 ? s.gmvFen / total : 0 };
      }),
    };
  }
}
