import { defineModule } from '../../platform/module.ts';

/** After a live session: its hit products, suggested replay clips (返场) and the session's loop. */
export const replaysModule = defineModule({
  name: 'replays',
  build: () => ({}),
});
