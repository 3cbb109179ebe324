import os from 'node:os';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { IdentityService } from '../modules/identity/index.ts';
import { staffStoreOf } from '../modules/merchants/index.ts';
import { keptStats, recountStats } from '../modules/reviews/stats.ts';
import { systemClock } from '../platform/clock.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { type Database, type Db, isEmpty } from '../platform/db.ts';
import { type SeedContext, type SeedOptions, seedDemoData, seedOnStart, seedState } from './seed.ts';

const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), seed: 42, dataDir: os.tmpdir() };
/** A smaller marketplace than the default (300 products, 80 orders), still with every step. */
const SMALL = {
  progress: false,
  compose: buildApp,
  products: 40,
  orders: 12,
  videos: false,
} satisfies SeedOptions;

class Crash extends Error {}

const rows = async (db: Db, query: string) =>
  (await sql.raw<Record<string, unknown>>(query).execute(db)).rows;

/** Everything the demo data holds that two seeds with one SEED must agree on (ids and clock times aside). */
async function fingerprint(db: Db) {
  const uuid = "regexp_replace(account, '[0-9a-f]{8}-[0-9a-f-]{27}', '<store>')";
  return {
    accounts: await rows(db, 'select role, count(*)::int as n from accounts group by role order by role'),
    stores: await rows(db, 'select name, business_type from stores order by name'),
    products: await rows(
      db,
      `select s.name as store, count(*)::int as n, string_agg(p.title, ' | ' order by p.title) as titles
       from products p join stores s on s.id = p.store_id group by s.name order by s.name`,
    ),
    skus: await rows(
      db,
      'select count(*)::int as n, sum(stock)::int as stock, sum(price_fen)::int as price from skus',
    ),
    prices: await rows(db, 'select count(*)::int as n from price_history'),
    orders: await rows(
      db,
      `select status, count(*)::int as n, sum(total_fen)::int as fen from orders group by status order by status`,
    ),
    lines: await rows(db, 'select count(*)::int as n, sum(quantity)::int as q from order_lines'),
    checkouts: await rows(db, 'select count(*)::int as n from checkouts'),
    payments: await rows(
      db,
      'select status, count(*)::int as n, sum(amount_fen)::int as fen, sum(refunded_fen)::int as refunded from payments group by status order by status',
    ),
    ledger: await rows(
      db,
      `select ${uuid} as account, sum(amount_fen)::int as fen, count(*)::int as n
       from ledger_entries group by 1 order by 1`,
    ),
    aftersale: await rows(
      db,
      'select reason, count(*)::int as n from aftersale_requests group by reason order by reason',
    ),
    profiles: await rows(
      db,
      'select label, count(*)::int as n from size_profiles group by label order by label',
    ),
    fit: await rows(
      db,
      'select source, fit, count(*)::int as n from size_fit_outcomes group by source, fit order by source, fit',
    ),
    reviews: await rows(
      db,
      `select rating, is_default, anonymous, cardinality(photos) as photos, follow_up_at is not null as follow_up,
              count(*)::int as n, string_agg(body, '|' order by body) as bodies
       from reviews group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`,
    ),
    follows: await rows(
      db,
      `select s.name as store, f.source, count(*)::int as n
       from social_follows f join stores s on s.id = f.store_id group by 1, 2 order by 1, 2`,
    ),
    fans: await rows(
      db,
      `select s.name as store, t.fans, sum(d.followed)::int as followed, sum(d.unfollowed)::int as unfollowed
       from social_fan_totals t join stores s on s.id = t.store_id
       join social_fan_days d on d.store_id = t.store_id group by 1, 2 order by 1`,
    ),
  };
}

async function trialBalance(db: Db): Promise<number> {
  const [row] = await rows(db, 'select coalesce(sum(amount_fen), 0)::int as fen from ledger_entries');
  return (row as { fen: number }).fen;
}

