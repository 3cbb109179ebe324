import { defineModule } from '../../platform/module.ts';

/** Live sessions: scheduling, reservations, the RTMP ingest and the live room. */
export const liveModule = defineModule({
  name: 'live',
  build: () => ({}),
});
