import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from '../../src/modules/traffic/index.ts';
import { apiOf } from '../support/api.ts';
import { createProduct, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;
const SETTINGS: TrafficSettings = {
  ...DEFAULT_TRAFFIC_SETTINGS,
  newStoreDays: 30,
  coldStartMinDailyImpressions: 30,
  planTrafficCapBps: 3000,
  launchCreditsPerStore: 60,
  launchPeriodDays: 3,
};

/**
 * The plans on a controllable clock: cold-start minimums for new stores with a product on sale, launch
 * credits paced by day, a store leaving cold start loses its contract, budgets are never exceeded.
 */
describe('traffic plans and pacing', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;
  const newStores: string[] = [];
  let emptyStore: string;
  let newMerchant: string;

  const feedPages = async (pages: number, limit = 10) => {
    const shown: Array<{ storeId: string; impressionId: string }> = [];
    for (let i = 0; i < pages; i++) {
      const res = await api('GET', `/feed?limit=${limit}`);
      expect(res.statusCode, res.body).toBe(200);
      shown.push(...res.json().items);
    }
    return shown;
  };
  const daily = async (day: string) =>
    (
      await sql<{ store_id: string; source: string; impressions: number }>`
        select store_id, source, impressions from traffic_daily where day = ${day}::date`.execute(t.db)
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    await t.services.identity.provision('13900000201', 'operator', 'ops');
    operator = await t.signIn('13900000201', 'operator');
    // Established stores, opened 40 days ago.
    t.clock.set('2026-01-20T00:00:00Z');
    for (let s = 0; s < 5; s++) {
      const { storeId } = await createStore(t.db, { name: `Old store ${s}` });
      for (let p = 0; p < 8; p++) {
        await createProduct(t.db, storeId, {
          title: `Old ${s}-${p}`,
          skus: [{ priceFen: 2000 + 150 * p, stock: 50 }],
        });
      }
    }
    // 2026-03-01 16:05 UTC = 00:05 on 2 March in Shanghai: the new stores open at the start of a business day.
    t.clock.set('2026-03-01T16:05:00Z');
    newMerchant = await t.signIn('13700000201', 'merchant');
    const opened = await api('POST', '/stores', newMerchant, { name: '新店一号', businessType: 'general' });
    expect(opened.statusCode, opened.body).toBe(201);
    newStores.push(opened.json().store.id);
    for (let s = 0; s < 2; s++) newStores.push((await createStore(t.db, { name: `New store ${s}` })).storeId);
    for (const storeId of newStores) {
      for (let p = 0; p < 2; p++) {
        await createProduct(t.db, storeId, {
          title: `New ${p}`,
          skus: [{ priceFen: 1500 + 100 * p, stock: 50 }],
        });
      }
    }
    emptyStore = (await createStore(t.db, { name: 'New store, nothing on sale' })).storeId;
    const put = await api('PUT', '/ops/traffic/settings', operator, SETTINGS);
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('plans today: a cold-start minimum and an automatic launch grant for each new store with a product on sale', async () => {
    const plan = await t.services.traffic.planDay();
    expect(plan.day).toBe('2026-03-02');
    const contracts = await sql<{
      store_id: string;
      source: string;
      kind: string;
      target_impressions: number;
    }>`
      select store_id, source, kind, target_impressions from traffic_contracts where day = '2026-03-02'`.execute(
      t.db,
    );
    const of = (source: string) => contracts.rows.filter((c) => c.source === source);
    expect(
      of('cold_start')
        .map((c) => c.store_id)
        .sort(),
    ).toEqual([...newStores].sort());
    expect(of('cold_start').every((c) => c.kind === 'minimum' && c.target_impressions === 30)).toBe(true);
    // 60 credits over 3 days: 20 today.
    expect(
      of('launch')
        .map((c) => [c.store_id, c.kind, c.target_impressions])
        .sort(),
    ).toEqual(newStores.map((s) => [s, 'budget', 20]).sort());
    expect(contracts.rows.some((c) => c.store_id === emptyStore)).toBe(false);
    // Idempotent: planning again grants nothing more.
    const again = await t.services.traffic.planDay();
    expect(again.launchGrants).toBe(0);
    expect(again.contracts).toBe(contracts.rows.length);
  });

  it('over a day of traffic the minimums are met, launch budgets and the plan cap are not exceeded', async () => {
    const start = t.clock.now().getTime();
    // 96 quarter-hours: 6 pages of 10 each, then a pacing step.
    for (let q = 0; q < 92; q++) {
      t.clock.set(new Date(start + q * 15 * 60_000));
      await feedPages(6);
      await t.services.traffic.pace();
    }
    await t.services.traffic.flush();
    const rows = await daily('2026-03-02');
    const total = rows.reduce((a, r) => a + r.impressions, 0);
    expect(total).toBe(92 * 60);
    const plan = rows.filter((r) => r.source !== 'organic').reduce((a, r) => a + r.impressions, 0);
    expect(plan / total).toBeLessThanOrEqual(SETTINGS.planTrafficCapBps / 10_000);
    for (const storeId of newStores) {
      const mine = rows.filter((r) => r.store_id === storeId);
      expect(
        mine.reduce((a, r) => a + r.impressions, 0),
        storeId,
      ).toBeGreaterThanOrEqual(30);
      expect(mine.find((r) => r.source === 'launch')?.impressions ?? 0).toBeLessThanOrEqual(20);
    }
    // Old stores never get plan traffic.
    const oldPlan = rows.filter((r) => !newStores.includes(r.store_id) && r.source !== 'organic');
    expect(oldPlan).toEqual([]);

    const coverage = await api('GET', '/ops/traffic/coverage?days=2', operator);
    expect(coverage.statusCode, coverage.body).toBe(200);
    expect(coverage.json().days).toEqual([
      { day: '2026-03-01', newStores: 0, reached: 0, coverage: null, minimum: 0 },
      { day: '2026-03-02', newStores: 3, reached: 3, coverage: 1, minimum: 30 },
    ]);
  });

  it('the merchant sees traffic by source per day and plan status; the operator budget use, cost and stores', async () => {
    const traffic = await api('GET', '/merchant/traffic?days=3', newMerchant);
    expect(traffic.statusCode, traffic.body).toBe(200);
    const body = traffic.json();
    expect(body.days).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    const db = (await daily('2026-03-02')).filter((r) => r.store_id === newStores[0]);
    expect(
      body.rows.map((r: { source: string; impressions: number }) => [r.source, r.impressions]).sort(),
    ).toEqual(db.map((r) => [r.source, r.impressions]).sort());

    const status = await api('GET', '/merchant/traffic/plans', newMerchant);
    expect(status.statusCode, status.body).toBe(200);
    const s = status.json();
    expect(s.coldStart.isNew).toBe(true);
    expect(s.coldStart.minimum).toBe(30);
    expect(s.coldStart.productsOnSale).toBe(2);
    expect(s.launch.granted).toBe(60);
    expect(s.launch.todayTarget).toBe(20);
    expect(s.launch.spent).toBe(s.launch.todayDelivered);
    expect(s.launch.remaining).toBe(60 - s.launch.spent);
    expect(s.fuyao.status).toBe('in_cold_start');
    expect(s.fuyao.checks.find((c: { criterion: string }) => c.criterion === 'cold_start').pass).toBe(false);

    const use = await api('GET', '/ops/traffic/plans?days=1', operator);
    expect(use.statusCode, use.body).toBe(200);
    const u = use.json();
    const launch = u.rows.find((r: { source: string }) => r.source === 'launch');
    expect(launch.stores).toBe(3);
    expect(launch.targetImpressions).toBe(60);
    expect(launch.deliveredImpressions).toBeLessThanOrEqual(60);
    expect(u.totalImpressions).toBe(92 * 60);
    expect(u.planShareBps).toBeLessThanOrEqual(3000);
    expect(u.method).toMatch(/organic GMV per impression/);
    expect(u.cost.map((c: { source: string }) => c.source)).toEqual([
      'cold_start',
      'launch',
      'fuyao',
      'fan_growth',
    ]);

    const stores = await api('GET', '/ops/traffic/stores', operator);
    expect(stores.statusCode, stores.body).toBe(200);
    expect(
      stores
        .json()
        .stores.map((x: { storeId: string }) => x.storeId)
        .sort(),
    ).toEqual([...newStores].sort());
  });

  it('launch credits: the next day spends what is left over the days left; an operator grant adds to it', async () => {
    t.clock.set('2026-03-02T16:05:00Z'); // 00:05 on 3 March
    await t.services.traffic.planDay();
    const spent = (await daily('2026-03-02')).filter((r) => r.source === 'launch');
    const contracts = await sql<{ store_id: string; target_impressions: number }>`
      select store_id, target_impressions from traffic_contracts where day = '2026-03-03' and source = 'launch'`.execute(
      t.db,
    );
    for (const storeId of newStores) {
      const used = spent.find((r) => r.store_id === storeId)?.impressions ?? 0;
      const c = contracts.rows.find((r) => r.store_id === storeId);
      expect(c?.target_impressions ?? 0, storeId).toBe(Math.min(60 - used, Math.ceil((60 - used) / 2)));
    }
    const granted = await api('POST', '/ops/traffic/launch-grants', operator, {
      storeId: newStores[0],
      impressions: 100,
      periodDays: 5,
      note: '新手村',
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json().grant).toMatchObject({
      startsOn: '2026-03-03',
      endsOn: '2026-03-07',
      impressions: 100,
    });
    const status = (await api('GET', '/merchant/traffic/plans', newMerchant)).json();
    expect(status.launch.granted).toBe(160);
    expect(status.launch.grants.map((g: { grantedBy: string }) => g.grantedBy)).toEqual(['auto', 'operator']);
    expect(status.launch.endsOn).toBe('2026-03-07');
    const unknown = await api('POST', '/ops/traffic/launch-grants', operator, {
      storeId: '00000000-0000-4000-8000-000000000000',
      impressions: 10,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('a store that leaves cold start gets no cold-start contract and no cold-start impressions', async () => {
    t.clock.set(new Date(Date.parse('2026-03-01T16:05:00Z') + 31 * DAY)); // 2 April, 00:05 Shanghai: 31 days open
    const plan = await t.services.traffic.planDay();
    expect(plan.day).toBe('2026-04-02');
    const c = await sql<{ n: number }>`
      select count(*)::int as n from traffic_contracts where day = '2026-04-02' and source = 'cold_start'`.execute(
      t.db,
    );
    expect(c.rows[0]?.n).toBe(0);
    await t.services.traffic.pace();
    await feedPages(20);
    await t.services.traffic.flush();
    const rows = await daily('2026-04-02');
    expect(rows.filter((r) => r.source === 'cold_start')).toEqual([]);
    newMerchant = await t.signIn('13700000201', 'merchant'); // the old session has expired
    const status = (await api('GET', '/merchant/traffic/plans', newMerchant)).json();
    expect(status.coldStart.isNew).toBe(false);
    expect(status.coldStart.minimum).toBe(0);
  });
});

describe('traffic coverage on a hand-computed case, and the settings', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;
  let merchant: string;

  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    await t.services.identity.provision('13900000202', 'operator', 'ops');
    operator = await t.signIn('13900000202', 'operator');
    merchant = await t.signIn('13700000202', 'merchant');
  });
  afterAll(async () => t?.close());

  it('coverage = new stores with a product on sale that reached their minimum / all of them', async () => {
    t.clock.set('2026-01-01T00:00:00Z');
    const old = (await createStore(t.db, { name: 'Old' })).storeId;
    for (let p = 0; p < 2; p++)
      await createProduct(t.db, old, { title: `Old ${p}`, skus: [{ priceFen: 3000, stock: 5 }] });
    t.clock.set('2026-03-01T16:05:00Z');
    const a = (await createStore(t.db, { name: 'A' })).storeId;
    const b = (await createStore(t.db, { name: 'B' })).storeId;
    await createStore(t.db, { name: 'C, nothing on sale' });
    await createProduct(t.db, a, { title: 'A1', skus: [{ priceFen: 1000, stock: 5 }] });
    const b1 = await createProduct(t.db, b, { title: 'B1', skus: [{ priceFen: 1000, stock: 5 }] });
    const put = await api('PUT', '/ops/traffic/settings', operator, {
      ...DEFAULT_TRAFFIC_SETTINGS,
      coldStartMinDailyImpressions: 3,
      launchCreditsPerStore: 0,
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.services.traffic.planDay();
    // B's only product goes off sale after today's plan: B keeps its contract but cannot be shown.
    const owner = await sql<{
      account_id: string;
    }>`select account_id from store_staff where store_id = ${b}`.execute(t.db);
    await t.services.catalog.updateProduct(
      { accountId: owner.rows[0]?.account_id as string, role: 'merchant', phone: '', storeId: b },
      b1.productId,
      { status: 'off_sale' },
    );
    await api('GET', '/feed?limit=1'); // loads the engine
    await t.services.traffic.refreshItems();
    // The catalogue now holds 3 items (2 old, A1): each anonymous page of 10 shows all of them.
    let shownA = 0;
    for (let i = 0; i < 4; i++) {
      const items = (await api('GET', '/feed?limit=10')).json().items as Array<{ storeId: string }>;
      expect(items.map((x) => x.storeId)).not.toContain(b);
      shownA += items.filter((x) => x.storeId === a).length;
    }
    await t.services.traffic.flush();
    expect(shownA).toBeGreaterThanOrEqual(4);
    const res = await api('GET', '/ops/traffic/coverage?days=1', operator);
    // Two new stores with a product on sale at planning (A, B; C has none): A reached 3, B got 0.
    expect(res.json().days).toEqual([
      { day: '2026-03-02', newStores: 2, reached: 1, coverage: 0.5, minimum: 3 },
    ]);
  });

  it('settings: validated whole, kept, operators only', async () => {
    const bad: Array<[string, unknown]> = [
      ['newStoreDays 0', { ...DEFAULT_TRAFFIC_SETTINGS, newStoreDays: 0 }],
      ['negative minimum', { ...DEFAULT_TRAFFIC_SETTINGS, coldStartMinDailyImpressions: -1 }],
      ['cap above 50%', { ...DEFAULT_TRAFFIC_SETTINGS, planTrafficCapBps: 6000 }],
      [
        'rating above 5',
        { ...DEFAULT_TRAFFIC_SETTINGS, fuyao: { ...DEFAULT_TRAFFIC_SETTINGS.fuyao, minRating: 6 } },
      ],
      ['fraction of an impression', { ...DEFAULT_TRAFFIC_SETTINGS, launchCreditsPerStore: 1.5 }],
      ['unknown field', { ...DEFAULT_TRAFFIC_SETTINGS, extra: 1 }],
      ['missing Fuyao', { ...DEFAULT_TRAFFIC_SETTINGS, fuyao: undefined }],
    ];
    for (const [why, body] of bad) {
      const res = await api('PUT', '/ops/traffic/settings', operator, body);
      expect(res.statusCode, why).toBe(400);
    }
    const next = {
      ...DEFAULT_TRAFFIC_SETTINGS,
      newStoreDays: 21,
      fuyao: { ...DEFAULT_TRAFFIC_SETTINGS.fuyao, minRating: 4.8 },
    };
    const put = await api('PUT', '/ops/traffic/settings', operator, next);
    expect(put.statusCode, put.body).toBe(200);
    const got = await api('GET', '/ops/traffic/settings', operator);
    expect(got.json().settings).toEqual(next);
    expect(got.json().updatedAt).toBe(t.clock.now().toISOString());
    expect((await api('PUT', '/ops/traffic/settings', merchant, next)).statusCode).toBe(403);
    expect((await api('GET', '/ops/traffic/settings', merchant)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/traffic')).statusCode).toBe(401);
  });
});
