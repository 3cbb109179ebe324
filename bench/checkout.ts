import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { countQueries } from '../src/platform/query-counter.ts';
import { createLoadFixture, type LoadFixture } from '../test/support/load-fixture.ts';
import { PG_ADMIN_URL, scratchDir } from '../test/support/server-process.ts';
import {
  type CapturedQuery,
  createPickTables,
  installQueryCapture,
  type PgbenchScript,
  pgbenchScript,
  pgbenchScriptArgs,
  sha256,
  sqlFileInCapture,
} from './own-sql.ts';
import { type Role, startProcesses } from './processes.ts';
import { summarizeProfile } from './profile.ts';

/**
 * `npm run bench:checkout`: the checkout measured against PostgreSQL's own pace, in interleaved
 * rounds (each round runs every workload once, in the same order; figures are medians over rounds,
 * ratios are medians of the per-round ratios to that round's pgbench TPC-B):
 *   1. pgbench TPC-B-like, prepared, scale 10 (made once);
 *   2. pgbench running the checkout's own statements, prepared (own-sql.ts): the database's ceiling;
 *   3. the server's checkout only (HTTP, one order, one SKU line), one API process;
 *   4. the server's checkout + pay, one `gravity start` process (API + background work, as before);
 *   5. fully paid orders end to end: API, worker and sandbox provider in their own processes,
 *      load then drain; paid (captured, ledger written) per second of load + drain.
 * Same concurrency throughout. Runs 2–5 each get a fresh copy of one prepared database (migrated,
 * load fixture, bench_* pick tables), so every round starts from the same data.
 * Last line: one JSON object.
 */

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
/** Load before each HTTP run, not measured: a fresh process compiles its hot paths first. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const PROFILE = process.env.BENCH_PROFILE === '1';
/**
 * The plan_cache_mode the server's connections use (db.ts; DATABASE_PLAN_CACHE_MODE): pgbench runs the
 * checkout's own SQL with the same, so the two differ only in how the statements are asked.
 */
