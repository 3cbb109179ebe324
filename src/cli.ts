import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db.ts';
import { createLogger, flushLogger } from './platform/logger.ts';
import { migrate } from './platform/migrations.ts';

const usage = `gravity — 引力 live & short-video commerce

usage:
  gravity start            migrate, seed demo data when empty, serve API + web app and run every
                           background task, all in one process (the embedded default)
  gravity api              serve the HTTP API + web app only, no background tasks (needs DATABASE_URL)
  gravity worker           run the background tasks only (payments, expiry, settlement, event bus,
                           retention), no HTTP API (needs DATABASE_URL; WORKER_PORT serves GET /health)
  gravity sandbox-provider the sandbox payment provider alone: its HTTP API on SANDBOX_PROVIDER_PORT and
                           its webhooks to PUBLIC_URL (needs DATABASE_URL; platform sets PAYMENT_PROVIDER_URL)
  gravity migrate          apply database migrations
  gravity seed [--force] [--history 12m] [--seed N] [--orders-per-day N]   load demo data (deterministic
                           from SEED; resumes an interrupted seed); --history adds months of past orders,
                           refunds and follows for the dashboards (6m, 12m, 90d …; a rerun adds nothing)
  gravity sizing …         size assistant: train | eval-body | eval | simulate
  gravity pglite-template   write the prepared PGlite data directory for the installed PGlite version
  gravity openapi [--out FILE]   write the API's OpenAPI document as JSON (stdout by default; no database needed)
  gravity reconcile        compare payments, refunds and ledger with the payment provider (exit 1 on differences)
  gravity bench checkout|sizing|size-demo|price-protection|feed|flash-sale|live-room|metrics [--orders N]
  gravity traffic ope --data DIR --campaign men|women [--json] [--seed N]   offline evaluation of the feed
                           ranking on Open Bandit logs (IPW/DR with bootstrap CIs vs. the logged policies)
  gravity live demo [--session <id>] [--url http://127.0.0.1:3000]   start the demo store's next scheduled
                           live session and push an ffmpeg test pattern into its RTMP ingest until Ctrl-C
  gravity simulate [--days 30] [--seed N] [--json] [--out FILE.html]   traffic engine on a synthetic marketplace

config (environment): PORT=3000 DATA_DIR=./data DATABASE_URL=postgres://… (unset = embedded PGlite)
  several processes (README "Running several processes"): DATABASE_URL (required), PUBLIC_URL,
  PAYMENT_PROVIDER_URL=http://host:3100, SANDBOX_PROVIDER_PORT=3100, SANDBOX_WEBHOOK_URL, WORKER_PORT`;

