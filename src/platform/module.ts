import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { AnySubscriber, Publisher } from './events.ts';
import type { Notifications } from './notifications.ts';
import type { RealtimeHub } from './realtime.ts';
import type { WorkerTask } from './workers.ts';

/**
 * Every module's services by name. Empty here: each module's index.ts adds its own
 * (`declare module '../../platform/module.ts' { interface ServiceRegistry { orders: OrdersService } }`),
 * so `gravity.services.orders` is typed without a hand-kept list.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging, module by module
export interface ServiceRegistry {}
export type ServiceName = keyof ServiceRegistry;

/** What a module is built from: the platform, and the services of the modules listed before it. */
export interface ModuleContext {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** Where the module publishes its events (platform/events.ts). */
  events: Publisher;
  /** Change notices between processes (LISTEN/NOTIFY on a server): caches drop what changed. */
  notifications: Notifications;
  /** Real-time rooms for WebSocket clients, across processes through NATS when configured (platform/realtime.ts). */
  realtime: RealtimeHub;
  /** Whether background workers run here (`gravity start`, `gravity worker`); tests drive the work themselves. */
  startWorkers: boolean;
  /**
   * Whether this is a served process (`gravity start|api|worker`) rather than a test's app: the
   * sandbox's webhooks then go over HTTP to PUBLIC_URL, not through `app.inject`.
   */
  served: boolean;
  /** A service of a module built earlier (app.ts lists modules in dependency order). */
  use<K extends ServiceName>(name: K): ServiceRegistry[K];
  /** The HTTP app, once it exists (for in-process calls such as the sandbox's webhooks in tests). */
  http(): FastifyInstance;
}

/** Where a module's routes go: `api` is under /api/v1, `root` is the whole app. */
export interface RouteScope {
  api: FastifyInstance;
  root: FastifyInstance;
}

/**
 * A module, as app.ts composes it. Its migrations are found by convention in
 * `src/modules/<name>/migrations/` (platform/migrations.ts). Hooks are methods so that a list of
 * modules with different services type-checks as one list.
 */
export interface ModuleDescriptor<S extends Partial<ServiceRegistry> = Partial<ServiceRegistry>> {
  /** The module's folder name under src/modules. */
  name: string;
  /** Builds the module's services (one or a few, by their names in `gravity.services`). */
  build(ctx: ModuleContext): S;
  /** Registers the module's HTTP routes. */
  routes?(services: S, scope: RouteScope, ctx: ModuleContext): Promise<void>;
  /** Background work (started by `gravity start` only). */
  tasks?(services: S, ctx: ModuleContext): WorkerTask[];
  /** The module's reactions to events (platform/events.ts). */
  subscribers?(services: S, ctx: ModuleContext): AnySubscriber[];
  /** Work to finish when the app stops (e.g. counters kept in memory). */
  stop?(services: S): Promise<void>;
}

/** Declares a module descriptor with its services' type inferred from `build`. */
export function defineModule<S extends Partial<ServiceRegistry>>(
  d: ModuleDescriptor<S>,
): ModuleDescriptor<S> {
  return d;
}
