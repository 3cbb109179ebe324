import type { ModuleContext } from '../../platform/module.ts';

/**
 * What replays needs of the modules built before it, narrowed to the calls it makes (the names of
 * issue 14's design): the live module's `live`, the ingest module's `ingest` and the videos module's `videos` services (`portsOf`),
 * or the tests' fakes (test/support/replays.ts through `ReplaysService.usePorts`).
 */
export interface SessionRef {
  id: string;
  storeId: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  startedAt: Date | string | null;
  endedAt: Date | string | null;
  productIds: string[];
}

export interface SessionStatsRef {
  reservations: number;
  uniqueViewers: number;
  peakViewers: number;
  pins: Array<{ productId: string; pinnedAt: Date | string; unpinnedAt: Date | string | null }>;
}

export interface LivePort {
  getSession(id: string): Promise<SessionRef | null>;
  sessionStats(sessionId: string): Promise<SessionStatsRef>;
}

export interface IngestPort {
  /** The session's recording (an FLV file), or null when there is none. */
  recordingOf(sessionId: string): Promise<string | null>;
}

export interface VideoRef {
  id: string;
  kind: 'seeding' | 'reservation' | 'replay' | 'plain';
  title: string;
}

export interface VideosPort {
  importFile(input: {
    storeId: string;
    kind: 'replay';
    title: string;
    filePath: string;
    productIds: string[];
    liveSessionId: string;
  }): Promise<{ id: string }>;
  listBySession(sessionId: string): Promise<VideoRef[]>;
  /** Views per video id (ids without views may be missing). */
  viewCounts(videoIds: string[]): Promise<Record<string, number> | Map<string, number>>;
}

export interface ReplaysPorts {
  live: LivePort | null;
  ingest: IngestPort | null;
  videos: VideosPort | null;
}

/**
 * The ports from the app's services: the live module, the ingest module and the videos module are built before replays (app.ts
 * MODULES), so they are looked up once, typed. Tests replace some with fakes (`usePorts`).
 */
export function portsOf(ctx: Pick<ModuleContext, 'use'>): () => ReplaysPorts {
  const ports: ReplaysPorts = { live: ctx.use('live'), ingest: ctx.use('ingest'), videos: ctx.use('videos') };
  return () => ports;
}