export async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'api':
    case 'worker':
      return serveRole(command);
    case 'sandbox-provider':
      return sandboxProvider();
    case 'migrate':
      return withDatabase(async (db) => {
        const applied = await migrateLocked(process.env.DATABASE_URL || undefined, db, say);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      });
    case 'pglite-template': {
      const { writePgliteInitdbTemplate } = await import('./platform/pglite-template.ts');
      console.log(`wrote ${await writePgliteInitdbTemplate()}`);
      return 0;
    }
    case 'seed': {
      const { parseHistoryPeriod } = await import('./seed/history.ts');
      const period = optionAfter(rest, '--history');
      const months = period === undefined ? null : parseHistoryPeriod(period);
      const seed = Number(optionAfter(rest, '--seed') ?? loadConfig().seed);
      const perDay = Number(optionAfter(rest, '--orders-per-day') ?? 300);
      if (
        (period !== undefined && months === null) ||
        !Number.isInteger(seed) ||
        !(perDay >= 1 && perDay <= 100_000)
      ) {
        console.error('usage: gravity seed [--force] [--history 12m|6m|90d] [--seed N] [--orders-per-day N]');
        return 2;
      }
      return withDatabase(async (db) => {
        await migrate(db);
        const { seedDemoData, seedOnStart, seedState } = await import('./seed/seed.ts');
        // The seed builds its data through the app's services: the composition root is handed to it.
        const { buildApp } = await import('./app.ts');
        const action = await seedOnStart(db);
        if (!rest.includes('--force') && !action) {
          if ((await seedState(db)) === 'finished') console.log('the demo data is already loaded');
          else console.log('database already has data; use --force to add demo data anyway');
        } else {
          if (action === 'resume') console.log('  resuming the demo seed that was interrupted');
          await seedDemoData(db, loadConfig(), { progress: true, compose: buildApp });
        }
        if (months === null) return;
        const { seedHistory } = await import('./seed/history-command.ts');
        const gravity = await buildApp({ config: loadConfig(), db, log: createLogger('silent') });
        try {
          const added = await seedHistory(db, gravity.services.analytics, {
            months,
            seed,
            now: new Date(),
            ordersPerDay: perDay,
            progress: true,
          });
          console.log(
            `history: ${added.days} days, ${added.orders} new orders, ${added.fanEvents} new follow events` +
              (added.orders === 0 ? ' (this history was already loaded)' : ''),
          );
        } finally {
          await gravity.stop();
          await gravity.app.close();
        }
      });
    }
    case 'openapi': {
      const { openApiDocument } = await import('./openapi-document.ts');
      const json = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
      const at = rest.indexOf('--out');
      const out = at === -1 ? undefined : rest[at + 1];
      if (at !== -1 && !out) {
        console.error('usage: gravity openapi [--out FILE]');
        return 2;
      }
      if (out) {
        const fs = await import('node:fs');
        const path = await import('node:path');
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, json);
      } else process.stdout.write(json);
      return 0;
    }
    case 'reconcile': {
      let differs = 0;
      const opened = await withDatabase(async (db) => {
        await migrate(db);
        const { reconcileFromCli } = await import('./modules/payments/reconcile-command.ts');
        differs = await reconcileFromCli(db, loadConfig());
      });
      return opened || differs;
    }
    case 'sizing': {
      const { runSizingCommand } = await import('./modules/sizing/cli.ts');
      return runSizingCommand(rest);
    }
    case 'simulate': {
      const { runSimulateCommand } = await import('./modules/traffic/simulate/cli.ts');
      return runSimulateCommand(rest);
    }
    case 'bench': {
      const name = rest[0];
      if (
        name !== 'checkout' &&
        name !== 'sizing' &&
        name !== 'size-demo' &&
        name !== 'price-protection' &&
        name !== 'feed' &&
        name !== 'flash-sale' &&
        name !== 'live-room' &&
        name !== 'metrics'
      ) {
        console.error(
          'usage: gravity bench checkout|sizing|size-demo|price-protection|feed|flash-sale|live-room|metrics',
        );
        return 2;
      }
      const bench = await import(`../bench/${name}.ts`);
      return bench.main(rest.slice(1));
    }
    case 'live': {
      const { runLiveCommand } = await import('./modules/ingest/demo.ts');
      return runLiveCommand(rest);
    }
    case 'traffic': {
      const { runTrafficCommand } = await import('./modules/traffic/ope/cli.ts');
      return runTrafficCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return command ? 0 : 2;
    default:
      console.error(`unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

/** Where the database is and how this process connects to it, from the config. */
function databaseOptions(config: import('./platform/config.ts').Config) {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    planCacheMode: config.databasePlanCacheMode,
  };
}

/** The value after a `--flag` in the arguments, if the flag is there. */
function optionAfter(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : (args[at + 1] ?? '');
}

/** A phase of a long command, one plain line each, so a log written to a file shows progress too. */
function say(line: string): void {
  console.log(`  ${line}`);
}

async function withDatabase(run: (db: import('./platform/db.ts').Db) => Promise<void>): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({ ...databaseOptions(config), progress: say });
  try {
    await run(database.db);
    return 0;
  } finally {
    await database.close();
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase({ ...databaseOptions(config), log, progress: say });
  const applied = await migrateLocked(config.databaseUrl, database.db, say);
  if (applied.length) log.info({ applied }, 'migrations applied');
  let demo: string[] = [];
  // Loaded here, not at the top: `migrate`, `seed` and `help` do not pay for the whole app.
  const { buildApp } = await import('./app.ts');
  // A fresh database is seeded; an interrupted seed is resumed (never taken for finished).
  const { seedOnStart } = await import('./seed/steps.ts');
  const seeding = await seedOnStart(database.db);
  if (seeding) {
    const { seedDemoData } = await import('./seed/seed.ts');
    if (seeding === 'resume') console.log('  resuming the demo seed that was interrupted');
    demo = (await seedDemoData(database.db, config, { progress: true, compose: buildApp })).accounts;
  } else {
    const { demoAccountLines } = await import('./seed/seed.ts');
    demo = await demoAccountLines(database.db);
  }
  // Load tests and benchmarks start API-only servers; everyone else gets the web app built if stale.
  if (process.env.SKIP_WEB_BUILD !== '1') {
    const { ensureWebBuilt } = await import('./web-build.ts');
    await ensureWebBuilt(say);
  }
  say(`starting the server on port ${config.port}`);
  const { app, stop, services } = await buildApp({ config, db: database.db, log, startWorkers: true });
  // The embedded RTMP ingest (one per process; RTMP_PORT=0 or an external ingest turns it off), started
  // before the HTTP port opens so that a ready server has said where it runs.
  const rtmp = await services.ingest.startMediaServer();
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  console.log(`\n  Gravity 引力 is running at ${url}`);
  console.log(`  buyer app ${url}/   merchant console ${url}/merchant   ops console ${url}/ops`);
  if (rtmp)
    console.log(
      `  live ingest rtmp://localhost:${config.media.rtmpPort}/live   (gravity live demo pushes a test stream)`,
    );
  console.log(
    `  API docs  ${url}/api/docs   database: ${database.kind}${database.kind === 'pglite' ? ` (${config.dataDir})` : ''}`,
  );
  if (demo.length)
    console.log(
      `\n  demo accounts (sign in with the phone; the sandbox SMS code is shown on screen):\n${demo.map((l) => `    ${l}`).join('\n')}\n`,
    );
  onShutdown(log, async () => {
    await app.close();
    await stop();
    await database.close();
  });
  return await new Promise<number>(() => {});
}

