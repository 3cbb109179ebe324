import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { createScratchDatabase, startServer } from '../test/support/server-process.ts';

/**
 * `npm run bench:flash-sale`: a flash sale of 10,000 units and 50,000 purchase attempts (each by a
 * distinct signed-in buyer) from 2,000 concurrent clients, over HTTP against one API process
 * (`gravity api`) on a PostgreSQL server database, and the server's no-op route (`GET /api/noop`)
 * with the same clients and count in the same run. The buyers, their sessions and the store are
 * written by bulk SQL (a bench, not the product); the sale is started through the merchant API.
 * Counts: orders (201s, and the orders in the database), oversold (orders beyond the units, and any
 * shard below zero, and SKU stock not conserved: must be 0), attempts/s, p99, no-op/s and the ratio.
 * Also the same no-op with a distinct signed-in buyer per request (each costs the session lookup every
 * purchase attempt costs too), to tell the sale's own cost from the cost of being signed in.
 * Last line: `{"units":…,"attempts":…,"orders":…,"oversold":…,"attemptsPerSec":…,"p99Ms":…,"noopPerSec":…,
 * "ratioVsNoop":…,"signedInNoopPerSec":…,"ratioVsSignedInNoop":…}`.
 */

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 50_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2_000);
/** A warm-up sale first (its own buyers): the server compiles its hot paths before the measured run. */
const WARMUP_ATTEMPTS = Number(process.env.BENCH_WARMUP_ATTEMPTS ?? 4_000);
const WARMUP_UNITS = 1_000;
const STOCK = UNITS + WARMUP_UNITS + 5_000;

const address = {
  name: '秒杀压测',
  phone: '13600000000',
  province: '浙江省',
  city: '杭州市',
  district: '余杭区',
  detail: '文一西路 1 号',
};

const ids = {
  merchant: '00000000-0000-4000-8000-00000000f001',
  store: '00000000-0000-4000-8000-00000000f002',
  product: '00000000-0000-4000-8000-00000000f003',
  sku: '00000000-0000-4000-8000-00000000f004',
};
const merchantToken = 'flash-bench-merchant-token';
const buyerToken = (i: number) => `flash-bench-buyer-${i}`;