const PLAN_CACHE_MODE = process.env.DATABASE_PLAN_CACHE_MODE || 'force_generic_plan';
const ownSqlEnv = {
  ...process.env,
  PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c plan_cache_mode=${PLAN_CACHE_MODE}`,
};
/** For trying one part: BENCH_WORKLOADS=tpcb,own,checkout,orders,paid (default: all). */
const WORKLOADS = new Set((process.env.BENCH_WORKLOADS ?? 'tpcb,own,checkout,orders,paid').split(','));
const want = (w: string) => WORKLOADS.has(w);
const SKUS = 20;
const BUYERS = 64;
const STOCK = 1_000_000; // the most a SKU can hold; a run sells a few thousand

const address = {
  name: '压测',
  phone: '13600000000',
  province: '浙江省',
  city: '嘉兴市',
  district: '桐乡市',
  detail: '乌镇 1 号',
};

// ---------------------------------------------------------------------------------------------
// Databases

const adminUrl = new URL(PG_ADMIN_URL);
const pgArgs = [
  '-h',
  adminUrl.hostname,
  '-p',
  adminUrl.port || '5432',
  '-U',
  adminUrl.username || 'postgres',
];

function urlOf(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (c: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const c = new pg.Client({ connectionString: database ? urlOf(database) : PG_ADMIN_URL });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

const created = new Set<string>();

async function createDatabase(name: string, template?: string): Promise<string> {
  await admin((c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  created.add(name);
  return urlOf(name);
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  created.delete(name);
}

const runId = randomBytes(3).toString('hex');

// ---------------------------------------------------------------------------------------------
// Preparation: the template database, the statement counts and the captured checkout

interface Prepared {
  template: string;
  fixture: LoadFixture;
  script: PgbenchScript;
  /** The captured statements of one warm checkout (one line). */
  statements: CapturedQuery[];
  counts: {
    /** pg client round trips (every query sent, BEGIN/COMMIT included), warm session. */
    roundTrips: { oneLine: number; tenLines: number; pay: number };
    /** Kysely statements (query-counter: BEGIN/COMMIT not counted). */
    statements: { oneLine: number; tenLines: number; pay: number };
  };
}

async function prepare(): Promise<Prepared> {
  const capture = installQueryCapture(); // before any pool connects
  const template = `gravity_bench_tpl_${runId}`;
  const url = await createDatabase(template);
  let database = await openDatabase({ databaseUrl: url });
  await migrate(database.db);
  const fixture = await createLoadFixture(database.db, {
    skuCount: SKUS,
    stockPerSku: STOCK,
    buyers: BUYERS,
  });
  await database.close();
  const { buyers, fixtureIds } = await admin(async (c) => {
    const sessions = await c.query<{ token_hash: string; account_id: string }>(
      'select token_hash, account_id::text from sessions where token_hash = any($1::text[])',
      [fixture.buyerTokens.map(sha256)],
    );
    const accountOf = new Map(sessions.rows.map((r) => [r.token_hash, r.account_id]));
    const buyers = fixture.buyerTokens.map((token) => {
      const accountId = accountOf.get(sha256(token));
      if (!accountId) throw new Error('a fixture buyer has no session');
      return { accountId, token };
    });
    await createPickTables(c, buyers, fixture.skuIds);
    const ids = await c.query<{ id: string }>(
      `select id::text from accounts union all select id::text from stores
       union all select id::text from products union all select id::text from skus`,
    );
    return { buyers, fixtureIds: new Set(ids.rows.map((r) => r.id)) };
  }, template);

  // The server's checkout in this process, on the template: counts, then the capture.
  database = await openDatabase({ databaseUrl: url });
  const counter = countQueries(database.db);
  const { app, stop } = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }),
    db: counter.db,
    log: pino({ level: 'silent' }),
  });
  const buyer = buyers[0] as { accountId: string; token: string };
  const cookie = `gravity_session=${buyer.token}`;
  const checkout = async (skuIds: string[], key: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/checkouts',
      headers: { cookie, 'idempotency-key': key },
      payload: { lines: skuIds.map((skuId) => ({ skuId, quantity: 1 })), address },
    });
    if (res.statusCode !== 201) throw new Error(`checkout failed: ${res.statusCode} ${res.body}`);
    return res.json() as { checkout: { id: string; orders: Array<{ id: string; orderNo: string }> } };
  };
  const measured = async <T>(run: () => Promise<T>) => {
    counter.reset();
    capture.start();
    const result = await run();
    const sent = capture.stop();
    return { result, sent, statements: counter.count() };
  };
  // Warm: the session (cached in-process where the server caches it) and the prepared statements.
  await checkout([fixture.skuIds[0] as string], `bench-warm-${runId}-1`);
  await checkout([fixture.skuIds[1] as string], `bench-warm-${runId}-2`);
  const key = `bench-capture-${runId}-${randomBytes(4).toString('hex')}`;
  const skuId = fixture.skuIds[2] as string;
  const at = new Date();
  const one = await measured(() => checkout([skuId], key));
  const ten = await measured(() => checkout(fixture.skuIds.slice(0, 10), `bench-ten-${runId}`));
  const placed = await checkout([fixture.skuIds[3] as string], `bench-pay-checkout-${runId}`);
  const pay = await measured(async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/checkouts/${placed.checkout.id}/pay`,
      headers: { cookie, 'idempotency-key': `bench-pay-${runId}` },
    });
    if (res.statusCode !== 202) throw new Error(`pay failed: ${res.statusCode} ${res.body}`);
  });
  await stop();
  await app.close();
  await database.close();

  const script = await pgbenchScript({
    statements: one.sent,
    at,
    buyer,
    skuId,
    idempotencyKey: key,
    orderNos: one.result.checkout.orders.map((o) => o.orderNo),
    fixtureIds,
    buyerCount: BUYERS,
    skuCount: SKUS,
  });
  return {
    template,
    fixture,
    script,
    statements: one.sent,
    counts: {
      roundTrips: { oneLine: one.sent.length, tenLines: ten.sent.length, pay: pay.sent.length },
      statements: { oneLine: one.statements, tenLines: ten.statements, pay: pay.statements },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workloads

function pgbench(
  args: string[],
  database: string,
  env: NodeJS.ProcessEnv = process.env,
): { tps: number; transactions: number } {
  let out: string;
  try {
    out = execFileSync(
      'pgbench',
      [...pgArgs, '-c', String(CONNECTIONS), '-j', '2', '-T', String(SECONDS), ...args, database],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, env },
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`pgbench failed:\n${e.stdout ?? ''}\n${(e.stderr ?? '').slice(0, 4000)}`);
  }
  const tps = out.match(/tps = ([\d.]+)/);
  const done = out.match(/number of transactions actually processed: (\d+)/);
  if (!tps || !done) throw new Error(`could not read pgbench output:\n${out}`);
  return { tps: Number(tps[1]), transactions: Number(done[1]) };
}

interface HttpRun {
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Status codes other than the expected ones, with counts. */
  statuses: Record<string, number>;
}

interface Ctx {
  cookie?: string;
  checkoutId?: string;
}

/** Checkouts (and, with `pay`, their payment) from CONNECTIONS connections, one buyer each. */
async function drive(url: string, fixture: LoadFixture, pay: boolean, seconds = SECONDS): Promise<HttpRun> {
  let nextBuyer = 0;
  let counter = 0;
  let done = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const bad = (status: number) => {
    errors++;
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const tag = randomBytes(3).toString('hex');
  const checkoutRequest: autocannon.Request = {
    method: 'POST',
    path: '/api/v1/checkouts',
    setupRequest: (req, ctx) => {
      const context = ctx as Ctx;
      context.cookie ??= `gravity_session=${fixture.buyerTokens[nextBuyer++ % fixture.buyerTokens.length]}`;
      counter++;
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          cookie: context.cookie ?? '',
          'idempotency-key': `bench-${tag}-${counter}`,
        },
        body: JSON.stringify({
          lines: [{ skuId: fixture.skuIds[counter % fixture.skuIds.length], quantity: 1 }],
          address,
        }),
      };
    },
    onResponse: (status, body, ctx) => {
      const context = ctx as Ctx;
      if (status === 201) {
        if (pay) context.checkoutId = JSON.parse(body).checkout.id;
        else done++;
      } else {
        bad(status);
        context.checkoutId = undefined;
      }
    },
  };
  const payRequest: autocannon.Request = {
    method: 'POST',
    setupRequest: (req, ctx) => ({
      ...req,
      path: `/api/v1/checkouts/${(ctx as Ctx).checkoutId ?? '00000000-0000-0000-0000-000000000000'}/pay`,
      headers: {
        cookie: (ctx as Ctx).cookie as string,
        'idempotency-key': `pay-${(ctx as Ctx).checkoutId}`,
      },
    }),
    onResponse: (status, _body, ctx) => {
      const context = ctx as Ctx;
      if (status === 202 && context.checkoutId) done++;
      else if (context.checkoutId) bad(status);
    },
  };
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: pay ? [checkoutRequest, payRequest] : [checkoutRequest],
  });
  return { perSec: done / seconds, p50: result.latency.p50, p99: result.latency.p99, errors, statuses };
}

