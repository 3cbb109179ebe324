import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../platform/random.ts';
import { direction, itemVector } from './embedding.ts';
import { createFeedEngine } from './feed-engine.ts';
import type { FeedItem, PlanContract } from './types.ts';

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
    const random = mulberry32(1);
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
      random: mulberry32(2),
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
    const random = mulberry32(3);
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

const DAY = { start: new Date(Date.UTC(2026, 0, 1)), end: new Date(Date.UTC(2026, 0, 2)) };
const atFraction = (f: number) => new Date(DAY.start.getTime() + f * 86_400_000);

/** A controlled world: 40 established stores, 6 new ones with cheap items; `pages` page views spread evenly over the day. */
function controlledDay(options: { pages: number; minimum: number; seed: number; paceEvery?: number }) {
  const engine = createFeedEngine({ planShareCap: 0.1 });
  for (let i = 0; i < 400; i++)
    engine.upsertItem(product(i, `old${i % 40}`, `c${i % 8}`, 6000 + (i % 7) * 1000));
  const newStores = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
  newStores.forEach((storeId, i) => {
    engine.upsertItem(product(1000 + i, storeId, `c${i % 8}`, 1500));
    engine.upsertItem(product(2000 + i, storeId, `c${(i + 3) % 8}`, 1500));
  });
  engine.setContracts(
    newStores.map((storeId) => ({
      storeId,
      source: 'cold_start',
      targetImpressions: options.minimum,
      kind: 'minimum',
    })),
    DAY,
  );
  const random = mulberry32(options.seed);
  const viewers = Array.from({ length: 50 }, (_, i) => ({
    buyerId: `b${i}`,
    interests: i % 5 === 0 ? null : itemVector({ categoryId: `c${i % 8}`, priceFen: 6000, storeId: 'x' }),
  }));
  const paceEvery = options.paceEvery ?? 20;
  const midday: Record<string, number> = {};
  for (let page = 0; page < options.pages; page++) {
    const now = atFraction(page / options.pages);
    if (page % paceEvery === 0) engine.pace(now);
    if (page === Math.floor(options.pages / 2))
      for (const c of engine.contractStates()) midday[c.storeId] = c.delivered;
    const viewer = viewers[page % viewers.length];
    for (const p of engine.rank({ viewer, now, pageSize: 10, random }))
      engine.recordImpression(p, viewer, now);
  }
  return { engine, midday, newStores };
}

describe('pacing on a controlled world', () => {
  it('delivers every minimum, spread over the day, and just enough', () => {
    const { engine, midday } = controlledDay({ pages: 3000, minimum: 200, seed: 5 });
    for (const c of engine.contractStates()) {
      expect(c.delivered).toBeGreaterThanOrEqual(200);
      // Just enough: plan-sourced impressions stop at the minimum (a page's worth of slack at most).
      expect(c.delivered).toBeLessThanOrEqual(200 + 10);
      // Spread over the day: about half by midday, not all of it at once.
      expect(midday[c.storeId]).toBeGreaterThan(60);
      expect(midday[c.storeId]).toBeLessThan(170);
    }
    const totals = engine.todayTotals();
    expect(totals.planImpressions).toBeLessThanOrEqual(0.1 * totals.impressions);
  });

  it('a store that leaves cold start receives no cold-start traffic the next day', () => {
    const { engine } = controlledDay({ pages: 600, minimum: 60, seed: 6 });
    expect(engine.todayTotals().bySource.cold_start).toBeGreaterThan(0);
    const nextDay = { start: DAY.end, end: new Date(DAY.end.getTime() + 86_400_000) };
    // n0 left cold start: only n1 keeps a contract.
    engine.setContracts(
      [{ storeId: 'n1', source: 'cold_start', targetImpressions: 60, kind: 'minimum' }],
      nextDay,
    );
    const random = mulberry32(7);
    const viewer = { buyerId: null, interests: null };
    let n0Plan = 0;
    for (let page = 0; page < 600; page++) {
      const now = new Date(nextDay.start.getTime() + page * 100_000);
      if (page % 20 === 0) engine.pace(now);
      for (const p of engine.rank({ viewer, now, pageSize: 10, random })) {
        engine.recordImpression(p, viewer, now);
        if (p.item.storeId === 'n0' && p.source !== 'organic') n0Plan++;
      }
    }
    expect(n0Plan).toBe(0);
    expect(engine.contractStates().map((c) => c.storeId)).toEqual(['n1']);
  });
});

