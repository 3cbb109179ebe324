import { mediaTools } from '../../platform/ffmpeg.ts';
import { defineModule } from '../../platform/module.ts';
import { videosRoutes } from './routes.ts';
import { VideosService } from './service.ts';

export { seedVideosDemo } from './demo-seed.ts';
export {
  type ImportFileInput,
  type LiveSessionSummary,
  VIDEO_KINDS,
  type VideoKind,
  type VideoSummary,
  VideosService,
} from './service.ts';
export { videosRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    videos: VideosService;
  }
}

/** Short videos: upload, poster and duration by ffmpeg, publishing, the buyer's vertical feed. */
export const videosModule = defineModule({
  name: 'videos',
  build: ({ db, clock, config, events, use }) => {
    const live = use('live');
    return {
      videos: new VideosService({
        db,
        clock,
        events,
        mediaDir: config.media.dir,
        maxUploadBytes: Math.floor(config.media.maxUploadMb * 1024 * 1024),
        tools: () => mediaTools(),
        // The live module's service (built before this module).
        live: () => live,
      }),
    };
  },
  routes: async ({ videos }, { api }, { config }) => {
    await api.register(videosRoutes(videos, Math.floor(config.media.maxUploadMb * 1024 * 1024)));
  },
});
