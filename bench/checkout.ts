import autocannon from 'autocannon';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { countQueries } from '../src/platform/query-counter.ts';
import { createLoadFixture } from '../test/support/load-fixture.ts';
import {
  createScratchDatabase,
  runPgbench,
  scratchDir,
  startServer,
} from '../test/support/server-process.ts';

/**
 * `npm run bench:checkout`: checkout + pay driven by autocannon against a real server process,
 * on embedded PGlite and on PostgreSQL, beside the server's no-op route and pgbench's TPC-B-like
 * script at the same concurrency, measured in the same run. Last line: one JSON object.
 */

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SKUS = 20;
const STOCK = 1_000_000;

const address = {
  name: '压测',
  phone: '13600000000',
  province: '浙江省',
  city: '嘉兴市',
  district: '桐乡市',
  detail: '乌镇 1 号',
};

interface Run {
  ordersPerSec: number;
  /** Payments captured (webhook → outbox → capture → webhook → ledger) by the time the load stopped, per second. */
  capturedPerSec: number | null;
  /** After the load: how long until every payment was captured (or failed). */
  drainMs: number | null;
  p50Ms: number;
  p99Ms: number;
  noopPerSec: number;
  errors: number;
  oversold: number;
}

interface Ctx {
  cookie?: string;
  checkoutId?: string;
}

async function drive(
  url: string,
  skuIds: string[],
  tokens: string[],
): Promise<{ ordersPerSec: number; p50: number; p99: number; errors: number }> {
  let nextBuyer = 0;
  let counter = 0;
  let orders = 0;
  let errors = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/checkouts',
        setupRequest: (req, ctx) => {
          const context = ctx as Ctx;
          context.cookie ??= `gravity_session=${tokens[nextBuyer++ % tokens.length]}`;
          const key = `bench-${process.pid}-${counter++}`;
          const sku = skuIds[counter % skuIds.length];
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              cookie: context.cookie ?? '',
              'idempotency-key': key,
            },
            body: JSON.stringify({ lines: [{ skuId: sku, quantity: 1 }], address }),
          };
        },
        onResponse: (status, body, ctx) => {
          const context = ctx as Ctx;
          if (status === 201) context.checkoutId = JSON.parse(body).checkout.id;
          else {
            errors++;
            context.checkoutId = undefined;
          }
        },
      },
      {
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
          if (status === 202 && context.checkoutId) orders++;
          else if (context.checkoutId) errors++;
        },
      },
    ],
  });
  return { ordersPerSec: orders / SECONDS, p50: result.latency.p50, p99: result.latency.p99, errors };
}

async function noop(url: string): Promise<number> {
  const result = await autocannon({
    url: `${url}/api/noop`,
    connections: CONNECTIONS,
    duration: Math.max(3, SECONDS / 2),
  });
  return result.requests.average;
}

async function oversold(
  db: import('../src/platform/db.ts').Db,
  initial: Map<string, number>,
): Promise<number> {
  const rows = await sql<{ id: string; stock: number; sold: number }>`
    select s.id, s.stock, coalesce(sum(l.quantity) filter (where o.status not in ('cancelled','expired','refunded')), 0)::int as sold
    from skus s left join order_lines l on l.sku_id = s.id left join orders o on o.id = l.order_id
    where s.id = any(${[...initial.keys()]}::uuid[]) group by s.id`.execute(db);
  return rows.rows.reduce(
    (n, r) => n + Math.max(0, r.sold - (initial.get(r.id) ?? 0)) + (r.stock < 0 ? 1 : 0),
    0,
  );
}

/** Payments by state, read on the PostgreSQL server while the server process runs. */
async function paymentCounts(
  db: import('../src/platform/db.ts').Db,
): Promise<{ captured: number; open: number }> {
  const r = await sql<{ captured: number; open: number }>`
    select count(*) filter (where status = 'captured')::int as captured,
           count(*) filter (where status in ('created', 'authorized'))::int as open
    from payments`.execute(db);
  return r.rows[0] ?? { captured: 0, open: 0 };
}