/**
 * Units sold beyond what left the shelf: per SKU, what live orders hold minus what the stock went
 * down by (any lost update shows, however large the stock), plus any SKU below zero.
 */
async function oversold(database: string, initial: Map<string, number>): Promise<number> {
  return admin(async (c) => {
    const rows = await c.query<{ id: string; stock: number; sold: number }>(
      `select s.id::text, s.stock::int, coalesce(sum(l.quantity) filter (where o.status not in ('cancelled','expired','refunded')), 0)::int as sold
       from skus s left join order_lines l on l.sku_id = s.id left join orders o on o.id = l.order_id
       where s.id = any($1::uuid[]) group by s.id`,
      [[...initial.keys()]],
    );
    return rows.rows.reduce(
      (n, r) => n + Math.max(0, r.sold - ((initial.get(r.id) ?? 0) - r.stock)) + (r.stock < 0 ? 1 : 0),
      0,
    );
  }, database);
}

async function countOrders(database: string): Promise<number> {
  return admin(async (c) => (await c.query('select count(*)::int as n from orders')).rows[0].n, database);
}

/** Payments (other than `before`'s) fully paid (captured, ledger written) and still open. */
async function paymentCounts(c: pg.Client, before: string[]): Promise<{ paid: number; open: number }> {
  const r = await c.query<{ paid: number; open: number }>(
    `select count(*) filter (where p.status = 'captured' and exists (
              select 1 from ledger_transactions t where t.kind = 'payment' and t.reference = p.id::text)
            )::int as paid,
            count(*) filter (where p.status in ('created', 'authorized'))::int as open
     from payments p where p.id <> all($1::uuid[])`,
    [before],
  );
  return r.rows[0] ?? { paid: 0, open: 0 };
}

