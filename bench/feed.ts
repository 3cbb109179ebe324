import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { createScratchDatabase, startServer } from '../test/support/server-process.ts';
import { summarizeProfile } from './profile.ts';

/**
 * `npm run bench:feed`: the feed (`GET /api/v1/feed`, anonymous, 20 cards) against the server's no-op
 * route (`GET /api/noop`) in the same run, on one API process over a PostgreSQL server database with
 * 100,000 products on sale in 10,000 stores, 2,000 of them new (in cold start, with a minimum and launch
 * credits, so the pacer and the boost work on every page). The data is written by bulk SQL (a bench,
 * not the product), then `traffic.plan` runs at the API's start. Each page's impressions are logged
 * (buffered, flushed in batches), as in production.
 * Last line: `{"p99Ms":…,"feedPerSec":…,"noopPerSec":…,"ratioVsNoop":…,"rssMb":…}`.
 */

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const STORES = Number(process.env.BENCH_STORES ?? 10_000);
const NEW_STORES = Number(process.env.BENCH_NEW_STORES ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** BENCH_PROFILE=1: the API process runs with --cpu-prof; its self time during the feed load is summarised. */
const PROFILE = process.env.BENCH_PROFILE === '1';

/** CPU seconds (user + system) used so far by the PostgreSQL backends connected to database `name`. */
function pgCpuSeconds(name: string): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:') || !cmd.includes(` ${name} `)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / CLK_TCK;
}

