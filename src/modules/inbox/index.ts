import { defineModule } from '../../platform/module.ts';
import { inboxRoutes } from './routes.ts';
import { InboxService } from './service.ts';

export { type Notice, noticeSchema } from './api-schema.ts';
export { buyerRoom, type NoticeInput } from './service.ts';
export { socketOriginAllowed } from './socket-origin.ts';
export { InboxService, inboxRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    inbox: InboxService;
  }
}

/** A buyer's notification centre: notices kept in the database and pushed live over WebSocket. */
export const inboxModule = defineModule({
  name: 'inbox',
  build: ({ db, clock, realtime }) => ({ inbox: new InboxService({ db, clock, realtime }) }),
  routes: async ({ inbox }, { api }) => {
    await api.register(inboxRoutes(inbox));
  },
});