/** On SIGINT/SIGTERM: `close`, then the log flushed, then exit; a fatal error flushes the log too. */
function onShutdown(log: import('pino').Logger, close: () => Promise<void>): void {
  const shutdown = async () => {
    try {
      await close();
    } catch (err) {
      log.error({ err }, 'shutdown failed');
    }
    flushLogger(log);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    flushLogger(log);
    process.exit(1);
  });
}

/** The processes of a multi-process deployment share one PostgreSQL server; PGlite is single-process. */
function serverDatabaseUrl(command: string): string | undefined {
  const url = process.env.DATABASE_URL;
  if (!url)
    console.error(
      `gravity ${command} needs DATABASE_URL (a PostgreSQL server shared by every process): the embedded ` +
        'PGlite database serves one process only. For one process with everything, use `gravity start`.',
    );
  return url || undefined;
}

/** Any advisory-lock key of our own: migrations of processes starting at once run one after another. */
const MIGRATION_LOCK_KEY = 7_112_012;

/**
 * Migrates, on PostgreSQL under a session advisory lock, so processes starting together take turns
 * (the first applies the migrations, the others find the database up to date).
 */
async function migrateLocked(
  databaseUrl: string | undefined,
  db: import('./platform/db.ts').Db,
  progress?: (line: string) => void,
): Promise<string[]> {
  if (!databaseUrl) return migrate(db, progress); // PGlite: one process, its data directory locked
  const pg = (await import('pg')).default;
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await migrate(db, progress);
  } finally {
    await lock.end(); // ends the session: the lock goes with it
  }
}

