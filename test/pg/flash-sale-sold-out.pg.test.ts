import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { createProduct, createStore, registerFixtureServices, testAddress } from '../support/fixtures.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * The sold-out marker across processes: two API instances over two pools on one PostgreSQL database.
 * Once a sale is sold out each answers `sold_out` from memory; a unit coming back (an unpaid order
 * cancelled in one) clears the marker in the other (LISTEN/NOTIFY), and the unit is bought there.
 */
describe('flash sale sold-out marker across processes (PostgreSQL)', () => {
  let first: Database & { url?: string };
  let second: Database;
  let a: Gravity;
  let b: Gravity;
  let owner: Actor;
  const clock = new ManualClock('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    first = await freshDatabase(4);
    if (!first.url) throw new Error('needs a PostgreSQL server');
    second = await openDatabase({ databaseUrl: first.url, poolSize: 4 });
    const config = loadConfig({ NODE_ENV: 'test' });
    a = await buildApp({ config, db: first.db, clock, log: pino({ level: 'silent' }) });
    b = await buildApp({ config, db: second.db, clock, log: pino({ level: 'silent' }) });
    await a.app.ready();
    await b.app.ready();
    registerFixtureServices(first.db, a.services);
    const store = await createStore(first.db);
    owner = { accountId: store.ownerAccountId, role: 'merchant', phone: '', storeId: store.storeId };
  });
  afterAll(async () => {
    for (const g of [a, b]) {
      await g?.stop();
      await g?.app.close();
    }
    await second?.close();
    await first?.close();
  });

  const buyers = async (n: number): Promise<Actor[]> =>
    (
      await sql<{ id: string }>`
        insert into accounts (id, phone, role, nickname, created_at)
        select gen_random_uuid(), '179' || lpad(i::text, 8, '0'), 'buyer', 'flash', now()
        from generate_series(1, ${n}::int) i returning id`.execute(first.db)
    ).rows.map((r) => ({ accountId: r.id, role: 'buyer', phone: '', storeId: null }));
  const outcome = async (g: Gravity, actor: Actor, saleId: string, key: string) =>
    g.services.flashSales.purchase(actor, saleId, key, { address: testAddress }).then(
      (r) => r.body.orderId,
      (err: { code?: string }) => err.code ?? 'error',
    );
  const marker = (g: Gravity, saleId: string) =>
    (g.services.flashSales as unknown as { soldOutUntil: Map<string, number> }).soldOutUntil.get(saleId);
  const buyersKnown = (g: Gravity, saleId: string) =>
    (g.services.flashSales as unknown as { soldOutBuyers: Map<string, Set<string>> }).soldOutBuyers.has(
      saleId,
    );

  it('a unit given back in one instance can be bought in the other after both said sold_out', async () => {
    const { skuIds } = await createProduct(first.db, owner.storeId as string, {
      skus: [{ priceFen: 5_000, stock: 10 }],
    });
    const sale = await a.services.flashSales.create(owner, {
      skuId: skuIds[0] as string,
      priceFen: 100,
      units: 1,
      durationSeconds: 3_600,
    });
    const [first1, second1] = await buyers(2);
    const bought = await outcome(a, first1 as Actor, sale.id, 'k-first');
    expect(bought).toMatch(/^[0-9a-f-]{36}$/);
    // Both instances learn it is sold out, until their markers hold (once their LISTEN connection is up).
    let tries = 0;
    for (; tries < 200; tries++) {
      for (const g of [a, b])
        expect(await outcome(g, second1 as Actor, sale.id, `k-s-${tries}`)).toBe('sold_out');
      if (marker(a, sale.id) === Number.POSITIVE_INFINITY && marker(b, sale.id) === Number.POSITIVE_INFINITY)
        break;
      await sleep(50);
    }
    expect(tries).toBeLessThan(200);
    // Answered from memory now: nothing reaches the database (a sold_out without a statement).
    expect(await outcome(b, second1 as Actor, sale.id, 'k-memory')).toBe('sold_out');
    // Instance b keeps the sale's buyers (read from the database: the purchase went through a), so
    // the buyer's retry in b still gets the order back while the others are refused from memory.
    for (let i = 0; i < 200 && !buyersKnown(b, sale.id); i++) await sleep(50);
    expect(buyersKnown(b, sale.id)).toBe(true);
    expect(await outcome(b, first1 as Actor, sale.id, 'k-first')).toBe(bought);
    expect(await outcome(b, second1 as Actor, sale.id, 'k-memory-2')).toBe('sold_out');
    // The first buyer cancels the unpaid order in instance a: the unit goes back to the sale.
    await a.services.orders.cancel(first1 as Actor, bought);
    expect((await a.services.flashSales.get(sale.id)).remaining).toBe(1);
    // Instance b hears it and sells the unit again.
    let again = '';
    for (let i = 0; i < 200; i++) {
      again = await outcome(b, second1 as Actor, sale.id, `k-again-${i}`);
      if (again !== 'sold_out') break;
      await sleep(50);
    }
    expect(again).toMatch(/^[0-9a-f-]{36}$/);
    expect(again).not.toBe(bought);
    expect((await b.services.flashSales.get(sale.id)).remaining).toBe(0);
    // And it is sold out again, for everyone.
    expect(await outcome(a, first1 as Actor, sale.id, 'k-late')).toBe('sold_out');
  });
});