describe('seed: an interrupted seed resumes and ends with the same demo data', () => {
  let whole: Database;
  let cut: Database;
  const wholeSteps: string[] = [];

  beforeAll(async () => {
    [whole, cut] = await Promise.all([freshDatabase(), freshDatabase()]);
    await seedDemoData(whole.db, config, { ...SMALL, onStepFinished: (name) => void wholeSteps.push(name) });
  });
  afterAll(async () => {
    await whole?.close();
    await cut?.close();
  });

  it('finishes what every crash left, step by step, as `start` would, without doing a step twice', async () => {
    expect(await seedState(whole.db)).toBe('finished');
    expect(await trialBalance(whole.db)).toBe(0);
    const wholePrint = await fingerprint(whole.db);
    expect(wholePrint.stores).toHaveLength(13); // 10 seeded stores and the traffic demo's 3 new ones
    expect(wholePrint.orders.reduce((n, r) => n + Number(r.n), 0)).toBe(12);
    // 20 demo buyers, 60 follow-only buyers (the fans demo), 10 + 3 merchants, the operator.
    expect(wholePrint.accounts).toEqual([
      { role: 'buyer', n: 80 },
      { role: 'merchant', n: 13 },
      { role: 'operator', n: 1 },
    ]);
    // The first demo store has a visible number of fans, and a few unfollowed.
    const first = wholePrint.fans.find((r) => r.store === '衣橱小铺');
    expect(Number(first?.fans)).toBeGreaterThanOrEqual(30);
    expect(Number(first?.fans)).toBeLessThanOrEqual(80);
    expect(Number(first?.unfollowed)).toBeGreaterThan(0);
    expect(Number(first?.fans)).toBe(Number(first?.followed) - Number(first?.unfollowed));
    expect(wholePrint.follows.reduce((n, r) => n + Number(r.n), 0)).toBeGreaterThan(100);

    // Crashes: among the stores, among the product batches, in the size step's transaction (it rolls
    // back), and twice in the orders: after an order was placed but before it was paid, and after one finished.
    const crashes = [
      'store 3',
      'products 1/2',
      'size profiles',
      'demo order 5 placed',
      'demo order 8',
      'fans demo',
    ];
    const ran: string[] = [];
    for (const crashAt of [...crashes, null]) {
      expect(await seedOnStart(cut.db)).toBe(ran.length === 0 ? 'seed' : 'resume');
      const attempt = seedDemoData(cut.db, config, {
        ...SMALL,
        onStepFinished: (name) => {
          ran.push(name);
          if (name === crashAt) throw new Crash(name);
        },
      });
      if (crashAt) {
        await expect(attempt).rejects.toBeInstanceOf(Crash);
        expect(await seedState(cut.db)).toBe('unfinished');
      } else {
        expect((await attempt).data?.products).toHaveLength(40);
      }
    }
    expect(ran).toHaveLength(new Set(ran).size);
    expect([...ran].sort()).toEqual([...wholeSteps].sort());
    expect(await seedState(cut.db)).toBe('finished');
    expect(await seedOnStart(cut.db)).toBeNull();
    expect(await trialBalance(cut.db)).toBe(0);
    expect(await fingerprint(cut.db)).toEqual(wholePrint);
  });

  it('tells fit only of delivered garments that were sold, at most once a line', async () => {
    const [told] = await rows(
      whole.db,
      `select count(*)::int as n,
              count(*) filter (where f.order_id is null or l.order_id is null)::int as "withoutLine",
              count(*) filter (where o.status not in ('delivered', 'completed'))::int as undelivered,
              count(*) filter (where p.sales = 0)::int as "neverSold"
       from size_fit_outcomes f
       left join order_lines l on l.order_id = f.order_id and l.sku_id = f.sku_id
       left join orders o on o.id = f.order_id
       join products p on p.id = f.product_id`,
    );
    const [delivered] = await rows(
      whole.db,
      `select count(*)::int as n from order_lines l join orders o on o.id = l.order_id
       join products p on p.id = l.product_id join categories c on c.id = p.category_id
       where c.is_apparel and o.status in ('delivered', 'completed')`,
    );
    expect(told).toMatchObject({ withoutLine: 0, undelivered: 0, neverSold: 0 });
    expect(Number(told?.n)).toBeGreaterThan(0);
    expect(Number(told?.n)).toBeLessThanOrEqual(Number(delivered?.n));
  });

  it('reviews only delivered lines of their own buyers, once, with aggregates equal to a recount', async () => {
    const [r] = await rows(
      whole.db,
      `select count(*)::int as n,
              (count(*) filter (where o.buyer_id <> v.buyer_id or l.sku_id is null
                 or coalesce(o.delivered_at, o.completed_at) is null or v.created_at <= coalesce(o.delivered_at, o.completed_at)))::int as wrong
       from reviews v join orders o on o.id = v.order_id
       left join order_lines l on l.order_id = v.order_id and l.sku_id = v.sku_id`,
    );
    expect(Number(r?.n)).toBeGreaterThan(0);
    expect(r?.wrong).toBe(0);
    expect(await keptStats(whole.db)).toEqual(await recountStats(whole.db));
  });

  it('a finished seed adds nothing when run again', async () => {
    const before = await fingerprint(whole.db);
    const again = await seedDemoData(whole.db, config, SMALL);
    expect(again.data).toBeNull();
    expect(await fingerprint(whole.db)).toEqual(before);
  });
});

describe('seed: what `start` decides', () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('never takes an interrupted seed for finished, and a crashed step leaves none of its writes', async () => {
    expect(await seedOnStart(db.db)).toBe('seed');
    let attempts = 0;
    // A step that writes, then crashes the first time: its writes roll back with it.
    const flaky = {
      name: 'flaky',
      run: async (ctx: SeedContext) => {
        attempts += 1;
        await ctx.services.identity.provision(`1350000000${attempts}`, 'buyer', 'flaky');
        if (attempts === 1) throw new Crash('flaky');
      },
    };
    const opts = { progress: false, compose: buildApp, products: 10, extensions: [flaky] };
    await expect(seedDemoData(db.db, config, opts)).rejects.toBeInstanceOf(Crash);
    // There are accounts, stores and products: the old check ("any account?") took this for done.
    expect(await isEmpty(db.db)).toBe(false);
    expect(await seedState(db.db)).toBe('unfinished');
    expect(await seedOnStart(db.db)).toBe('resume');
    expect(await rows(db.db, "select phone from accounts where nickname = 'flaky'")).toEqual([]);

    const resumed = await seedDemoData(db.db, config, opts);
    expect(resumed.data?.products).toHaveLength(10);
    expect(resumed.data?.merchants).toHaveLength(10);
    expect(attempts).toBe(2);
    expect(await rows(db.db, "select phone from accounts where nickname = 'flaky'")).toEqual([
      { phone: '13500000002' },
    ]);
    expect(await rows(db.db, 'select count(*)::int as n from products')).toEqual([{ n: 10 }]);
    expect(await seedState(db.db)).toBe('finished');
    expect(await seedOnStart(db.db)).toBeNull();
  });

  it('leaves a database with its own data and no seed record alone', async () => {
    const own = await freshDatabase();
    try {
      const identity = new IdentityService({
        db: own.db,
        clock: systemClock,
        log: pino({ level: 'silent' }),
        exposeSandboxSmsCode: false,
        storeOfAccount: (accountId) => staffStoreOf(own.db, accountId),
      });
      await identity.provision('13800000001', 'buyer', 'a real buyer');
      expect(await seedState(own.db)).toBe('none');
      expect(await seedOnStart(own.db)).toBeNull();
    } finally {
      await own.close();
    }
  });
});
