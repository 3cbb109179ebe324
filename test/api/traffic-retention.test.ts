import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { createProduct, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;

/** Feed impressions and their clicks go after their window; the rollups and item stats stay. */
describe('traffic retention', () => {
  let t: TestApp;
  const retention = { ...loadConfig({}).retention, batchSize: 7 };

  beforeAll(async () => {
    t = await createTestApp({ retention });
    t.clock.set('2026-01-10T00:00:00Z');
    const { storeId } = await createStore(t.db, { name: 'Store' });
    for (let p = 0; p < 6; p++) {
      await createProduct(t.db, storeId, {
        title: `Item ${p}`,
        skus: [{ priceFen: 1500 + 100 * p, stock: 50 }],
      });
    }
  });
  afterAll(async () => t?.close());

  const pages = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const viewer = { buyerId: null, anonId: crypto.randomUUID(), fresh: false };
      const page = await t.services.traffic.feed(viewer, { limit: 5 });
      const first = page.items[0];
      if (first)
        await t.services.traffic.recordEvent(viewer, { impressionId: first.impressionId, kind: 'click' });
    }
    await t.services.traffic.flush();
  };
  const counts = async () =>
    (
      await sql<{ impressions: number; events: number; daily: number; stats: number }>`
        select (select count(*) from traffic_impressions)::int as impressions,
               (select count(*) from traffic_events)::int as events,
               (select coalesce(sum(impressions), 0) from traffic_daily)::int as daily,
               (select coalesce(sum(impressions), 0) from traffic_item_stats)::int as stats`.execute(t.db)
    ).rows[0];

  it(`keeps ${loadConfig({}).retention.feedImpressionDays} days of impressions and events, in batches`, async () => {
    expect(retention.feedImpressionDays).toBe(90);
    const old = t.clock.now().getTime();
    await pages(4); // 20 impressions, 4 clicks
    t.clock.set(new Date(old + 60 * DAY));
    await pages(2); // 10 impressions, 2 clicks: inside the window at the end
    expect(await counts()).toEqual({ impressions: 30, events: 6, daily: 30, stats: 30 });

    // 89 days after the first pages: nothing is old enough yet.
    t.clock.set(new Date(old + 89 * DAY));
    expect(await t.services.traffic.pruneImpressions(retention)).toBe(0);

    t.clock.set(new Date(old + 91 * DAY));
    const runs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const n = await t.services.traffic.pruneImpressions(retention);
      runs.push(n);
      if (n === 0) break;
    }
    // Each run deletes at most a batch of each table; then runs dry.
    expect(runs.every((n) => n <= 2 * retention.batchSize)).toBe(true);
    expect(runs.at(-1)).toBe(0);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(8); // 4 pages (20 impressions) and 4 clicks
    // The recent ones stay; the per-day rollups and item stats are untouched.
    expect(await counts()).toEqual({ impressions: 10, events: 2, daily: 30, stats: 30 });
  });
});
