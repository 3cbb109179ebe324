import { defineModule } from '../../platform/module.ts';

/** Short videos: upload, poster and duration by ffmpeg, publishing, the buyer's vertical feed. */
export const videosModule = defineModule({
  name: 'videos',
  build: () => ({}),
});