/** Polls (5 a second, at most DRAIN_SECONDS' worth: a count) until no payment is open. */
async function drained(
  c: pg.Client,
  before: string[],
): Promise<{ counts: { paid: number; open: number }; ms: number | null }> {
  const start = Date.now();
  let counts = await paymentCounts(c, before);
  for (let i = 0; i < DRAIN_SECONDS * 5 && counts.open > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    counts = await paymentCounts(c, before);
  }
  return { counts, ms: counts.open === 0 ? Date.now() - start : null };
}

interface Round {
  pgbenchTps: number;
  ownSqlTps: number;
  ownSqlOrders: number;
  ownSqlTransactions: number;
  checkout: HttpRun;
  orders: HttpRun;
  paid: { paidPerSec: number; ordersPerSec: number; drainMs: number | null; paidCount: number; open: number };
  oversold: number;
}

async function freshCopy(prepared: Prepared, label: string): Promise<{ name: string; url: string }> {
  const name = `gravity_bench_${label}_${randomBytes(3).toString('hex')}`;
  return { name, url: await createDatabase(name, prepared.template) };
}

async function ownSqlRun(
  prepared: Prepared,
  scriptDir: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ tps: number; transactions: number; orders: number; oversold: number }> {
  const db = await freshCopy(prepared, 'own');
  try {
    const before = await countOrders(db.name);
    const r = pgbench(pgbenchScriptArgs(prepared.script, scriptDir), db.name, env);
    const orders = (await countOrders(db.name)) - before;
    return { ...r, orders, oversold: await oversold(db.name, prepared.fixture.initialStock) };
  } finally {
    await dropDatabase(db.name);
  }
}

// The server keeps as many connections as there are clients (pgbench's runs have 16 too).
const serverEnv = (url: string) => ({
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: String(CONNECTIONS),
  SANDBOX_PAY_DELAY_MS: '0',
  LOG_LEVEL,
});

async function httpRun(
  prepared: Prepared,
  roles: Role[],
  pay: boolean,
  options: { profileDir?: string } = {},
): Promise<{ run: HttpRun; oversold: number; windowUs: [number, number] }> {
  const db = await freshCopy(prepared, 'http');
  const procs = await startProcesses(roles, serverEnv(db.url), options);
  try {
    if (WARMUP_SECONDS > 0) await drive(procs.apiUrl, prepared.fixture, pay, WARMUP_SECONDS);
    // The measured window on the monotonic clock (µs), which is also the CPU profile's clock.
    const from = Number(process.hrtime.bigint() / 1000n);
    const run = await drive(procs.apiUrl, prepared.fixture, pay);
    const to = Number(process.hrtime.bigint() / 1000n);
    await procs.stop();
    return { run, oversold: await oversold(db.name, prepared.fixture.initialStock), windowUs: [from, to] };
  } finally {
    await procs.stop('SIGKILL');
    await dropDatabase(db.name);
  }
}

