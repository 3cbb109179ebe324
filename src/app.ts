import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { addressesModule } from './modules/addresses/index.ts';
import { aftersaleModule } from './modules/aftersale/index.ts';
import { analyticsModule } from './modules/analytics/index.ts';
import { catalogModule } from './modules/catalog/index.ts';
import { creditModule } from './modules/credit/index.ts';
import { flashSalesModule } from './modules/flashsales/index.ts';
import { growthModule } from './modules/growth/index.ts';
import { guaranteesModule } from './modules/guarantees/index.ts';
import { identityModule } from './modules/identity/index.ts';
import { inboxModule } from './modules/inbox/index.ts';
import { ingestModule } from './modules/ingest/index.ts';
import { liveModule } from './modules/live/index.ts';
import { merchantsModule } from './modules/merchants/index.ts';
import { opsModule } from './modules/ops/index.ts';
import { ordersModule } from './modules/orders/index.ts';
import { paymentsModule } from './modules/payments/index.ts';
import { pricingModule } from './modules/pricing/index.ts';
import { replaysModule } from './modules/replays/index.ts';
import { reviewsModule } from './modules/reviews/index.ts';
import { sizingModule } from './modules/sizing/index.ts';
import { socialModule } from './modules/social/index.ts';
import { trafficModule } from './modules/traffic/index.ts';
import { videosModule } from './modules/videos/index.ts';
import { requireRouteRoles, SESSION_COOKIE } from './platform/auth.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { csrfVerdict } from './platform/csrf.ts';
import { type Db, databaseAnswers, serverUrlOf } from './platform/db.ts';
import { deadLetterRoutes } from './platform/dead-letters.ts';
import { forbidden } from './platform/errors.ts';
import { EventBus } from './platform/events.ts';
import { healthDegraded, healthUp, liveness, readinessDown, readinessUp } from './platform/health-schema.ts';
import { handleError, handleNotFound } from './platform/http-errors.ts';
import { pruneIdempotencyKeys } from './platform/idempotency.ts';
import type { ModuleContext, ModuleDescriptor, ServiceRegistry } from './platform/module.ts';
import { Notifications } from './platform/notifications.ts';
import { documentRoute, swaggerOptions } from './platform/openapi.ts';
import { pruneOutbox } from './platform/outbox.ts';
import { pruneRateLimits } from './platform/rate-limit.ts';
import { InProcessHub, type RealtimeHub } from './platform/realtime.ts';
import { NatsHub } from './platform/realtime-nats.ts';
import { requestIdFrom } from './platform/request-id.ts';
import { RETENTION_SCHEDULE } from './platform/retention.ts';
import { pgTaskLocks } from './platform/task-locks.ts';
import { startWorkers, type WorkerTask } from './platform/workers.ts';
import { webAssetOptions } from './web-assets.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  clock?: Clock;
  /**
   * Which process this is (README "Running several processes"): `all` = HTTP API + every background
   * task (`gravity start`), `api` = HTTP only, `worker` = background tasks only (the HTTP app is built
   * but not listened on). Unset: a test's app — no background tasks, sandbox webhooks through
   * `app.inject` — unless `startWorkers` is set, which means `all`.
   */
  role?: ProcessRole;
  /** Shorthand for `role: 'all'` (kept for callers from before roles). */
  startWorkers?: boolean;
  /**
   * The real-time hub (platform/realtime.ts); default: NATS between processes when NATS_URL is set,
   * else this process only. Tests pass their own to join two apps or to watch what is published.
   */
  realtime?: RealtimeHub;
}

export type ProcessRole = 'all' | 'api' | 'worker';

/**
 * The modules, in dependency order (a module's `build` may use the services of those before it).
 * Adding a module is one line here: its services, routes, tasks and subscribers come with it.
 */
const MODULES: ModuleDescriptor[] = [
  identityModule,
  catalogModule,
  pricingModule,
  merchantsModule,
  ordersModule,
  paymentsModule,
  sizingModule,
  aftersaleModule,
  creditModule,
  guaranteesModule,
  reviewsModule,
  addressesModule,
  trafficModule,
  inboxModule,
  liveModule,
  ingestModule,
  flashSalesModule,
  videosModule,
  replaysModule,
  socialModule,
  growthModule,
  analyticsModule,
  opsModule,
];