/** Waits until the background pipeline has captured every payment; the time it took, or null after 60 s. */
async function drain(db: import('../src/platform/db.ts').Db): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if ((await paymentCounts(db)).open === 0) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function benchBackend(kind: 'pglite' | 'postgres'): Promise<Run> {
  const scratch = kind === 'postgres' ? await createScratchDatabase('gravity_bench') : undefined;
  const dataDir = kind === 'pglite' ? scratchDir('gravity-bench') : undefined;
  const open = () => openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir });
  let database = await open();
  await migrate(database.db);
  const fixture = await createLoadFixture(database.db, { skuCount: SKUS, stockPerSku: STOCK, buyers: 64 });
  if (kind === 'pglite') await database.close(); // the server process owns the embedded database
  const server = await startServer({
    ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: dataDir as string }),
    SANDBOX_PAY_DELAY_MS: '0',
  });
  try {
    process.stdout.write(`  ${kind}: no-op route… `);
    const noopPerSec = await noop(server.url);
    process.stdout.write(
      `${noopPerSec.toFixed(0)} req/s; checkout+pay for ${SECONDS}s at ${CONNECTIONS} connections… `,
    );
    const run = await drive(server.url, fixture.skuIds, fixture.buyerTokens);
    console.log(`${run.ordersPerSec.toFixed(0)} orders/s`);
    // Paying is asynchronous (provider webhooks, outbox capture, ledger): say how much of it kept
    // up. Only on PostgreSQL: the embedded database belongs to the server process while it runs.
    let capturedPerSec: number | null = null;
    let drainMs: number | null = null;
    if (kind === 'postgres') {
      capturedPerSec = (await paymentCounts(database.db)).captured / SECONDS;
      drainMs = await drain(database.db);
      console.log(
        `    captured while the load ran: ${capturedPerSec.toFixed(0)}/s; the rest captured ${drainMs === null ? 'not within 60 s' : `${drainMs} ms`} after it`,
      );
    }
    await server.kill();
    if (kind === 'pglite') database = await open();
    const over = await oversold(database.db, fixture.initialStock);
    return {
      ordersPerSec: run.ordersPerSec,
      capturedPerSec,
      drainMs,
      p50Ms: run.p50,
      p99Ms: run.p99,
      noopPerSec,
      errors: run.errors,
      oversold: over,
    };
  } finally {
    await server.kill('SIGKILL');
    await database.close();
    await scratch?.drop();
  }
}

/** SQL statements one checkout issues, with 1 and with 10 cart lines (must not grow with lines). */
async function statementsPerCheckout(): Promise<{ oneLine: number; tenLines: number; pay: number }> {
  const database = await openDatabase({});
  await migrate(database.db);
  const fixture = await createLoadFixture(database.db, { skuCount: 10, stockPerSku: 100, buyers: 1 });
  const counter = countQueries(database.db);
  const { app, stop } = await buildApp({
    config: loadConfig({ NODE_ENV: 'test' }),
    db: counter.db,
    log: pino({ level: 'silent' }),
  });
  const cookie = `gravity_session=${fixture.buyerTokens[0]}`;
  const checkout = async (lines: number, key: string) => {
    counter.reset();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/checkouts',
      headers: { cookie, 'idempotency-key': key },
      payload: { lines: fixture.skuIds.slice(0, lines).map((skuId) => ({ skuId, quantity: 1 })), address },
    });
    if (res.statusCode !== 201) throw new Error(`checkout failed: ${res.statusCode} ${res.body}`);
    return counter.count();
  };
  const oneLine = await checkout(1, 'count-one-line');
  const tenLines = await checkout(10, 'count-ten-lines');
  // Pay, up to its 202 (the provider's webhooks and the capture come later, in the background).
  const placed = await app.inject({
    method: 'POST',
    url: '/api/v1/checkouts',
    headers: { cookie, 'idempotency-key': 'count-pay-checkout' },
    payload: { lines: [{ skuId: fixture.skuIds[0], quantity: 1 }], address },
  });
  counter.reset();
  const paid = await app.inject({
    method: 'POST',
    url: `/api/v1/checkouts/${placed.json().checkout.id}/pay`,
    headers: { cookie, 'idempotency-key': 'count-pay' },
  });
  if (paid.statusCode !== 202) throw new Error(`pay failed: ${paid.statusCode} ${paid.body}`);
  const pay = counter.count();
  await stop();
  await app.close();
  await database.close();
  return { oneLine, tenLines, pay };
}

