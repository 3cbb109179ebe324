/**
 * `npm run bench:metrics` (`gravity bench metrics [--orders N] [--runs N]`): the dashboards on a big
 * history. Fills PostgreSQL (DATABASE_URL, or the local server's `gravity_bench_metrics` database)
 * with N paid orders of analytics facts (10,000,000 by default; lines, refunds, follows) set-based
 * with generate_series, rebuilds the rollups from them, then times every panel of both dashboards
 * (p50/p99 over the runs) and the incremental rollup of 1,000 new orders through the subscribers'
 * path. A database already filled with N orders is reused (said in the output). Last line: one JSON.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import type { OrderFact } from '../src/modules/analytics/index.ts';
import { PLATFORM_PANELS, STORE_PANELS } from '../src/modules/analytics/panels.ts';
import { BUSINESS_TIME_ZONE } from '../src/platform/business-day.ts';
import { loadConfig } from '../src/platform/config.ts';
import { type Db, openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { createProgress } from '../src/platform/progress.ts';
import { PG_ADMIN_URL } from '../test/support/server-process.ts';

const DATABASE = 'gravity_bench_metrics';
/** Orders one fill statement writes (with their lines, refunds and follows). */
const CHUNK = 250_000;
const STORES = 20_000;
const BUYERS = 2_000_000;
const MONTHS = 25;
const ROLLUP_BATCHES = 5;

