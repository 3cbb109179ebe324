import { randomUUID } from 'node:crypto';
import { subscriber } from '../../platform/events.ts';
import { defineModule } from '../../platform/module.ts';
import { LiveRooms } from './room.ts';
import { liveRoutes } from './routes.ts';
import { LiveService } from './service.ts';

export {
  type LiveSessionSummary,
  MAX_COMMENT_CHARS,
  type SessionStatus,
  sessionSummary,
} from './api-schema.ts';
export { seedLiveDemo } from './demo-seed.ts';
export { LiveRooms } from './room.ts';
export {
  type IngestInfo,
  type IngestInfoSource,
  LiveService,
  liveRoom,
  type SessionStats,
} from './service.ts';
export { liveRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    live: LiveService;
    liveRooms: LiveRooms;
  }
}

/**
 * Live sessions: scheduling, reservations, pins, the room over WebSocket (viewers, comments, the sales
 * ticker, coupons), fanned out between instances by the real-time hub (NATS when NATS_URL is set).
 * Publishes `live.started` and `live.ended`; listens to `order.paid` (sales from the room).
 */
export const liveModule = defineModule({
  name: 'live',
  build: ({ db, clock, events, realtime, use }) => {
    const live = new LiveService({
      db,
      clock,
      events,
      realtime,
      inbox: use('inbox'),
      pricing: use('pricing'),
      // The videos module is built after this one: looked up when a reservation names a video.
      videosOfSession: (sessionId) => use('videos').listBySession(sessionId),
    });
    const liveRooms = new LiveRooms(realtime, randomUUID(), (sessionId, total) => {
      void live.notePeak(sessionId, total).catch(() => {});
    });
    live.viewersNow = (sessionId) => liveRooms.viewers(sessionId);
    return { live, liveRooms };
  },
  routes: async ({ live, liveRooms }, { api }) => {
    await api.register(liveRoutes(live, liveRooms));
  },
  subscribers: ({ live }) => [
    subscriber('live.sales-ticker', 'order.paid', async (p) => {
      await live.onOrderPaid(p);
    }),
    subscriber('live.notify-reservers', 'live.started', async (p) => {
      await live.notifyReservers(p);
    }),
    subscriber('live.notify-ended', 'live.ended', async (p) => {
      await live.notifyEnded(p);
    }),
  ],
  stop: async ({ liveRooms }) => {
    liveRooms.close();
  },
});