async function endToEndRun(prepared: Prepared): Promise<Round['paid'] & { oversold: number }> {
  const db = await freshCopy(prepared, 'e2e');
  const procs = await startProcesses(['api', 'worker', 'sandbox-provider'], serverEnv(db.url));
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    // Payments already in the template (the capture's) are not this run's.
    const before = (await c.query<{ id: string }>('select id::text from payments')).rows.map((r) => r.id);
    if (WARMUP_SECONDS > 0) {
      await drive(procs.apiUrl, prepared.fixture, true, WARMUP_SECONDS);
      await drained(c, before);
    }
    const base = await paymentCounts(c, before);
    const started = Date.now();
    const run = await drive(procs.apiUrl, prepared.fixture, true);
    const loadMs = Date.now() - started;
    const drainStart = Date.now();
    const drain = await drained(c, before);
    const spentMs = loadMs + (Date.now() - drainStart);
    const counts = { paid: drain.counts.paid - base.paid, open: drain.counts.open };
    const drainMs = drain.ms;
    await procs.stop();
    return {
      paidPerSec: counts.paid / (spentMs / 1000),
      ordersPerSec: run.perSec,
      drainMs,
      paidCount: counts.paid,
      open: counts.open,
      oversold: await oversold(db.name, prepared.fixture.initialStock),
    };
  } finally {
    await c.end();
    await procs.stop('SIGKILL');
    await dropDatabase(db.name);
  }
}

const skipped = {
  run: { perSec: Number.NaN, p50: Number.NaN, p99: Number.NaN, errors: 0, statuses: {} } as HttpRun,
  oversold: 0,
};

// ---------------------------------------------------------------------------------------------
// Report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const r0 = (x: number) => Math.round(x);
const r3 = (x: number) => Number(x.toFixed(3));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

