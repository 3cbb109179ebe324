import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../platform/random.ts';
import { itemVector } from './embedding.ts';
import { createFeedEngine } from './feed-engine.ts';
import type { FeedItem } from './types.ts';

const product = (i: number, storeId: string): FeedItem => ({
  key: `product:${storeId}:${i}`,
  kind: 'product',
  id: `${storeId}-${i}`,
  storeId,
  categoryId: `c${i % 3}`,
  priceFen: 3000 + 100 * i,
  vector: itemVector({ categoryId: `c${i % 3}`, priceFen: 3000 + 100 * i, storeId }),
});

const anonymous = { buyerId: null, interests: null };

describe('restoreCounts (warm start)', () => {
  it('a restored engine holds the counts (so the posteriors) of the one that learned them', () => {
    const items = Array.from({ length: 30 }, (_, i) => product(i, `s${i % 6}`));
    const learned = createFeedEngine({ seed: 1 });
    for (const it of items) learned.upsertItem(it);
    const random = mulberry32(3);
    for (let r = 0; r < 200; r++) {
      const page = learned.rank({ viewer: anonymous, now: new Date(0), pageSize: 6, random });
      for (const p of page) {
        learned.recordImpression(p, anonymous, new Date(0));
        if (random() < 0.1) learned.recordClick(p.item.key, new Date(0));
        if (random() < 0.02) learned.recordOrder(p.item.key, p.item.priceFen, new Date(0));
      }
    }
    const restored = createFeedEngine({ seed: 1 });
    for (const it of items) restored.upsertItem(it);
    for (const it of items) {
      const c = learned.itemCounts(it.key);
      if (c) restored.restoreCounts(it.key, c);
    }
    // Twice: restoring replaces, never adds.
    for (const it of items)
      restored.restoreCounts(it.key, learned.itemCounts(it.key) ?? { impressions: 0, clicks: 0, orders: 0 });
    for (const it of items) expect(restored.itemCounts(it.key)).toEqual(learned.itemCounts(it.key));
    expect(restored.stats().typicalValueFen).toBeCloseTo(learned.stats().typicalValueFen, 9);
    // Unknown keys are ignored.
    restored.restoreCounts('product:nope', { impressions: 5, clicks: 1, orders: 0 });
    expect(restored.itemCounts('product:nope')).toBeUndefined();
  });
});

describe('setPlanShareCap', () => {
  it('plan placements follow the new cap from the next page on', () => {
    const engine = createFeedEngine({ planShareCap: 0.5, seed: 2 });
    for (let i = 0; i < 40; i++) engine.upsertItem(product(i, `old${i % 8}`));
    for (let i = 0; i < 4; i++) engine.upsertItem(product(i, 'new'));
    const day = { start: new Date(0), end: new Date(86_400_000) };
    engine.setContracts(
      [{ storeId: 'new', source: 'cold_start', targetImpressions: 10_000, kind: 'minimum' }],
      day,
    );
    const random = mulberry32(5);
    const serve = (pages: number) => {
      for (let p = 0; p < pages; p++) {
        const at = new Date(3_600_000 + p * 60_000);
        const page = engine.rank({ viewer: anonymous, now: at, pageSize: 10, random });
        for (const x of page) engine.recordImpression(x, anonymous, at);
        if (p % 5 === 4) engine.pace(at);
      }
    };
    serve(30);
    expect(engine.planShareCap()).toBe(0.5);
    engine.setPlanShareCap(0.02);
    expect(engine.planShareCap()).toBe(0.02);
    serve(60);
    const t = engine.todayTotals();
    // From the change on, no page may push the plan share above the cap unless it was already above.
    const before = t.planImpressions;
    serve(20);
    const after = engine.todayTotals();
    const share = before / t.impressions;
    if (share > 0.02) expect(after.planImpressions).toBe(before);
    else expect(after.planImpressions / after.impressions).toBeLessThanOrEqual(0.02 + 1e-9);
    // Out-of-range shares are clamped.
    engine.setPlanShareCap(7);
    expect(engine.planShareCap()).toBe(1);
    engine.setPlanShareCap(Number.NaN);
    expect(engine.planShareCap()).toBe(0);
  });
});