export async function main(): Promise<number> {
  console.log(
    `Checkout benchmark — ${CONNECTIONS} connections, ${SECONDS}s per run, 1 line per checkout, then pay`,
  );
  const statements = await statementsPerCheckout();
  console.log(
    `  SQL statements per checkout (incl. session lookup; BEGIN/COMMIT not counted): 1 line ${statements.oneLine}, 10 lines ${statements.tenLines}; pay up to its answer: ${statements.pay}`,
  );
  console.log(
    '  orders/s = checkout+pay pairs answered 201/202 by one server process (HTTP, session, stock, orders, payment intent, provider call),\n' +
      '  while the same process also runs the asynchronous payment pipeline (webhooks over HTTP, outbox capture, ledger).\n' +
      '  pgbench = its built-in TPC-B-like transaction (3 updates, 1 select, 1 insert) from C clients, same server and concurrency.',
  );
  const embedded = await benchBackend('pglite');
  const postgres = await benchBackend('postgres');
  process.stdout.write(`  pgbench TPC-B-like, ${CONNECTIONS} clients, ${SECONDS}s… `);
  const pgbench = runPgbench(CONNECTIONS, SECONDS);
  console.log(`${pgbench.tps.toFixed(0)} tps`);

  const table = [
    ['backend', 'orders/s', 'p50 ms', 'p99 ms', 'no-op req/s', 'orders/no-op', 'errors', 'oversold'],
    ...(
      [
        ['PGlite (embedded)', embedded],
        ['PostgreSQL', postgres],
      ] as const
    ).map(([name, r]) => [
      name,
      r.ordersPerSec.toFixed(0),
      String(r.p50Ms),
      String(r.p99Ms),
      r.noopPerSec.toFixed(0),
      (r.ordersPerSec / r.noopPerSec).toFixed(3),
      String(r.errors),
      String(r.oversold),
    ]),
  ];
  console.log();
  for (const row of table) console.log(row.map((c, i) => (i === 0 ? c.padEnd(20) : c.padStart(13))).join(''));
  const ratio = postgres.ordersPerSec / pgbench.tps;
  console.log(
    `\nPostgreSQL checkout vs pgbench: ${postgres.ordersPerSec.toFixed(0)} / ${pgbench.tps.toFixed(0)} = ${ratio.toFixed(2)}× (goal ≥ 0.5×)`,
  );
  console.log(
    JSON.stringify({
      ordersPerSec: Math.round(postgres.ordersPerSec),
      p99Ms: postgres.p99Ms,
      noopPerSec: Math.round(postgres.noopPerSec),
      pgbenchTps: Math.round(pgbench.tps),
      ratioVsPgbench: Number(ratio.toFixed(3)),
      oversold: postgres.oversold + embedded.oversold,
      capturedPerSec: postgres.capturedPerSec === null ? null : Math.round(postgres.capturedPerSec),
      drainMs: postgres.drainMs,
      // Orders fully paid (captured, ledger written) per second of load + drain: the sustainable rate.
      paidEndToEndPerSec:
        postgres.drainMs === null
          ? null
          : Math.round((postgres.ordersPerSec * SECONDS) / (SECONDS + postgres.drainMs / 1000)),
      statementsPerCheckout: statements,
      embedded: { ordersPerSec: Math.round(embedded.ordersPerSec), p99Ms: embedded.p99Ms },
    }),
  );
  return 0;
}
