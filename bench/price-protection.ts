import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import type { Actor } from '../src/platform/auth.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { type Db, openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';

/**
 * `npm run bench:price-protection [-- --orders N]`: one SKU with N (100,000) protected orders paid in
 * the last six days gets a price cut from its merchant; the `price.changed` subscriber runs as the
 * event worker would (`events.runOnce()`), and the time until every compensation is in the ledger
 * gives compensations/s. In the same run, on the same database, a plain batched insert of N ledger
 * transactions of two entries each (the same batch size) gives the baseline. Last line: one JSON object.
 */

const PRICE_FEN = 10_000;
const CUT_FEN = 1_000;
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const BUYERS = 50;

function ordersArg(args: string[]): number {
  const i = args.indexOf('--orders');
  const raw = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--orders='))?.slice('--orders='.length);
  const n = raw === undefined ? 100_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--orders wants a positive whole number, got ${raw}`);
  return n;
}

const say = (text: string) => console.log(`  ${text}`);
const perSec = (n: number, ms: number) => Math.round(n / Math.max(ms / 1000, 1e-3));

/**
 * N paid orders of one SKU (1-3 units each, paid 1 minute to 6 days ago), through the real tables in
 * a few set-based statements: checkouts, orders, order lines, captured payments and their ledger
 * `payment` transactions (provider_clearing → order_escrow).
 */
export async function insertProtectedOrders(
  db: Db,
  n: number,
  f: { storeId: string; productId: string; skuId: string; buyerIds: string[] },
) {
  const now = systemClock.now();
  await sql`drop table if exists bench_orders`.execute(db);
  await sql`
    create temp table bench_orders as
    select g, gen_random_uuid() as order_id, gen_random_uuid() as checkout_id, gen_random_uuid() as payment_id,
           (${f.buyerIds}::uuid[])[1 + g % ${f.buyerIds.length}::int] as buyer_id, 1 + g % 3 as qty,
           ${now}::timestamptz - interval '1 minute' - (g % 8640) * interval '1 minute' as paid_at
    from generate_series(1, ${n}::int) g`.execute(db);
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t = Date.now();
    await q.execute(db);
    say(`  ${label} (${Date.now() - t} ms)`);
  };
  await step(
    'checkouts',
    sql`insert into checkouts (id, buyer_id, total_fen, created_at, expires_at)
      select checkout_id, buyer_id, qty * ${PRICE_FEN}::bigint, paid_at - interval '1 minute', paid_at + interval '15 minutes'
      from bench_orders`,
  );
  await step(
    'orders',
    sql`insert into orders (id, order_no, checkout_id, buyer_id, store_id, status, total_fen, address, created_at,
                          expires_at, paid_at, commission_bps, payment_method)
      select order_id, 'PP' || lpad(g::text, 10, '0'), checkout_id, buyer_id, ${f.storeId}, 'paid', qty * ${PRICE_FEN}::bigint,
             ${JSON.stringify({ name: '压测', phone: '13600000000', province: '浙江省', city: '嘉兴市', district: '桐乡市', detail: '乌镇 1 号' })}::jsonb,
             paid_at - interval '1 minute', paid_at + interval '15 minutes', paid_at, 500, 'online'
      from bench_orders`,
  );
  await step(
    'order lines',
    sql`insert into order_lines (order_id, sku_id, product_id, title, size, color, image, unit_price_fen, quantity,
                               list_price_fen, discounts, paid_fen, platform_funded_fen)
      select order_id, ${f.skuId}, ${f.productId}, '价保压测商品', 'S0', 'black', '', ${PRICE_FEN}, qty,
             ${PRICE_FEN}, '[]'::jsonb, qty * ${PRICE_FEN}::bigint, 0
      from bench_orders`,
  );
  await step(
    'captured payments',
    sql`with p as (
        insert into payments (id, checkout_id, buyer_id, amount_fen, status, provider_ref, created_at, updated_at)
        select payment_id, checkout_id, buyer_id, qty * ${PRICE_FEN}::bigint, 'captured', 'bench-' || g, paid_at, paid_at
        from bench_orders returning id)
      insert into payment_orders (payment_id, order_id, amount_fen)
      select payment_id, order_id, qty * ${PRICE_FEN}::bigint from bench_orders`,
  );
  await step(
    'ledger payments',
    sql`with tx as (
        insert into ledger_transactions (id, kind, reference, created_at)
        select payment_id, 'payment', payment_id::text, paid_at from bench_orders returning id)
      insert into ledger_entries (transaction_id, account, amount_fen)
      select b.payment_id, e.account, e.sign * b.qty * ${PRICE_FEN}::bigint
      from bench_orders b cross join (values ('provider_clearing', 1), ('order_escrow', -1)) as e(account, sign)`,
  );
  await sql`analyze`.execute(db);
}

/** The baseline: N plain ledger transactions of two entries, inserted in batches of BATCH, one statement each. */
export async function ledgerBaseline(db: Db, n: number): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < n; i += BATCH) {
    const size = Math.min(BATCH, n - i);
    await db.transaction().execute(async (trx) => {
      await sql`
        with tx as (
          insert into ledger_transactions (id, kind, reference, created_at)
          select gen_random_uuid(), 'compensation', 'bench-baseline:' || g, now()
          from generate_series(${i}::int, ${i + size - 1}::int) g
          returning id)
        insert into ledger_entries (transaction_id, account, amount_fen)
        select tx.id, e.account, e.amount
        from tx cross join (values ('platform_expense:bench', 100), ('provider_clearing', -100)) as e(account, amount)`.execute(
        trx,
      );
    });
  }
  return Date.now() - started;
}

/** Orders compensated more than once for the drop, or beyond what they paid (must be 0). */
export async function overpaid(db: Db, skuId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    with per_order as (
      select l.order_id, l.paid_fen, l.refunded_fen,
             (select count(*) from refunds f where f.order_id = l.order_id and f.reference like 'price-protection:%') as refunds,
             (select count(*) from price_protection_payouts p where p.order_id = l.order_id) as payouts,
             (select coalesce(sum(p.amount_fen), 0) from price_protection_payouts p where p.order_id = l.order_id) as paid_back
      from order_lines l where l.sku_id = ${skuId})
    select count(*)::int as n from per_order
    where refunds > 1 or payouts > 1 or refunded_fen > paid_fen or paid_back > paid_fen`.execute(db);
  return r.rows[0]?.n ?? -1;
}