async function fill(url: string, buyers: number): Promise<void> {
  const { db, close } = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(db);
    const t0 = Date.now();
    await sql`
      insert into accounts (id, phone, role, nickname, created_at)
      values (${ids.merchant}, '13900000000', 'merchant', 'bench merchant', now() - interval '400 days')`.execute(
      db,
    );
    await sql`
      insert into stores (id, owner_account_id, name, business_type, opened_at)
      values (${ids.store}, ${ids.merchant}, 'Flash bench store', 'general', now() - interval '365 days')`.execute(
      db,
    );
    await sql`
      insert into store_staff (store_id, account_id, staff_role) values (${ids.store}, ${ids.merchant}, 'owner')`.execute(
      db,
    );
    await sql`
      insert into products (id, store_id, category_id, title, images, status, sales, created_at, updated_at)
      select ${ids.product}, ${ids.store}, id, '秒杀压测商品', '["/media/bench.png"]'::jsonb, 'on_sale', 0, now(), now()
      from categories where parent_id is not null order by id limit 1`.execute(db);
    await sql`
      insert into skus (id, product_id, size, color, price_fen, stock, position)
      values (${ids.sku}, ${ids.product}, 'M', 'black', 19900, ${STOCK}, 0)`.execute(db);
    await sql`
      insert into sku_prices (sku_id, store_id, list_price_fen, final_fen, updated_at)
      values (${ids.sku}, ${ids.store}, 19900, 19900, now())`.execute(db);
    // The buyers and their sessions (the cookie carries the token; the table its SHA-256).
    await sql`
      with b as materialized (select i, gen_random_uuid() as id from generate_series(1, ${buyers}) i),
      a as (
        insert into accounts (id, phone, role, nickname, created_at)
        select id, '18' || lpad(i::text, 9, '0'), 'buyer', 'bench', now() from b
      )
      insert into sessions (token_hash, account_id, created_at, expires_at)
      select encode(sha256(convert_to('flash-bench-buyer-' || i, 'UTF8')), 'hex'), id, now(), now() + interval '1 day'
      from b`.execute(db);
    await sql`
      insert into sessions (token_hash, account_id, created_at, expires_at)
      values (encode(sha256(convert_to(${merchantToken}, 'UTF8')), 'hex'), ${ids.merchant}, now(), now() + interval '1 day')`.execute(
      db,
    );
    await sql`analyze`.execute(db);
    console.log(
      `data: 1 store, 1 SKU (${STOCK} in stock), ${buyers} buyers in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await close();
  }
}

interface Run {
  perSec: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  total: number;
}

/**
 * `amount` requests from CONNECTIONS clients: purchases (each by the next buyer, with its own key), or
 * the no-op, signed out or each by the next buyer from `signedInFrom`.
 */
async function run(
  url: string,
  amount: number,
  purchase?: { saleId: string; firstBuyer: number },
  signedInFrom?: number,
): Promise<Run> {
  const statuses: Record<string, number> = {};
  let next = purchase?.firstBuyer ?? signedInFrom ?? 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    timeout: 120,
    requests: [
      purchase
        ? {
            method: 'POST',
            path: `/api/v1/flash-sales/${purchase.saleId}/purchases`,
            setupRequest: (req) => {
              next += 1;
              return {
                ...req,
                headers: {
                  'content-type': 'application/json',
                  cookie: `gravity_session=${buyerToken(next)}`,
                  'idempotency-key': `flash-bench-${next}`,
                },
                body: JSON.stringify({ address }),
              };
            },
            onResponse: (status, body) => {
              const code =
                status === 201
                  ? '201'
                  : `${status} ${(() => {
                      try {
                        return JSON.parse(body).error.code;
                      } catch {
                        return '';
                      }
                    })()}`;
              statuses[code] = (statuses[code] ?? 0) + 1;
            },
          }
        : {
            method: 'GET',
            path: '/api/noop',
            ...(signedInFrom === undefined
              ? {}
              : {
                  setupRequest: (req) => {
                    next += 1;
                    return { ...req, headers: { cookie: `gravity_session=${buyerToken(next)}` } };
                  },
                }),
            onResponse: (status) => {
              statuses[status] = (statuses[status] ?? 0) + 1;
            },
          },
    ],
  });
  const seconds = result.duration;
  return {
    perSec: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    total: result.requests.total,
  };
}

async function analyze(url: string): Promise<void> {
  const { db, close } = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await sql`analyze`.execute(db);
  } finally {
    await close();
  }
}

async function startSale(url: string, units: number): Promise<string> {
  const res = await fetch(`${url}/api/v1/merchant/flash-sales`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `gravity_session=${merchantToken}` },
    body: JSON.stringify({ skuId: ids.sku, priceFen: 990, units, durationSeconds: 3_600 }),
  });
  if (res.status !== 201) throw new Error(`starting the sale answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { sale: { id: string } }).sale.id;
}

