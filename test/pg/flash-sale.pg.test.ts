import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db.ts';
import { AppError } from '../../src/platform/errors.ts';
import { createProduct, createStore, registerFixtureServices, testAddress } from '../support/fixtures.ts';
import { freshDatabase, usePostgres } from '../support/test-db.ts';

/** A flash sale under real concurrency: PostgreSQL only (`npm run test:pg`). */
describe.runIf(usePostgres)('flash sale under concurrency (PostgreSQL)', () => {
  let database: Database;
  let g: Gravity;
  let storeId: string;
  let owner: Actor;

  beforeAll(async () => {
    database = await freshDatabase(60);
    g = await buildApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      db: database.db,
      clock: new ManualClock('2026-03-01T08:00:00Z'),
      log: pino({ level: 'silent' }),
    });
    await g.app.ready();
    registerFixtureServices(database.db, g.services);
    const store = await createStore(database.db);
    storeId = store.storeId;
    owner = { accountId: store.ownerAccountId, role: 'merchant', phone: '', storeId };
  });
  afterAll(async () => {
    await g.stop();
    await g.app.close();
    await database.close();
  });

  it('1,000 units, 5,000 buyers at once: exactly 1,000 orders, never below zero, stock conserved', async () => {
    const STOCK = 1_500;
    const { skuIds } = await createProduct(database.db, storeId, {
      skus: [{ priceFen: 19_900, stock: STOCK }],
    });
    const skuId = skuIds[0] as string;
    const sale = await g.services.flashSales.create(owner, {
      skuId,
      priceFen: 990,
      units: 1_000,
      durationSeconds: 600,
    });
    // 5,000 distinct buyers, in bulk.
    const buyers = await sql<{ id: string }>`
      insert into accounts (id, phone, role, nickname, created_at)
      select gen_random_uuid(), '177' || lpad(i::text, 8, '0'), 'buyer', 'flash', now()
      from generate_series(1, 5000) i returning id`.execute(database.db);
    const actors: Actor[] = buyers.rows.map((r) => ({
      accountId: r.id,
      role: 'buyer',
      phone: '',
      storeId: null,
    }));
    const results = await Promise.allSettled(
      actors.map((a, i) => g.services.flashSales.purchase(a, sale.id, `rush-${i}`, { address: testAddress })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(1_000);
    expect(refused).toHaveLength(4_000);
    for (const err of refused) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 409, code: 'sold_out' });
    }
    const sold = await sql<{ orders: number; units: number; buyers: number }>`
      select count(distinct o.id)::int as orders, coalesce(sum(l.quantity), 0)::int as units,
             count(distinct o.buyer_id)::int as buyers
      from orders o join order_lines l on l.order_id = o.id where l.sku_id = ${skuId}`.execute(database.db);
    expect(sold.rows[0]).toEqual({ orders: 1_000, units: 1_000, buyers: 1_000 });
    const shards = await sql<{ remaining: number }>`
      select remaining from flash_sale_shards where sale_id = ${sale.id}`.execute(database.db);
    expect(shards.rows.every((s) => s.remaining === 0)).toBe(true);
    // Stock conserved: the SKU's on hand is what it was; reserved = the 1,000 orders' units.
    const row = await sql<{ stock: number; reserved: number }>`
      select stock, reserved from skus where id = ${skuId}`.execute(database.db);
    expect(row.rows[0]).toEqual({ stock: STOCK - 1_000, reserved: 1_000 });
    expect((await g.services.flashSales.get(sale.id)).remaining).toBe(0);
    // The sale ends with nothing to give back; the SKU is whole.
    await g.services.flashSales.end(sale.id, 'test');
    expect(
      (
        await sql<{
          stock: number;
          reserved: number;
        }>`select stock, reserved from skus where id = ${skuId}`.execute(database.db)
      ).rows[0],
    ).toEqual({ stock: STOCK - 1_000, reserved: 1_000 });
  });

  it('20 parallel retries with one Idempotency-Key make one order', async () => {
    const { skuIds } = await createProduct(database.db, storeId, { skus: [{ priceFen: 5_000, stock: 10 }] });
    const sale = await g.services.flashSales.create(owner, {
      skuId: skuIds[0] as string,
      priceFen: 100,
      units: 5,
      perBuyerLimit: 5,
      durationSeconds: 600,
    });
    const [b] = (
      await sql<{ id: string }>`
        insert into accounts (id, phone, role, nickname, created_at)
        values (gen_random_uuid(), '17800000001', 'buyer', 'flash', now()) returning id`.execute(database.db)
    ).rows;
    const actor: Actor = { accountId: b?.id as string, role: 'buyer', phone: '', storeId: null };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        g.services.flashSales.purchase(actor, sale.id, 'same-key-20x', { address: testAddress }),
      ),
    );
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect((await g.services.flashSales.get(sale.id)).remaining).toBe(4);
  });
});
