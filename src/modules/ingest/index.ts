import { defineModule } from '../../platform/module.ts';
import type { LiveService } from '../live/index.ts';
import type { LiveLink } from './live-link.ts';
import { ingestRoutes } from './routes.ts';
import { IngestService } from './service.ts';

export type { LiveLink, LiveSessionView } from './live-link.ts';
export type { IngestInfo } from './publish-url.ts';
export { IngestService, type IngestStatus, type MerchantIngest } from './service.ts';

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    ingest: IngestService;
  }
}

/**
 * The live ingest: an embedded RTMP server (node-media-server; one per process, started by
 * `gravity start|api` through `ingest.startMediaServer()`) or an external one, publisher checks by
 * the session's stream key, the status, HTTP-FLV playback through our origin, and the recordings.
 */
export const ingestModule = defineModule({
  name: 'ingest',
  build: ({ config, log, use }) => {
    const live: LiveLink & Partial<Pick<LiveService, 'setIngestInfo' | 'onSessionOver'>> = use('live');
    const ingest = new IngestService({
      media: config.media,
      publicUrl: config.publicUrl,
      log,
      live: () => live,
    });
    // The live module's merchant session view carries where to push (it is built before this module).
    live.setIngestInfo?.((sessionId, streamKey) => ingest.ingestInfo(sessionId, streamKey));
    // A stopped session's publisher is closed at once (and by a periodic look when stopped elsewhere).
    live.onSessionOver?.((sessionId) => ingest.sessionOver(sessionId));
    return { ingest };
  },
  routes: async ({ ingest }, { api }) => {
    await api.register(ingestRoutes(ingest));
  },
  stop: async ({ ingest }) => {
    await ingest.stop();
  },
});