export async function main(_args: string[]): Promise<void> {
  const scratch = await createScratchDatabase('bench_flash');
  try {
    // Buyers 1..ATTEMPTS buy in the measured sale, the next WARMUP_ATTEMPTS in the warm-up, the last
    // ATTEMPTS sign in to the no-op (none of them has a session cached when the sale begins).
    await fill(scratch.url, 2 * ATTEMPTS + WARMUP_ATTEMPTS);
    const server = await startServer({ DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' }, { command: 'api' });
    let last = '';
    try {
      // Warm-up: a sale of its own, bought by buyers the measured run does not use; and the no-op.
      const warm = await startSale(server.url, WARMUP_UNITS);
      await run(server.url, WARMUP_ATTEMPTS, { saleId: warm, firstBuyer: ATTEMPTS });
      await run(server.url, 20_000);
      // Fresh statistics after the warm-up's orders, as autovacuum keeps them on a running database (planned
      // on the empty tables of the fill, the purchase's cached plan reads idempotency keys by a full scan).
      await analyze(scratch.url);
      const noop = await run(server.url, ATTEMPTS);
      const signedInNoop = await run(server.url, ATTEMPTS, undefined, ATTEMPTS + WARMUP_ATTEMPTS);
      const saleId = await startSale(server.url, UNITS);
      const flash = await run(server.url, ATTEMPTS, { saleId, firstBuyer: 0 });
      const accepted = flash.statuses['201'] ?? 0;
      const { db, close } = await openDatabase({ databaseUrl: scratch.url, poolSize: 1 });
      const check = await (async () => {
        try {
          const r = await sql<{
            orders: number;
            buyers: number;
            negative: number;
            stock: number;
            reserved: number;
            live: number;
          }>`
            select (select count(*)::int from flash_sale_claims where sale_id = ${saleId}) as orders,
                   (select count(distinct buyer_id)::int from flash_sale_claims where sale_id = ${saleId}) as buyers,
                   (select count(*)::int from flash_sale_shards where remaining < 0) as negative,
                   (select stock from skus where id = ${ids.sku}) as stock,
                   (select reserved from skus where id = ${ids.sku}) as reserved,
                   (select count(*)::int from order_stock_holds where released_at is null) as live`.execute(
            db,
          );
          return r.rows[0] as {
            orders: number;
            buyers: number;
            negative: number;
            stock: number;
            reserved: number;
            live: number;
          };
        } finally {
          await close();
        }
      })();
      // Units on hand never change here (nothing ships): stock + reserved = STOCK. Reserved = live flash
      // orders + what the two sales still hold.
      const conserved = check.stock + check.reserved === STOCK;
      const oversold = Math.max(0, check.orders - UNITS) + check.negative + (conserved ? 0 : 1);
      console.log(
        `noop: ${noop.perSec.toFixed(0)}/s p50 ${noop.p50} ms p99 ${noop.p99} ms ${JSON.stringify(noop.statuses)}`,
      );
      console.log(
        `no-op signed in: ${signedInNoop.perSec.toFixed(0)}/s p50 ${signedInNoop.p50} ms p99 ${signedInNoop.p99} ms ${JSON.stringify(signedInNoop.statuses)}`,
      );
      console.log(
        `flash: ${flash.total} attempts, ${flash.perSec.toFixed(0)}/s p50 ${flash.p50} ms p99 ${flash.p99} ms; answers ${JSON.stringify(flash.statuses)}`,
      );
      console.log(
        `database: ${check.orders} orders for the sale (${accepted} accepted over HTTP) from ${check.buyers} buyers; shards below zero: ${check.negative}; SKU stock ${check.stock} + reserved ${check.reserved} = ${check.stock + check.reserved} (${conserved ? 'conserved' : `NOT conserved: ${STOCK}`})`,
      );
      if (check.orders !== accepted)
        console.log(`WARNING: ${accepted} accepted but ${check.orders} orders stored`);
      const problems = server
        .output()
        .split('\n')
        .filter((l) => /"level":(50|60)/.test(l));
      if (problems.length > 0)
        console.log(`API errors: ${problems.length}; last: ${problems.slice(-2).join('\n')}`);
      last = JSON.stringify({
        units: UNITS,
        attempts: flash.total,
        orders: check.orders,
        oversold,
        attemptsPerSec: Math.round(flash.perSec),
        p99Ms: flash.p99,
        noopPerSec: Math.round(noop.perSec),
        ratioVsNoop: Math.round((flash.perSec / noop.perSec) * 1000) / 1000,
        signedInNoopPerSec: Math.round(signedInNoop.perSec),
        ratioVsSignedInNoop: Math.round((flash.perSec / signedInNoop.perSec) * 1000) / 1000,
      });
    } finally {
      await server.kill('SIGTERM');
    }
    console.log(last);
  } finally {
    await scratch.drop();
  }
}