/** `gravity api` (HTTP only) or `gravity worker` (background tasks only), against PostgreSQL. */
async function serveRole(role: 'api' | 'worker'): Promise<number> {
  const databaseUrl = serverDatabaseUrl(role);
  if (!databaseUrl) return 2;
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase({ ...databaseOptions(config), log });
  const applied = await migrateLocked(databaseUrl, database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const { buildApp } = await import('./app.ts');
  if (role === 'api' && process.env.SKIP_WEB_BUILD !== '1') {
    const { ensureWebBuilt } = await import('./web-build.ts');
    await ensureWebBuilt(say);
  }
  const { app, stop, services } = await buildApp({ config, db: database.db, log, role });
  let health: import('node:http').Server | undefined;
  if (role === 'api') {
    // The embedded RTMP ingest: the first API process on a host takes the port and serves its streams.
    await services.ingest.startMediaServer();
    await app.listen({ port: config.port, host: config.host });
    console.log(`  gravity api listening on port ${config.port} (no background tasks)`);
  } else {
    await app.ready();
    if (config.workerPort !== undefined)
      health = await workerHealth(config.workerPort, config.host, database.db, log);
    console.log(
      `  gravity worker running the background tasks${health ? ` (health on port ${config.workerPort})` : ''}`,
    );
  }
  onShutdown(log, async () => {
    await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
    await app.close();
    await stop();
    await database.close();
  });
  return await new Promise<number>(() => {});
}

/** The worker's only HTTP: GET /health, 200 when the database answers, else 503. */
async function workerHealth(
  port: number,
  host: string,
  db: import('./platform/db.ts').Db,
  log: import('pino').Logger,
): Promise<import('node:http').Server> {
  const http = await import('node:http');
  const { databaseAnswers } = await import('./platform/db.ts');
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    databaseAnswers(db, log).then((up) => {
      res
        .writeHead(up ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: up ? 'ok' : 'degraded', role: 'worker' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * `gravity sandbox-provider`: the sandbox payment provider as its own process, as a real provider
 * would be: its HTTP API (sandbox-server.ts) and its webhook deliveries to the platform. Its state is
 * its own tables (`sandbox_provider_*`) of the same database.
 */
async function sandboxProvider(): Promise<number> {
  const databaseUrl = serverDatabaseUrl('sandbox-provider');
  if (!databaseUrl) return 2;
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase({ ...databaseOptions(config), log });
  await migrateLocked(databaseUrl, database.db);
  const { systemClock } = await import('./platform/clock.ts');
  const { startWorkers } = await import('./platform/workers.ts');
  const { SandboxPaymentProvider, httpWebhookDelivery } = await import(
    './modules/payments/sandbox-provider.ts'
  );
  const { sandboxProviderServer } = await import('./modules/payments/sandbox-server.ts');
  const sandbox = new SandboxPaymentProvider({
    db: database.db,
    clock: systemClock,
    log,
    secret: config.paymentWebhookSecret,
    ...config.sandboxPayment,
  });
  const targets = (process.env.SANDBOX_WEBHOOK_URL || config.publicUrl)
    .split(',')
    .map((u) => `${u.trim().replace(/\/+$/, '')}/api/v1/payments/webhook`);
  sandbox.setDelivery(httpWebhookDelivery(targets));
  const workers = startWorkers(
    [{ name: 'sandbox.webhooks', intervalMs: 200, drain: true, run: () => sandbox.deliverDue() }],
    log,
  );
  const server = sandboxProviderServer(sandbox, log);
  // Its API moves money without authentication, as a stand-in: this machine only unless told otherwise.
  const host = process.env.SANDBOX_PROVIDER_HOST || '127.0.0.1';
  await server.listen({ port: config.sandboxProviderPort, host });
  console.log(
    `  gravity sandbox-provider listening on ${host}:${config.sandboxProviderPort}, webhooks to ${targets.join(', ')}`,
  );
  onShutdown(log, async () => {
    await server.close();
    await workers.stop();
    await database.close();
  });
  return await new Promise<number>(() => {});
}
