import path from 'node:path';
import { subscriber } from '../../platform/events.ts';
import { mediaTools } from '../../platform/ffmpeg.ts';
import { defineModule } from '../../platform/module.ts';
import { portsOf } from './ports.ts';
import { replaysRoutes } from './routes.ts';
import { ReplaysService } from './service.ts';

export { CLIP_RULES, type ClipSuggestion, type PinInterval, suggestClips } from './clip-suggestions.ts';
export { type HitProduct, rankHits } from './hits.ts';
export type { IngestPort, LivePort, ReplaysPorts, VideosPort } from './ports.ts';
export { ReplaysService, replaysRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    replays: ReplaysService;
  }
}

/**
 * After a live session: its hit products, suggested replay clips (返场) cut from the recording as
 * background jobs and published through the videos module, and the session's loop for the merchant
 * (docs/REPLAYS.md). Reads the live module's, the ingest module's and the videos module's services through narrow ports.
 */
export const replaysModule = defineModule({
  name: 'replays',
  build: (ctx) => ({
    replays: new ReplaysService({
      db: ctx.db,
      clock: ctx.clock,
      log: ctx.log,
      workDir: path.join(ctx.config.media.dir, 'tmp'),
      ports: portsOf(ctx),
      tools: () => mediaTools(),
    }),
  }),
  routes: async ({ replays }, { api }) => {
    await api.register(replaysRoutes(replays));
  },
  tasks: ({ replays }) => [
    { name: 'replays.cut-clips', intervalMs: 2_000, drain: true, run: () => replays.runDueJobs() },
  ],
  subscribers: ({ replays }) => [
    subscriber('replays.session-ended', 'live.ended', (e) => replays.sessionEnded(e.sessionId)),
  ],
});
