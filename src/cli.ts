import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db.ts';
import { createLogger } from './platform/logger.ts';
import { migrate } from './platform/migrations.ts';

const usage = `gravity — 引力 live & short-video commerce

usage:
  gravity start            migrate, seed demo data when empty, serve API + web app
  gravity migrate          apply database migrations
  gravity seed [--force]   load demo data (deterministic from SEED; resumes an interrupted seed)
  gravity sizing …         size assistant: train | eval-body | eval | simulate
  gravity pglite-template   write the prepared PGlite data directory for the installed PGlite version
  gravity openapi [--out FILE]   write the API's OpenAPI document as JSON (stdout by default; no database needed)
  gravity reconcile        compare payments, refunds and ledger with the payment provider (exit 1 on differences)
  gravity bench checkout|sizing|size-demo|price-protection

config (environment): PORT=3000 DATA_DIR=./data DATABASE_URL=postgres://… (unset = embedded PGlite)`;

export async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'migrate':
      return withDatabase(async (db) => {
        const applied = await migrate(db, say);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      });
    case 'pglite-template': {
      const { writePgliteInitdbTemplate } = await import('./platform/pglite-template.ts');
      console.log(`wrote ${await writePgliteInitdbTemplate()}`);
      return 0;
    }
    case 'seed':
      return withDatabase(async (db) => {
        await migrate(db);
        const { seedDemoData, seedOnStart, seedState } = await import('./seed/seed.ts');
        const action = await seedOnStart(db);
        if (!rest.includes('--force') && !action) {
          if ((await seedState(db)) === 'finished') console.log('the demo data is already loaded');
          else console.log('database already has data; use --force to add demo data anyway');
          return;
        }
        if (action === 'resume') console.log('  resuming the demo seed that was interrupted');
        // The seed builds its data through the app's services: the composition root is handed to it.
        const { buildApp } = await import('./app.ts');
        await seedDemoData(db, loadConfig(), { progress: true, compose: buildApp });
      });
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
    case 'bench': {
      const name = rest[0];
      if (name !== 'checkout' && name !== 'sizing' && name !== 'size-demo' && name !== 'price-protection') {
        console.error('usage: gravity bench checkout|sizing|size-demo|price-protection');
        return 2;
      }
      const bench = await import(`../bench/${name}.ts`);
      return bench.main(rest.slice(1));
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

/** A phase of a long command, one plain line each, so a log written to a file shows progress too. */
function say(line: string): void {
  console.log(`  ${line}`);
}

async function withDatabase(run: (db: import('./platform/db.ts').Db) => Promise<void>): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    progress: say,
  });
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
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log,
    progress: say,
  });
  const applied = await migrate(database.db, say);
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
  const { app, stop } = await buildApp({ config, db: database.db, log, startWorkers: true });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  console.log(`\n  Gravity 引力 is running at ${url}`);
  console.log(`  buyer app ${url}/   merchant console ${url}/merchant   ops console ${url}/ops`);
  console.log(
    `  API docs  ${url}/api/docs   database: ${database.kind}${database.kind === 'pglite' ? ` (${config.dataDir})` : ''}`,
  );
  if (demo.length)
    console.log(
      `\n  demo accounts (sign in with the phone; the sandbox SMS code is shown on screen):\n${demo.map((l) => `    ${l}`).join('\n')}\n`,
    );
  const shutdown = async () => {
    await app.close();
    await stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return await new Promise<number>(() => {});
}
