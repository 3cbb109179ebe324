import { defineModule } from '../../platform/module.ts';

/** A buyer's notification centre: notices kept in the database and pushed live over WebSocket. */
export const inboxModule = defineModule({
  name: 'inbox',
  build: () => ({}),
});