/** CPU seconds (user + system) used so far by process `pid`. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

async function fill(url: string): Promise<void> {
  const { db, close } = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(db);
    const t0 = Date.now();
    // Stores: owner accounts, stores (the last NEW_STORES opened 0–20 days ago, the others a year ago), owners.
    await sql`
      insert into accounts (id, phone, role, nickname, created_at)
      select md5('acct' || i)::uuid, '1' || lpad(i::text, 10, '0'), 'merchant', 'bench', now() - interval '400 days'
      from generate_series(1, ${STORES}) i`.execute(db);
    await sql`
      insert into stores (id, owner_account_id, name, business_type, opened_at)
      select md5('store' || i)::uuid, md5('acct' || i)::uuid, 'Bench store ' || i, 'general',
             case when i > ${STORES - NEW_STORES} then now() - ((i % 20) || ' days')::interval - interval '1 hour'
                  else now() - interval '365 days' end
      from generate_series(1, ${STORES}) i`.execute(db);
    await sql`
      insert into store_staff (store_id, account_id, staff_role)
      select md5('store' || i)::uuid, md5('acct' || i)::uuid, 'owner' from generate_series(1, ${STORES}) i`.execute(
      db,
    );
    // Products spread over the stores and the leaf categories, one SKU each, its price in pricing's index.
    await sql`
      with leaves as (select id, row_number() over (order by id) - 1 as n, count(*) over () as k
                      from categories where parent_id is not null)
      insert into products (id, store_id, category_id, title, images, status, sales, created_at, updated_at)
      select md5('prod' || i)::uuid, md5('store' || (1 + i % ${STORES}))::uuid, l.id, 'Bench product ' || i,
             '["/media/bench.png"]'::jsonb, 'on_sale', ((i::bigint * 7919) % 500)::int, now() - interval '30 days', now() - interval '30 days'
      from generate_series(1, ${PRODUCTS}) i join leaves l on l.n = i % l.k`.execute(db);
    await sql`
      insert into skus (id, product_id, size, color, price_fen, stock, position)
      select md5('sku' || i)::uuid, md5('prod' || i)::uuid, 'M', 'black', 990 + ((i::bigint * 104729) % 50000)::int, 100, 0
      from generate_series(1, ${PRODUCTS}) i`.execute(db);
    await sql`
      insert into sku_prices (sku_id, store_id, list_price_fen, final_fen, updated_at)
      select s.id, p.store_id, s.price_fen, s.price_fen, now() from skus s join products p on p.id = s.product_id`.execute(
      db,
    );
    await sql`analyze`.execute(db);
    // Today's plans (cold-start minimums, launch grants): what the worker's `traffic.plan` task does.
    const config = loadConfig({ ...process.env, DATABASE_URL: url });
    const app = await buildApp({ config, db, log: pino({ level: 'silent' }) });
    const plan = await app.services.traffic.planDay();
    await app.stop();
    await app.app.close();
    console.log(`plan: ${plan.contracts} contracts, ${plan.launchGrants} launch grants`);
    console.log(
      `data: ${PRODUCTS} products, ${STORES} stores (${NEW_STORES} new) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await close();
  }
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function load(url: string, seconds: number) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return {
    perSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors,
    total: r.requests.total,
  };
}

export async function main(_args: string[]): Promise<void> {
  const scratch = await createScratchDatabase('bench_feed');
  try {
    await fill(scratch.url);
    const profileDir = PROFILE ? fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-feed-prof-')) : null;
    if (profileDir) process.env.SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
    // The anonymous feed limit (per client address) is off: every request here comes from one address.
    const server = await startServer(
      { DATABASE_URL: scratch.url, LOG_LEVEL: 'warn', FEED_ANON_PAGES_PER_MINUTE: '0' },
      { command: 'api' },
    );
    let windowUs: [number, number] | undefined;
    let last = '';
    try {
      const started = Date.now();
      // The first feed request waits for the catalogue to load into the engine.
      const first = await fetch(`${server.url}/api/v1/feed?limit=20`);
      if (first.status !== 200) throw new Error(`feed answered ${first.status}: ${await first.text()}`);
      const body = (await first.json()) as { items: unknown[] };
      console.log(
        `engine loaded in ${((Date.now() - started) / 1000).toFixed(1)} s; first page: ${body.items.length} cards`,
      );
      const feedUrl = `${server.url}/api/v1/feed?limit=20`;
      const noopUrl = `${server.url}/api/noop`;
      await load(feedUrl, WARMUP_SECONDS);
      await load(noopUrl, WARMUP_SECONDS);
      const noop = await load(noopUrl, SECONDS);
      const pg0 = pgCpuSeconds(scratch.name);
      const api0 = cpuSeconds(server.child.pid);
      const from = Number(process.hrtime.bigint() / 1000n);
      const feed = await load(feedUrl, SECONDS);
      windowUs = [from, Number(process.hrtime.bigint() / 1000n)];
      const pgCpu = pgCpuSeconds(scratch.name) - pg0;
      const apiCpu = cpuSeconds(server.child.pid) - api0;
      const rss = rssMb(server.child.pid);
      const imp = await (async () => {
        const { db, close } = await openDatabase({ databaseUrl: scratch.url, poolSize: 1 });
        // The last flushes (the API writes every second): counted again until the count stands still.
        let before = -1;
        for (let i = 0; i < 30; i++) {
          await new Promise((r) => setTimeout(r, 1500));
          const r = await sql<{ n: number; plan: number }>`
            select count(*)::int as n, count(*) filter (where source <> 'organic')::int as plan from traffic_impressions`.execute(
            db,
          );
          const row = r.rows[0] as { n: number; plan: number };
          if (row.n === before) {
            await close();
            return row;
          }
          before = row.n;
        }
        await close();
        return undefined;
      })();
      console.log(
        `CPU during the feed load (${SECONDS} s): API process ${apiCpu.toFixed(1)} s, its PostgreSQL backends ${pgCpu.toFixed(1)} s; load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      console.log(
        `noop: ${noop.perSec.toFixed(0)}/s p50 ${noop.p50} ms p99 ${noop.p99} ms | feed: ${feed.perSec.toFixed(0)}/s p50 ${feed.p50} ms p99 ${feed.p99} ms, ${feed.non2xx} non-2xx | RSS ${rss} MB | impressions logged ${imp?.n} (plan ${imp?.plan})`,
      );
      const problems = server
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)/.test(l));
      if (problems.length > 0)
        console.log(`API warnings/errors: ${problems.length}; last: ${problems.slice(-2).join('\n')}`);
      last = JSON.stringify({
        p99Ms: feed.p99,
        p50Ms: feed.p50,
        feedPerSec: Math.round(feed.perSec),
        noopPerSec: Math.round(noop.perSec),
        ratioVsNoop: Math.round((feed.perSec / noop.perSec) * 1000) / 1000,
        rssMb: rss,
      });
    } finally {
      await server.kill('SIGTERM');
    }
    if (profileDir) {
      console.log(summarizeProfile(profileDir, windowUs, 25).replace('checkout-only', 'feed'));
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
    console.log(last);
  } finally {
    await scratch.drop();
  }
}