function option(args: string[], flag: string, fallback: number): number {
  const at = args.indexOf(flag);
  const value = at === -1 ? fallback : Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a whole number`);
  return value;
}

/** The benchmark's database: DATABASE_URL, or its own database on the local server (created once). */
async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/** A store number skewed towards the small ones (a few big stores, a long tail), from an order number. */
const storeOf = (i: string) =>
  `floor(${STORES} * power(((${i})::bigint * 2654435761 % 1000003) / 1000003.0, 3))::int`;
const uuidOf = (prefix: string, n: string) => sql.raw(`md5('${prefix}' || (${n})::text)::uuid`);
const businessDay = (at: string) => sql.raw(`(${at} at time zone '${BUSINESS_TIME_ZONE}')::date`);

/**
 * Orders [from, to) of `total`, spread evenly over the last MONTHS months: the facts analytics keeps
 * (orders, lines, every 12th refunded with a reason, a follow for every 4th), one statement.
 */
async function fillChunk(db: Db, from: number, to: number, total: number, end: Date) {
  const spanMs = MONTHS * 30 * 86_400_000;
  const startMs = end.getTime() - spanMs;
  const paidAt = sql.raw(`to_timestamp((${startMs} + g.i::float8 * ${spanMs / total}) / 1000.0)`);
  await sql`
    with src as (
      select g.i, ${paidAt} as paid_at, ${sql.raw(storeOf('g.i'))} as s from generate_series(${from}::bigint, ${to - 1}::bigint) g(i)
    ),
    orders as (
      insert into analytics_orders (order_id, store_id, buyer_id, placed_at, paid_at, day, month, total_fen)
      select ${uuidOf('o', 'i')}, ${uuidOf('s', 's')}, ${uuidOf('b', `i * 48271 % ${BUYERS}`)},
        paid_at - interval '5 minutes', paid_at, ${businessDay('paid_at')},
        date_trunc('month', ${businessDay('paid_at')})::date, 990 + (i * 37 % 50000)
      from src
      on conflict do nothing
      returning order_id
    )
    insert into analytics_order_lines (order_id, product_id, category_id, channel, amount_fen, quantity)
    select o.order_id, ${uuidOf('p', 's * 50 + i % 50')}, 'cat-' || (i % 200),
      (array['live', 'video', 'replay', 'other'])[1 + (i % 10) / 3], 990 + (i * 37 % 50000), 1
    from orders o join src on ${uuidOf('o', 'src.i')} = o.order_id`.execute(db);
  await sql`
    insert into analytics_refunds (refund_key, order_id, store_id, reason, amount_fen, at, day, month)
    select 'bench:' || i, ${uuidOf('o', 'i')}, ${uuidOf('s', storeOf('i'))},
      (array['size_too_small', 'size_too_large', 'quality', 'not_as_described', 'not_received', 'changed_mind', 'other'])[1 + i % 7],
      990 + (i * 37 % 50000), at, ${businessDay('at')}, date_trunc('month', ${businessDay('at')})::date
    from (select i, least(${paidAt} + interval '3 days', ${end}::timestamptz) as at
          from generate_series(${from}::bigint, ${to - 1}::bigint) g(i) where i % 12 = 0) r
    on conflict do nothing`.execute(db);
  await sql`
    insert into analytics_fan_events (store_id, buyer_id, at, kind, source, day, month)
    select ${uuidOf('s', storeOf('i'))}, ${uuidOf('b', `i * 48271 % ${BUYERS}`)}, at, 'follow',
      (array['live', 'video', 'store', 'coupon', 'product', 'other'])[1 + i % 6], ${businessDay('at')},
      date_trunc('month', ${businessDay('at')})::date
    from (select i, ${paidAt} as at from generate_series(${from}::bigint, ${to - 1}::bigint) g(i) where i % 4 = 0) f
    on conflict do nothing`.execute(db);
}

/**
 * How many orders the database was filled with: a note on the facts table, written once the fill and
 * the rollups are complete (the timed 1,000-order batches add orders a count would see).
 */
async function filledWith(db: Db): Promise<number> {
  const r = await sql<{
    note: string | null;
  }>`select obj_description('analytics_orders'::regclass) as note`.execute(db);
  return Number(/^bench:(\d+)$/.exec(r.rows[0]?.note ?? '')?.[1] ?? 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function main(args: string[]): Promise<number> {
  const orders = option(args, '--orders', 10_000_000);
  const runs = Math.max(20, option(args, '--runs', 20));
  const url = await databaseUrl();
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const { db } = database;
  const end = new Date();
  try {
    await migrate(db);
    const have = await filledWith(db);
    if (have === orders) {
      console.log(`reusing the filled database ${new URL(url).pathname.slice(1)}: ${have} orders of facts`);
    } else {
      if (have > 0)
        console.log(`the database was filled with ${have} orders, not ${orders}: filling it again`);
      // a fill from scratch (also after an interrupted one: the note is written last)
      await sql`truncate analytics_order_lines, analytics_orders, analytics_refunds, analytics_fan_events`.execute(
        db,
      );
      const progress = createProgress('facts', orders);
      const started = performance.now();
      for (let from = 0; from < orders; from += CHUNK) {
        await fillChunk(db, from, Math.min(from + CHUNK, orders), orders, end);
        progress.update(Math.min(from + CHUNK, orders), 'orders');
      }
      progress.stop();
      console.log(
        `filled ${orders} orders of facts in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    const gravity = await buildApp({
      config: loadConfig({ ...process.env, DATABASE_URL: url }),
      db,
      log: pino({ level: 'silent' }),
    });
    try {
      const { analytics } = gravity.services;
      if (have !== orders) {
        const started = performance.now();
        console.log('rebuilding the rollups from the facts …');
        await analytics.rebuildRollups();
        console.log(`rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s`);
        await sql`comment on table analytics_orders is ${sql.lit(`bench:${orders}`)}`.execute(db);
      }
      await sql`analyze`.execute(db);
      const bigStore = await sql<{ store_id: string }>`
        select store_id from analytics_store_months group by store_id order by sum(gmv_fen) desc limit 1`.execute(
        db,
      );
      const storeId = bigStore.rows[0]?.store_id ?? randomUUID();
      const query = { months: 13 };
      const rows: Array<{ panel: string; p50: number; p99: number }> = [];
      for (const [scope, specs] of [
        ['platform', PLATFORM_PANELS],
        ['store', STORE_PANELS],
      ] as const) {
        for (const spec of specs) {
          const times: number[] = [];
          for (let r = 0; r < runs; r++) {
            times.push((await analytics.panel(scope, spec.id, scope === 'store' ? storeId : null, query)).ms);
          }
          times.sort((a, b) => a - b);
          rows.push({ panel: `${scope}.${spec.id}`, p50: percentile(times, 50), p99: percentile(times, 99) });
        }
      }
      // The incremental path: 1,000 new paid orders at a time, as the order subscribers ingest them.
      const rollupMs: number[] = [];
      for (let b = 0; b < ROLLUP_BATCHES; b++) {
        const facts: OrderFact[] = Array.from({ length: 1000 }, (_, i) => ({
          orderId: randomUUID(),
          storeId,
          buyerId: randomUUID(),
          placedAt: new Date(end.getTime() - 60_000),
          paidAt: end,
          lines: [
            {
              productId: randomUUID(),
              categoryId: `cat-${i % 200}`,
              channel: 'live',
              amountFen: 4990,
              quantity: 1,
            },
          ],
        }));
        const started = performance.now();
        await analytics.ingestOrders(facts);
        rollupMs.push(performance.now() - started);
      }
      rollupMs.sort((a, b) => a - b);
      console.log(`\n${'panel'.padEnd(40)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
      for (const r of rows) {
        console.log(`${r.panel.padEnd(40)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(9)}`);
      }
      console.log(
        `${'rollup of 1,000 new orders'.padEnd(40)} ${percentile(rollupMs, 50).toFixed(1).padStart(9)} ${rollupMs
          .at(-1)
          ?.toFixed(1)
          .padStart(9)}   (${ROLLUP_BATCHES} batches, median / max)`,
      );
      const maxPanelP99Ms = Math.max(...rows.map((r) => r.p99));
      console.log(
        JSON.stringify({
          orders,
          maxPanelP99Ms: Math.round(maxPanelP99Ms * 10) / 10,
          rollupMsPer1000Orders: Math.round(percentile(rollupMs, 50) * 10) / 10,
        }),
      );
    } finally {
      await gravity.stop();
      await gravity.app.close();
    }
    return 0;
  } finally {
    await database.close();
  }
}