export async function main(): Promise<number> {
  const began = Date.now();
  const elapsed = () => `${((Date.now() - began) / 1000).toFixed(0)}s`;
  console.log(
    `Checkout benchmark — ${ROUNDS} interleaved rounds, ${CONNECTIONS} connections, ${SECONDS}s per run, server LOG_LEVEL=${LOG_LEVEL}, plan_cache_mode=${PLAN_CACHE_MODE} (server and own SQL), PostgreSQL ${adminUrl.host}`,
  );
  const scriptDir = scratchDir('gravity-bench-pgbench');
  const tpcb = `gravity_pgbench_${runId}`;
  let prepared: Prepared | undefined;
  try {
    process.stdout.write('  preparing: TPC-B scale 10… ');
    await createDatabase(tpcb);
    execFileSync('pgbench', [...pgArgs, '-i', '-q', '-s', '10', tpcb], { stdio: 'ignore' });
    process.stdout.write('the Gravity database (migrations, load fixture) and the captured checkout… ');
    prepared = await prepare();
    console.log(`done (${elapsed()})`);
    const { roundTrips, statements } = prepared.counts;
    console.log(
      `  round trips per checkout (warm session; every query the pg client sends, BEGIN/COMMIT included): 1 line ${roundTrips.oneLine}, 10 lines ${roundTrips.tenLines}; pay up to its 202: ${roundTrips.pay}`,
    );
    console.log(
      `  SQL statements per checkout (query-counter, BEGIN/COMMIT not counted): 1 line ${statements.oneLine}, 10 lines ${statements.tenLines}; pay: ${statements.pay}`,
    );
    console.log(`  own SQL (pgbench script, -M prepared):\n${prepared.script.summary}`);
    const placeSql = sqlFileInCapture(
      path.resolve(import.meta.dirname, '../src/modules/orders/place-checkout.sql'),
      prepared.statements,
    );
    if (placeSql) console.log(placeSql);
    if (process.env.BENCH_SHOW_SCRIPT === '1') {
      console.log(prepared.script.text);
      for (const [k, v] of Object.entries(prepared.script.defines))
        console.log(`  -D ${k}=${v.slice(0, 300)}`);
    }

    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = i + 1;
      const say = (what: string) => process.stdout.write(`  round ${round}: ${what}`);
      say('pgbench TPC-B… ');
      const tpcbRun = want('tpcb') ? pgbench(['-M', 'prepared'], tpcb) : { tps: Number.NaN };
      console.log(`${r0(tpcbRun.tps)} tps`);
      say('own SQL… ');
      const own = want('own')
        ? await ownSqlRun(prepared, scriptDir, ownSqlEnv)
        : { tps: Number.NaN, orders: 0, transactions: 0, oversold: 0 };
      console.log(
        `${r0(own.tps)} tps (${own.orders} orders written by ${own.transactions} transactions${own.orders === own.transactions ? '' : ' — MISMATCH'})`,
      );
      say('checkout only (gravity api)… ');
      const co = want('checkout') ? await httpRun(prepared, ['api'], false) : skipped;
      console.log(
        `${r0(co.run.perSec)}/s p99 ${co.run.p99} ms, ${co.run.errors} errors ${errorText(co.run)}`,
      );
      say('checkout + pay (gravity start)… ');
      const orders = want('orders') ? await httpRun(prepared, ['start'], true) : skipped;
      console.log(
        `${r0(orders.run.perSec)}/s p99 ${orders.run.p99} ms, ${orders.run.errors} errors ${errorText(orders.run)}`,
      );
      say('paid end to end (gravity api + worker + sandbox-provider)… ');
      const paid = want('paid')
        ? await endToEndRun(prepared)
        : {
            paidPerSec: Number.NaN,
            ordersPerSec: Number.NaN,
            drainMs: 0,
            paidCount: 0,
            open: 0,
            oversold: 0,
          };
      console.log(
        `${r0(paid.ordersPerSec)} orders/s answered, ${paid.paidCount} paid, drained ${paid.drainMs === null ? `NOT within ${DRAIN_SECONDS}s (${paid.open} open)` : `in ${paid.drainMs} ms`}: ${r0(paid.paidPerSec)} paid/s (${elapsed()})`,
      );
      rounds.push({
        pgbenchTps: tpcbRun.tps,
        ownSqlTps: own.tps,
        ownSqlOrders: own.orders,
        ownSqlTransactions: own.transactions,
        checkout: co.run,
        orders: orders.run,
        paid,
        oversold: own.oversold + co.oversold + orders.oversold + paid.oversold,
      });
    }

    let profile: string | undefined;
    if (PROFILE) {
      const dir = scratchDir('gravity-bench-prof');
      process.stdout.write('  profile: checkout only with --cpu-prof (not in the figures)… ');
      const prof = await httpRun(prepared, ['api'], false, { profileDir: dir });
      console.log(`${r0(prof.run.perSec)}/s`);
      profile = summarizeProfile(dir, prof.windowUs);
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // Per-round table, medians, ratios.
    const ratio = (f: (r: Round) => number) => rounds.map((r) => f(r) / r.pgbenchTps);
    const rows: string[][] = [
      [
        'round',
        'TPC-B tps',
        'own SQL tps',
        'checkout/s',
        'checkout+pay/s',
        'paid e2e/s',
        'own×',
        'checkout×',
        'orders×',
        'paid×',
        'checkout p99 ms',
      ],
      ...rounds.map((r, i) => [
        String(i + 1),
        r0(r.pgbenchTps).toString(),
        r0(r.ownSqlTps).toString(),
        r0(r.checkout.perSec).toString(),
        r0(r.orders.perSec).toString(),
        r0(r.paid.paidPerSec).toString(),
        (r.ownSqlTps / r.pgbenchTps).toFixed(3),
        (r.checkout.perSec / r.pgbenchTps).toFixed(3),
        (r.orders.perSec / r.pgbenchTps).toFixed(3),
        (r.paid.paidPerSec / r.pgbenchTps).toFixed(3),
        String(r.checkout.p99),
      ]),
    ];
    const med = {
      pgbenchTps: median(rounds.map((r) => r.pgbenchTps)),
      ownSqlTps: median(rounds.map((r) => r.ownSqlTps)),
      checkoutPerSec: median(rounds.map((r) => r.checkout.perSec)),
      ordersPerSec: median(rounds.map((r) => r.orders.perSec)),
      paidPerSec: median(rounds.map((r) => r.paid.paidPerSec)),
      own: median(ratio((r) => r.ownSqlTps)),
      checkout: median(ratio((r) => r.checkout.perSec)),
      orders: median(ratio((r) => r.orders.perSec)),
      paid: median(ratio((r) => r.paid.paidPerSec)),
      p99: median(rounds.map((r) => r.checkout.p99)),
      ordersP99: median(rounds.map((r) => r.orders.p99)),
    };
    rows.push([
      'median',
      r0(med.pgbenchTps).toString(),
      r0(med.ownSqlTps).toString(),
      r0(med.checkoutPerSec).toString(),
      r0(med.ordersPerSec).toString(),
      r0(med.paidPerSec).toString(),
      med.own.toFixed(3),
      med.checkout.toFixed(3),
      med.orders.toFixed(3),
      med.paid.toFixed(3),
      String(med.p99),
    ]);
    const oversoldTotal = rounds.reduce((n, r) => n + r.oversold, 0);
    const errors = rounds.reduce((n, r) => n + r.checkout.errors + r.orders.errors, 0);
    console.log();
    console.log(table(rows));
    console.log(
      "\n  × = per-round ratio to that round's TPC-B; the median row's ratios are medians of the per-round ratios.",
    );
    console.log(
      `  checkout + pay p99 ${med.ordersP99} ms; HTTP errors (non-201/202) ${errors}; oversold ${oversoldTotal} (stock conservation on every run's database)`,
    );
    console.log(
      `  goals: checkout ≥ 0.45× (${med.checkout.toFixed(2)}), checkout + pay ≥ 0.2× (${med.orders.toFixed(2)}), 1 round trip per checkout (${prepared.counts.roundTrips.oneLine}), p99 ≤ 50 ms (${med.p99}), 0 oversold (${oversoldTotal})`,
    );
    if (profile) console.log(`\n${profile}`);
    console.log(`  total ${elapsed()}`);
    console.log(
      JSON.stringify({
        pgbenchTps: r0(med.pgbenchTps),
        ownSqlTps: r0(med.ownSqlTps),
        checkoutPerSec: r0(med.checkoutPerSec),
        checkoutRatioVsPgbench: r3(med.checkout),
        ordersPerSec: r0(med.ordersPerSec),
        ordersRatioVsPgbench: r3(med.orders),
        paidEndToEndPerSec: r0(med.paidPerSec),
        p99Ms: med.p99,
        oversold: oversoldTotal,
        roundTripsPerCheckout: prepared.counts.roundTrips.oneLine,
        ownSqlRatioVsPgbench: r3(med.own),
        paidRatioVsPgbench: r3(med.paid),
        statementsPerCheckout: prepared.counts.statements,
        roundTrips: prepared.counts.roundTrips,
        errors,
        rounds: ROUNDS,
        seconds: SECONDS,
        connections: CONNECTIONS,
        logLevel: LOG_LEVEL,
      }),
    );
    return 0;
  } finally {
    for (const name of [...created]) await dropDatabase(name).catch(() => {});
    fs.rmSync(scriptDir, { recursive: true, force: true });
  }
}

function errorText(run: HttpRun): string {
  const codes = Object.entries(run.statuses);
  return codes.length ? `(${codes.map(([s, n]) => `${s}×${n}`).join(', ')})` : '';
}
