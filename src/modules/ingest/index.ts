import { defineModule } from '../../platform/module.ts';

/** The live ingest: an embedded RTMP server (node-media-server) or an external one, and playback. */
export const ingestModule = defineModule({
  name: 'ingest',
  build: () => ({}),
});