/** Every module's services by name (`gravity.services.orders`); each module's index.ts declares its own. */
export type Services = ServiceRegistry;

export interface Gravity {
  app: FastifyInstance;
  services: Services;
  /** The event bus: `events.runOnce()` delivers due events to their subscribers (the worker does it on a timer). */
  events: EventBus;
  /** The real-time hub the app's rooms use (NatsHub when NATS_URL is set). */
  realtime: RealtimeHub;
  /** Stops background workers (order expiry, outbox); the database stays open. */
  stop(): Promise<void>;
}

/** Composition root: wires modules over one database and builds the HTTP app. */
export async function buildApp(deps: AppDeps): Promise<Gravity> {
  const clock = deps.clock ?? systemClock;
  const { config, db, log } = deps;
  const role: ProcessRole | undefined = deps.role ?? (deps.startWorkers ? 'all' : undefined);
  const runsTasks = role === 'all' || role === 'worker';
  const events = new EventBus({ db, clock, log, maxAttempts: config.outboxMaxAttempts });
  const built: Partial<Services> = {};
  // One LISTEN connection per app on a PostgreSQL server (opened when a cache first needs it).
  const notifications = new Notifications({ db, databaseUrl: serverUrlOf(db) ?? config.databaseUrl, log });
  // Between processes through NATS when NATS_URL is set (platform/realtime-nats.ts), else this process only.
  const realtime = deps.realtime ?? (config.natsUrl ? new NatsHub(config.natsUrl, log) : new InProcessHub());
  const ctx: ModuleContext = {
    config,
    db,
    clock,
    log,
    events,
    notifications,
    realtime,
    startWorkers: runsTasks,
    served: role !== undefined,
    use: (name) => {
      const service = built[name];
      if (!service) throw new Error(`${name} is used before it is built: list its module earlier in MODULES`);
      return service;
    },
    http: () => app,
  };
  const modules = MODULES.map((module) => {
    const services = module.build(ctx);
    Object.assign(built, services);
    events.subscribe(...(module.subscribers?.(services, ctx) ?? []));
    return { module, services };
  });
  const services = built as Services;
  const { identity } = services;
  // Background workers (modules' tasks, the event bus, platform upkeep); `stop` ends them.
  const workers: Array<{ stop(): Promise<void> | void } | { close(): Promise<void> }> = [];

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: 1024 * 1024,
    // Only behind a proxy named by TRUST_PROXY are X-Forwarded-Proto/-For/-Host believed.
    trustProxy: config.trustProxy,
    // Fastify's own refusals (URL too long, bad % escapes) answer in our error format too.
    frameworkErrors: (err, req, reply) => handleError(err, req, reply),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  // The web app routes on the client: any unknown non-API GET gets the app shell.
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return handleNotFound(req, reply);
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Security headers. The middleware is built once: @fastify/helmet built it again on every request
  // (parsing the policy each time, about a fifth of a small request's time).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        // Served over plain HTTP on a LAN address too; do not force https for assets.
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  await app.register(cookie);
  // WebSockets (live rooms, notices): routes opt in with `{ websocket: true }`.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, swaggerOptions());
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Session and CSRF: a write must come from our own origin (platform/csrf.ts), and the JSON API
  // takes no text/plain body, the one JSON-like body a cross-site HTML form can send.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('actor', null);
  app.addHook('onClose', () => notifications.close());
  app.addHook('onRequest', async (req) => {
    const verdict = csrfVerdict({
      method: req.method,
      origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'],
      referer: req.headers.referer,
      ownOrigin: `${req.protocol}://${req.host}`,
    });
    if (!verdict.allow) throw forbidden(verdict.reason);
    if (req.routeOptions.url?.startsWith('/api/health')) return; // health checks need no session (nor the database for /live)
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 200) return;
    req.actor = await identity.resolveSession(token);
  });

  // Authenticate before reading the body: a route's declared roles (`config: signedIn(...)`) are checked
  // after the session is resolved (onRequest) and before the body is parsed and validated.
  app.addHook('preParsing', async (req, _reply, payload) => {
    requireRouteRoles(req);
    return payload;
  });
  // …and the OpenAPI document tells which routes need a session, for which roles, and how each can fail.
  app.addHook('onRoute', documentRoute);

  // Health (README "Health checks"): /api/health as before (200 when the database answers, now
  // 503 `degraded` when it does not); /live only says the process serves; /ready that it can work.
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        operationId: 'getHealth',
        summary: 'Health: the process and its database (503 when the database is down)',
        response: {
          200: healthUp.describe('The process serves and the database answers'),
          503: healthDegraded.describe('The process serves; the database does not answer'),
        },
      },
    },
    async (_req, reply) => {
      const up = await databaseAnswers(db, log);
      const time = clock.now().toISOString();
      if (up) return { status: 'ok' as const, db: 'up' as const, time };
      return reply.status(503).send({ status: 'degraded' as const, db: 'down' as const, time });
    },
  );
  app.get(
    '/api/health/live',
    {
      config: { usesDatabase: false },
      schema: {
        tags: ['platform'],
        operationId: 'getLiveness',
        summary: 'Liveness: 200 while the process serves, whatever the database',
        response: { 200: liveness.describe('The process serves') },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/api/health/ready',
    {
      schema: {
        tags: ['platform'],
        operationId: 'getReadiness',
        summary: 'Readiness: 200 only when the database answers, else 503',
        response: {
          200: readinessUp.describe('Ready: the database answers'),
          503: readinessDown.describe('Not ready: the database does not answer'),
        },
      },
    },
    async (_req, reply) => {
      if (await databaseAnswers(db, log)) return { status: 'ready' as const, db: 'up' as const };
      return reply.status(503).send({ status: 'unavailable' as const, db: 'down' as const });
    },
  );
  // A route that does nothing: the baseline benchmarks compare against.
  app.get('/api/noop', { schema: { hide: true } }, async () => ({ ok: true }));

  await app.register(
    async (api) => {
      // Listings carry their pictures inline (SVG data URLs): JSON answers over 1 KB go compressed. Brotli
      // at quality 4 costs about what gzip does; the default, 11, is for files built once, not answers.
      await api.register(compress, {
        threshold: 1024,
        brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
      });
      for (const { module, services } of modules) await module.routes?.(services, { api, root: app }, ctx);
      await api.register(deadLetterRoutes(db, clock));
      // Workers run every task; an API process only those on its own memory (`perProcess`).
      const tasks = [
        ...modules.flatMap(({ module, services }) => module.tasks?.(services, ctx) ?? []),
        ...platformTasks(),
      ].filter((t) => runsTasks || (role === 'api' && t.perProcess));
      if (tasks.length > 0) {
        // Several processes on one PostgreSQL: exclusive tasks take an advisory lock per run.
        const locks = config.databaseUrl ? pgTaskLocks(config.databaseUrl, log) : undefined;
        workers.push(startWorkers(tasks, log, { exclusive: locks }));
        if (locks) workers.push(locks);
      }
    },
    { prefix: '/api/v1' },
  );

  if (hasWeb) await app.register(fastifyStatic, webAssetOptions(webDist));

  return {
    app,
    services,
    events,
    realtime,
    stop: async () => {
      for (const w of workers) await ('stop' in w ? w.stop() : w.close());
      for (const { module, services } of modules) await module.stop?.(services);
      await notifications.close();
      await realtime.close();
    },
  };

  /** The platform's own background work: the event bus's deliveries, and pruning its tables. */
  function platformTasks(): WorkerTask[] {
    const { retention } = config;
    return [
      { name: 'platform.events', intervalMs: 500, drain: true, run: () => events.runOnce() },
      {
        name: 'platform.prune-rate-limits',
        intervalMs: 3_600_000,
        runAtStart: true,
        run: () => pruneRateLimits(db, clock),
      },
      // Retention (README "Data retention"): a batch per run.
      {
        name: 'platform.retention',
        ...RETENTION_SCHEDULE,
        run: () => pruneOutbox(db, clock, retention.doneOutboxDays, retention.batchSize),
      },
      {
        name: 'platform.idempotency-retention',
        ...RETENTION_SCHEDULE,
        run: () => pruneIdempotencyKeys(db, clock, retention.idempotencyKeyDays, retention.batchSize),
      },
    ];
  }
}
