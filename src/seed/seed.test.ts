import os from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { CatalogService } from '../modules/catalog/index.ts';
import { systemClock } from '../platform/clock.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import type { Database } from '../platform/db.ts';
import { buildSeedPlan } from './plan.ts';
import { demoAccountLines, type SeedResult, seedDemoData } from './seed.ts';

const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), seed: 42, dataDir: os.tmpdir() };

const one = async <T>(db: Database['db'], query: string) =>
  (await sql.raw<T>(query).execute(db)).rows[0] as T;

/** Titles per store, in creation order: what two runs with one seed must agree on. */
async function titlesByStore(db: Database['db']): Promise<string[]> {
  const rows = await sql<{ line: string }>`
    select s.name || ' | ' || p.title as line from products p join stores s on s.id = p.store_id
    order by s.name, p.created_at, p.title`.execute(db);
  return rows.rows.map((r) => r.line);
}

describe('seed: the demo marketplace', () => {
  let a: Database;
  let b: Database;
  let first: SeedResult;

  beforeAll(async () => {
    [a, b] = await Promise.all([freshDatabase(), freshDatabase()]);
    first = await seedDemoData(a.db, config, { progress: false, compose: buildApp, extensions: [] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('creates ten stores, about 300 products, twenty buyers and an operator', async () => {
    expect(await one(a.db, 'select count(*)::int as n from stores')).toEqual({ n: 10 });
    expect(await one(a.db, 'select count(*)::int as n from products')).toEqual({ n: 300 });
    const roles = await sql<{ role: string; n: number }>`
      select role, count(*)::int as n from accounts group by role order by role`.execute(a.db);
    expect(roles.rows).toEqual([
      { role: 'buyer', n: 20 },
      { role: 'merchant', n: 10 },
      { role: 'operator', n: 1 },
    ]);
    expect(await one(a.db, "select count(*)::int as n from stores where business_type = 'apparel'")).toEqual({
      n: 7,
    });
    expect(first.data?.products).toHaveLength(300);
    expect(first.data?.buyers).toHaveLength(20);
  });

  it('gives garments size charts that match their SKU sizes, realistic stock and prices', async () => {
    const apparel = await sql<{
      chart: Record<string, Record<string, number>>;
      fit: string | null;
      sizes: string[];
      colors: number;
    }>`
      select p.size_chart as chart, p.fit_type as fit, array_agg(distinct s.size) as sizes,
             count(distinct s.color)::int as colors
      from products p join categories c on c.id = p.category_id join skus s on s.product_id = p.id
      where c.is_apparel group by p.id`.execute(a.db);
    expect(apparel.rows.length).toBeGreaterThan(200);
    for (const p of apparel.rows) {
      expect(Object.keys(p.chart).sort()).toEqual([...p.sizes].sort());
      expect(['slim', 'regular', 'loose']).toContain(p.fit);
      expect(p.colors).toBeGreaterThanOrEqual(2);
      expect(p.colors).toBeLessThanOrEqual(4);
      expect(p.sizes.length).toBeGreaterThanOrEqual(4);
      for (const row of Object.values(p.chart)) {
        for (const cm of Object.values(row)) expect(cm).toBeGreaterThanOrEqual(1);
        for (const cm of Object.values(row)) expect(cm).toBeLessThanOrEqual(300);
      }
    }
    const skus = await one<{
      lo: number;
      hi: number;
      minFen: number;
      maxFen: number;
      history: number;
      n: number;
    }>(
      a.db,
      `select min(stock) as lo, max(stock) as hi, min(price_fen) as "minFen", max(price_fen) as "maxFen",
              (select count(*)::int from price_history) as history, count(*)::int as n from skus`,
    );
    expect(skus.lo).toBeGreaterThanOrEqual(20);
    expect(skus.hi).toBeLessThanOrEqual(500);
    expect(skus.minFen).toBeGreaterThanOrEqual(1000);
    expect(skus.maxFen).toBeLessThanOrEqual(100_000);
    expect(skus.history).toBe(skus.n);
    const food = await one<{ n: number }>(
      a.db,
      "select count(*)::int as n from products where category_id like 'food-%' and size_chart is null",
    );
    expect(food.n).toBeGreaterThan(50);
  });

  it('is browsable through the catalog: every category root has products on sale', async () => {
    const catalog = new CatalogService({ db: a.db, clock: systemClock, dataDir: config.dataDir });
    const home = await catalog.listForSale({}, 'new', 1, 20);
    expect(home.total).toBe(300);
    expect(home.items[0]?.image).toMatch(/^data:image\/svg\+xml,/);
    expect(home.items[0]?.image.length).toBeLessThan(3000);
    for (const root of ['women', 'men', 'kids', 'food']) {
      expect((await catalog.listForSale({ categoryId: root }, 'new', 1, 1)).total).toBeGreaterThan(0);
    }
    expect((await catalog.listForSale({ q: '盘锦大米' }, 'new', 1, 5)).total).toBeGreaterThan(0);
  });

  it('lists a page of products in a constant number of queries (no N+1)', async () => {
    let queries = 0;
    const counting = a.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const catalog = new CatalogService({ db: counting, clock: systemClock, dataDir: config.dataDir });
    const countFor = async (pageSize: number) => {
      queries = 0;
      const page = await catalog.listForSale({ categoryId: 'women' }, 'price_asc', 1, pageSize);
      expect(page.items).toHaveLength(pageSize);
      return queries;
    };
    const small = await countFor(2);
    expect(await countFor(40)).toBe(small);
    expect(small).toBeLessThanOrEqual(4);
  });

  it('prints the demo accounts, and a second run adds nothing', async () => {
    expect(first.accounts[0]).toBe('operator  13900000000');
    expect(first.accounts).toContain('merchant  13700000001  (衣橱小铺 apparel)');
    expect(first.accounts).toContain('buyer     13600000020');
    expect(first.accounts).toHaveLength(31);
    const again = await seedDemoData(a.db, config, { progress: false, compose: buildApp, extensions: [] });
    expect(again.data).toBeNull();
    expect(again.accounts).toEqual(await demoAccountLines(a.db));
    expect(await one(a.db, 'select count(*)::int as n from products')).toEqual({ n: 300 });
  });

  it('is deterministic: the same seed gives the same titles, another seed others', async () => {
    const ran: string[] = [];
    await seedDemoData(b.db, config, {
      progress: false,
      compose: buildApp,
      extensions: [{ name: 'probe', run: async (ctx) => void ran.push(`${ctx.data.products.length}`) }],
    });
    expect(ran).toEqual(['300']);
    const titlesA = await titlesByStore(a.db);
    expect(titlesA).toHaveLength(300);
    expect(await titlesByStore(b.db)).toEqual(titlesA);
    const otherTitles = buildSeedPlan(7).stores.flatMap((s) => s.products.map((p) => p.title));
    const sameTitles = buildSeedPlan(42).stores.flatMap((s) => s.products.map((p) => p.title));
    expect(sameTitles).toEqual(buildSeedPlan(42).stores.flatMap((s) => s.products.map((p) => p.title)));
    expect(otherTitles).not.toEqual(sameTitles);
  });
});
