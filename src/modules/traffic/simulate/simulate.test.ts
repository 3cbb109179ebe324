import { describe, expect, it } from 'vitest';
import { simulate } from './compare.ts';

describe('gravity simulate on a small world', () => {
  it('meets every new store minimum, never exceeds the cap, and stops cold-start traffic after cold start', () => {
    const summary = simulate({
      seed: 7,
      days: 4,
      world: {
        buyers: 150,
        categories: 8,
        establishedStores: 15,
        newStoresPerDay: 2,
        sessionsPerBuyer: 1.2,
        coldStartDays: 2,
        minimumImpressions: 15,
      },
    });
    expect(summary.gravity).toHaveLength(4);
    const newStoreDays = summary.gravity.reduce((a, d) => a + d.newStores, 0);
    expect(newStoreDays).toBeGreaterThan(3);
    expect(summary.coverage).toBeGreaterThanOrEqual(0.99);
    expect(summary.violations).toBe(0);
    expect(summary.maxPlanShare).toBeLessThanOrEqual(0.1);
    expect(summary.gravity.every((d) => d.coldStartToOldStores === 0)).toBe(true);
    // Pure ranking has no contracts: everything it shows is organic.
    expect(summary.pure.every((d) => d.bySource.cold_start === 0)).toBe(true);
    // Both arms serve the same sessions.
    expect(summary.gravity[0].impressions).toBeGreaterThan(0);
    expect(summary.gmvVsPureRanking).toBeGreaterThan(0);
  });
});