/** Whether the price-protection subscriber's delivery of the price cut is done. */
async function delivered(db: Db): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from outbox
    where subscriber = 'guarantees.price-protection' and topic = 'price.changed' and done_at is not null`.execute(
    db,
  );
  return (r.rows[0]?.n ?? 0) > 0;
}

async function compensationsInLedger(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from refunds f
    join ledger_transactions t on t.reference = f.id::text and t.kind in ('refund', 'clawback', 'compensation')
    where f.reference like 'price-protection:%'`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export async function main(args: string[] = []): Promise<number> {
  const n = ordersArg(args);
  console.log(
    `Price-protection benchmark — one SKU, ${n} protected orders, a merchant price cut (embedded PGlite)`,
  );
  const database = await openDatabase({});
  const { db } = database;
  try {
    await migrate(db);
    const gravity = await buildApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      db,
      log: pino({ level: 'silent' }),
    });
    const { identity, merchants, catalog } = gravity.services;
    const ownerId = await identity.provision('17000000999', 'merchant', 'bench-merchant');
    const store = await merchants.openStore(
      { accountId: ownerId, role: 'merchant', phone: '17000000999', storeId: null },
      { name: '价保压测小店', businessType: 'general' },
    );
    const owner: Actor = { accountId: ownerId, role: 'merchant', phone: '17000000999', storeId: store.id };
    const [product] = await catalog.createProducts(owner, [
      {
        title: '价保压测商品 price-protection item',
        description: '',
        brand: '',
        categoryId: 'home-storage',
        images: ['https://example.com/bench.png'],
        skus: [{ size: 'S0', color: 'black', priceFen: PRICE_FEN, stock: 1_000_000 }],
      },
    ]);
    if (!product) throw new Error('the benchmark product was not created');
    const skuId = product.skuIds[0] as string;
    const buyerIds: string[] = [];
    for (let i = 0; i < BUYERS; i += 1)
      buyerIds.push(
        await identity.provision(`150${String(i).padStart(8, '0')}`, 'buyer', `bench-buyer-${i}`),
      );

    say(`setting up ${n} paid orders (1-3 units at ¥${PRICE_FEN / 100}) with SQL generate_series…`);
    const setupStarted = Date.now();
    await insertProtectedOrders(db, n, { storeId: store.id, productId: product.id, skuId, buyerIds });
    say(`set up in ${Date.now() - setupStarted} ms`);

    gravity.services.guarantees.priceProtection.batchSize = BATCH;
    let lastShown = 0;
    let started = Date.now();
    gravity.services.guarantees.priceProtection.onBatch = (done, total) => {
      if (done - lastShown >= total / 10 || done === total) {
        lastShown = done;
        say(`  compensations written: ${done}/${total} (${Date.now() - started} ms)`);
      }
    };
    say(`the merchant cuts the price by ¥${CUT_FEN / 100}; the price.changed subscriber runs…`);
    started = Date.now();
    await catalog.updateSku(owner, product.id, skuId, { priceFen: PRICE_FEN - CUT_FEN });
    // The event worker's loop, until the price-protection delivery is done (its payouts and their
    // ledger transactions are written in the same transactions, so then every one is in the ledger).
    for (let rounds = 0; rounds < 1000 && !(await delivered(db)); rounds += 1) await gravity.events.runOnce();
    const compensateMs = Date.now() - started;
    await sql`analyze`.execute(db);
    const compensated = await compensationsInLedger(db);
    const compensationsPerSec = perSec(compensated, compensateMs);
    say(`${compensated} compensations in the ledger in ${compensateMs} ms: ${compensationsPerSec}/s`);
    if (compensated !== n) say(`WARNING: ${n - compensated} protected orders were not compensated`);

    say(`baseline: ${n} plain ledger transactions (+2 entries each) in batches of ${BATCH}…`);
    const baselineMs = await ledgerBaseline(db, n);
    const ledgerInsertPerSec = perSec(n, baselineMs);
    say(`baseline: ${baselineMs} ms: ${ledgerInsertPerSec}/s`);

    await sql`analyze`.execute(db);
    const over = await overpaid(db, skuId);
    const ratio = Number((compensationsPerSec / ledgerInsertPerSec).toFixed(3));
    say(`overpaid orders (paid twice, or beyond what they paid): ${over}`);
    console.log(`\nprice protection vs plain ledger inserts: ${ratio}× (goal ≥ 0.5×)`);
    await gravity.stop();
    await gravity.app.close();
    console.log(
      JSON.stringify({ protectedOrders: n, compensationsPerSec, ledgerInsertPerSec, ratio, overpaid: over }),
    );
    return over === 0 && compensated === n ? 0 : 1;
  } finally {
    await database.close();
  }
}