describe('hard limits', () => {
  it('budgets and the plan-share cap are never exceeded (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 20 }),
        (seed, cap, budgets, pageSize) => {
          const engine = createFeedEngine({ planShareCap: cap });
          for (let i = 0; i < 120; i++) engine.upsertItem(product(i, `old${i % 12}`, `c${i % 4}`, 9000));
          for (let i = 0; i < budgets.length; i++)
            engine.upsertItem(product(500 + i, `b${i}`, `c${i % 4}`, 1000));
          engine.setContracts(
            budgets.map((target, i) => ({
              storeId: `b${i}`,
              source: i % 2 ? 'launch' : 'fuyao',
              targetImpressions: target,
              kind: 'budget',
            })),
            DAY,
          );
          const random = mulberry32(seed);
          for (let page = 0; page < 150; page++) {
            const now = atFraction(page / 150);
            if (page % 10 === 0) engine.pace(now);
            const viewer = { buyerId: null, interests: page % 2 ? direction(`v${page % 7}`) : null };
            for (const p of engine.rank({ viewer, now, pageSize, random }))
              engine.recordImpression(p, viewer, now);
            const totals = engine.todayTotals();
            if (totals.planImpressions > cap * totals.impressions + 1e-9) return false;
            for (const c of engine.contractStates()) if (c.planDelivered > c.targetImpressions) return false;
          }
          return true;
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });
});

describe('exploration', () => {
  it('Thompson sampling shows a new item sometimes, and a new item that proves bad rarely', () => {
    const engine = createFeedEngine();
    for (let i = 0; i < 30; i++) engine.upsertItem(product(i, `s${i}`, 'c1', 5000));
    const viewer = { buyerId: null, interests: null };
    const now = atFraction(0);
    // Establish the old items: 2,000 impressions and 5% click-through each, 10% conversion.
    for (let i = 0; i < 30; i++) {
      const item = product(i, `s${i}`, 'c1', 5000);
      for (let k = 0; k < 2000; k++)
        engine.recordImpression({ item, source: 'organic', position: 0, score: 0 }, viewer, now);
      for (let k = 0; k < 100; k++) engine.recordClick(item.key, now);
      for (let k = 0; k < 10; k++) engine.recordOrder(item.key, 5000, now);
    }
    const fresh = product(99, 'new', 'c1', 5000);
    engine.upsertItem(fresh);
    engine.pace(now);
    const shownIn = (requests: number, seed: number) => {
      const random = mulberry32(seed);
      let shown = 0;
      for (let r = 0; r < requests; r++) {
        if (engine.rank({ viewer, now, pageSize: 5, random }).some((p) => p.item.key === fresh.key)) shown++;
      }
      return shown;
    };
    const before = shownIn(300, 8);
    expect(before).toBeGreaterThan(15);
    expect(before).toBeLessThan(300);
    // It proves bad: 2,000 impressions, no click.
    for (let k = 0; k < 2000; k++)
      engine.recordImpression({ item: fresh, source: 'organic', position: 0, score: 0 }, viewer, now);
    engine.pace(now);
    expect(shownIn(300, 9)).toBeLessThan(before / 3);
  });
});

describe('contracts within the day', () => {
  it('a store that leaves cold start at noon gets no cold-start placement after its endsAt', () => {
    const engine = createFeedEngine({ planShareCap: 0.2 });
    for (let i = 0; i < 200; i++) engine.upsertItem(product(i, `old${i % 20}`, `c${i % 5}`, 8000));
    for (let i = 0; i < 3; i++) engine.upsertItem(product(500 + i, 'n0', `c${i}`, 1500));
    const noon = new Date(DAY.start.getTime() + 12 * 3_600_000);
    engine.setContracts(
      [{ storeId: 'n0', source: 'cold_start', targetImpressions: 400, kind: 'minimum', endsAt: noon }],
      DAY,
    );
    const random = mulberry32(11);
    const viewer = { buyerId: null, interests: null };
    const plan = { before: 0, after: 0 };
    for (let page = 0; page < 480; page++) {
      const now = new Date(DAY.start.getTime() + page * 180_000); // the whole day, every 3 minutes
      if (page % 10 === 0) engine.pace(now);
      for (const p of engine.rank({ viewer, now, pageSize: 10, random })) {
        engine.recordImpression(p, viewer, now);
        if (p.source === 'cold_start') plan[now < noon ? 'before' : 'after']++;
      }
    }
    expect(plan.before).toBeGreaterThan(0);
    expect(plan.after).toBe(0);
    expect(engine.contractStates()[0]?.boost).toBe(0);
  });

  it('reloading the same contracted stores does not touch the contract index; a changed store only its items', () => {
    const engine = createFeedEngine();
    for (let i = 0; i < 50; i++) engine.upsertItem(product(i, `s${i % 10}`));
    const contract = (storeId: string): PlanContract => ({
      storeId,
      source: 'cold_start',
      targetImpressions: 100,
      kind: 'minimum',
    });
    engine.setContracts([contract('s0'), contract('s1')], DAY);
    const first = engine.stats().contractIndexWrites;
    expect(first).toBe(10); // 5 items in each store
    for (let i = 0; i < 20; i++) engine.setContracts([contract('s1'), contract('s0')], DAY);
    expect(engine.stats().contractIndexWrites).toBe(first);
    // s0 leaves, s2 joins: its 5 items out, 5 in.
    engine.setContracts([contract('s1'), contract('s2')], DAY);
    expect(engine.stats().contractIndexWrites).toBe(first + 10);
  });
});
