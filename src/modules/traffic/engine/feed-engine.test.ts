import { describe, expect, it } from 'vitest';
import { itemVector } from './embedding.ts';
import { createFeedEngine } from './feed-engine.ts';
import type { FeedItem, PlanContract } from './types.ts';

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function product(i: number, storeId: string, categoryId = `c${i % 5}`, priceFen = 5000): FeedItem {
  return {
    key: `product:${storeId}:${i}`,
    kind: 'product',
    id: `${storeId}-${i}`,
    storeId,
    categoryId,
    priceFen,
    vector: itemVector({ categoryId, priceFen, storeId }),
  };
}

describe('createFeedEngine', () => {
  it('ranks a page of distinct items, organic without contracts', () => {
    const engine = createFeedEngine();
    for (let i = 0; i < 100; i++) engine.upsertItem(product(i, `s${i % 10}`));
    const random = mulberry(1);
    const page = engine.rank({
      viewer: { buyerId: null, interests: null },
      now: new Date(0),
      pageSize: 10,
      random,
    });
    expect(page).toHaveLength(10);
    expect(new Set(page.map((p) => p.item.key)).size).toBe(10);
    expect(page.every((p) => p.source === 'organic')).toBe(true);
    expect(page.map((p) => p.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('respects exclude and removal', () => {
    const engine = createFeedEngine();
    for (let i = 0; i < 12; i++) engine.upsertItem(product(i, 's1'));
    engine.removeItem(product(0, 's1').key);
    const exclude = new Set([product(1, 's1').key]);
    const page = engine.rank({
      viewer: { buyerId: null, interests: null },
      now: new Date(0),
      pageSize: 20,
      exclude,
      random: mulberry(2),
    });
    expect(page).toHaveLength(10);
    expect(page.some((p) => p.item.key === product(0, 's1').key || p.item.key === product(1, 's1').key)).toBe(
      false,
    );
  });

  it('a budget contract and the cap are never exceeded; the boost moves a store onto the page', () => {
    const engine = createFeedEngine({ planShareCap: 0.1 });
    for (let i = 0; i < 300; i++) engine.upsertItem(product(i, `old${i % 30}`, `c${i % 5}`, 8000));
    engine.upsertItem(product(0, 'new', 'c1', 3000));
    const day = { start: new Date(Date.UTC(2026, 0, 1)), end: new Date(Date.UTC(2026, 0, 2)) };
    const contracts: PlanContract[] = [
      { storeId: 'new', source: 'launch', targetImpressions: 30, kind: 'budget' },
    ];
    engine.setContracts(contracts, day);
    const random = mulberry(3);
    for (let step = 0; step < 200; step++) {
      const now = new Date(day.start.getTime() + step * 400_000);
      engine.pace(now);
      const viewer = { buyerId: null, interests: null };
      const page = engine.rank({ viewer, now, pageSize: 10, random });
      for (const p of page) engine.recordImpression(p, viewer, now);
      const t = engine.todayTotals();
      expect(t.planImpressions).toBeLessThanOrEqual(0.1 * t.impressions);
      const launch = engine.contractStates()[0];
      expect(launch.planDelivered).toBeLessThanOrEqual(30);
    }
    expect(engine.contractStates()[0].planDelivered).toBeGreaterThan(0);
  });
});
