import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LivePort, VideosPort } from '../../src/modules/replays/index.ts';
import { newId } from '../../src/platform/ids.ts';

/** A short FLV like the ingest records (test pattern + tone, H.264/AAC), made with ffmpeg. */
export function makeFlv(file: string, seconds: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=160x120:rate=10:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '20',
      '-c:a',
      'aac',
      '-f',
      'flv',
      file,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return file;
}

/** A session as the live module's `getSession` answers, with its stats, for a fake `live` port. */
export interface FakeSession {
  id: string;
  storeId: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  startedAt: Date | null;
  endedAt: Date | null;
  productIds: string[];
  reservations?: number;
  uniqueViewers?: number;
  peakViewers?: number;
  pins?: Array<{ productId: string; pinnedAt: Date; unpinnedAt: Date | null }>;
}

export function fakeLive(sessions: Map<string, FakeSession>): LivePort {
  return {
    getSession: async (id) => sessions.get(id) ?? null,
    sessionStats: async (id) => {
      const s = sessions.get(id);
      return {
        reservations: s?.reservations ?? 0,
        uniqueViewers: s?.uniqueViewers ?? 0,
        peakViewers: s?.peakViewers ?? 0,
        pins: s?.pins ?? [],
      };
    },
  };
}

/** The videos module's import, list and views, in memory: an import copies the file into `dir`. */
export function fakeVideos(dir: string) {
  const videos: Array<{
    id: string;
    kind: 'seeding' | 'reservation' | 'replay' | 'plain';
    title: string;
    sessionId: string;
    storeId: string;
    file: string | null;
    productIds: string[];
  }> = [];
  const views = new Map<string, number>();
  const port: VideosPort = {
    importFile: async (input) => {
      const id = newId();
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${id}.mp4`);
      fs.copyFileSync(input.filePath, file);
      videos.push({
        id,
        kind: input.kind,
        title: input.title,
        sessionId: input.liveSessionId,
        storeId: input.storeId,
        file,
        productIds: input.productIds,
      });
      return { id };
    },
    listBySession: async (sessionId) =>
      videos
        .filter((v) => v.sessionId === sessionId)
        .map((v) => ({ id: v.id, kind: v.kind, title: v.title })),
    viewCounts: async (ids) => Object.fromEntries(ids.map((id) => [id, views.get(id) ?? 0])),
  };
  return { port, videos, views };
}
