import { subscriber } from '../../platform/events.ts';
import { defineModule } from '../../platform/module.ts';
import { mulberry32 } from '../../platform/random.ts';
import { RETENTION_SCHEDULE } from '../../platform/retention.ts';
import { trafficRoutes } from './routes.ts';
import { TrafficService } from './service.ts';

export { seedTrafficDemo } from './demo-seed.ts';
export { TRAFFIC_SOURCES, type TrafficSource } from './engine/types.ts';
export {
  type ColdStartMonth,
  coldStartCoverageByMonth,
  type StoreTrafficMonth,
  storeTrafficByMonth,
} from './monthly-figures.ts';
export { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from './settings.ts';
export { TrafficService, trafficRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    traffic: TrafficService;
  }
}

/**
 * The feed and its traffic plans: each process ranks with an in-memory engine (engine/) fed from the
 * catalogue, logs impressions in batches, counts clicks and add-to-carts, credits orders to the
 * impressions they came from (the orders' events), plans the cold-start minimums, launch credits and
 * Fuyao budgets, paces them, and answers the merchant's and operator's traffic views.
 */
export const trafficModule = defineModule({
  name: 'traffic',
  build: ({ db, clock, log, config, served }) => ({
    traffic: new TrafficService({
      db,
      clock,
      log,
      // Thompson sampling: seeded in tests (a test's app), random in a served process.
      random: served ? Math.random : mulberry32(config.seed),
      anonPagesPerMinute: config.feedAnonPagesPerMinute,
    }),
  }),
  routes: async ({ traffic }, { api }) => {
    await api.register(trafficRoutes(traffic));
  },
  tasks: ({ traffic }, { config }) => [
    // This process's impressions, in batches (also when the buffer fills, and on stop).
    { name: 'traffic.flush-impressions', intervalMs: 1000, perProcess: true, run: () => traffic.flush() },
    // This process's engine: loaded at start, then follows the catalogue and paces today's contracts.
    {
      name: 'traffic.follow-catalog',
      intervalMs: 5_000,
      perProcess: true,
      runAtStart: true,
      run: () => traffic.start().then(() => traffic.refreshItems()),
    },
    {
      name: 'traffic.refresh-prices',
      intervalMs: 300_000,
      perProcess: true,
      run: () => traffic.refreshItems(true),
    },
    { name: 'traffic.pace', intervalMs: 120_000, perProcess: true, run: () => traffic.pace() },
    // Today's plans and grants (idempotent; one process at a time).
    {
      name: 'traffic.plan',
      intervalMs: 300_000,
      runAtStart: true,
      exclusive: true,
      run: () => traffic.planDay(),
    },
    // Impressions and their events past their window (the rollups and item stats stay).
    {
      name: 'traffic.retention',
      ...RETENTION_SCHEDULE,
      run: () => traffic.pruneImpressions(config.retention),
    },
  ],
  subscribers: ({ traffic }) => [
    subscriber('traffic.note-order', 'order.placed', (e) => traffic.notePlacedOrder(e)),
    subscriber('traffic.credit-order', 'order.paid', (e) => traffic.creditPaidOrder(e).then(() => undefined)),
    subscriber('traffic.uncredit-cancelled', 'order.cancelled', (e) =>
      e.wasPaid ? traffic.reverseOrder(e.orderId, e.lines) : Promise.resolve(),
    ),
    subscriber('traffic.uncredit-refunded', 'order.refunded', (e) =>
      traffic.reverseOrder(e.orderId, e.lines),
    ),
  ],
  stop: async ({ traffic }) => {
    await traffic.stop();
  },
});
