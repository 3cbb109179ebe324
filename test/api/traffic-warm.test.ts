import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { DEFAULT_TRAFFIC_SETTINGS } from '../../src/modules/traffic/index.ts';
import { apiOf } from '../support/api.ts';
import { createProduct, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A second process on the same database (a restart, or another API process): its engine starts warm
 * with the item stats the first one stored, and it follows the operator's settings at its next step.
 */
describe('traffic: warm start and settings in every process', () => {
  let t: TestApp;
  let other: Gravity | null = null;
  const keys: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-01-20T00:00:00Z');
    for (let s = 0; s < 3; s++) {
      const { storeId } = await createStore(t.db, { name: `Store ${s}` });
      for (let p = 0; p < 6; p++) {
        const { productId } = await createProduct(t.db, storeId, {
          title: `Item ${s}-${p}`,
          skus: [{ priceFen: 1800 + 100 * p, stock: 50 }],
        });
        keys.push(`product:${productId}`);
      }
    }
    t.clock.set('2026-03-02T02:00:00Z');
  });
  afterAll(async () => {
    if (other) {
      await other.stop();
      await other.app.close();
    }
    await t?.close();
  });

  const rebuild = async () => {
    const g = await buildApp({ config: t.config, db: t.db, clock: t.clock, log: pino({ level: 'silent' }) });
    await g.app.ready();
    return g;
  };

  it('after a restart the engine holds the same counts, so the same posteriors', async () => {
    const traffic = t.services.traffic;
    for (let i = 0; i < 30; i++) {
      // Anonymous viewers: an impression counts as one in the engine as in the stats table.
      const viewer = { buyerId: null, anonId: crypto.randomUUID(), fresh: false };
      const page = await traffic.feed(viewer, { limit: 8 });
      for (const [j, card] of page.items.entries()) {
        if ((i + j) % 5 === 0)
          await traffic.recordEvent(viewer, { impressionId: card.impressionId, kind: 'click' });
      }
    }
    await traffic.flush();
    const before = traffic.engineStats(keys);
    expect(before.counts.reduce((a, c) => a + (c?.impressions ?? 0), 0)).toBe(240);
    expect(before.counts.reduce((a, c) => a + (c?.clicks ?? 0), 0)).toBeGreaterThan(0);

    other = await rebuild();
    await other.services.traffic.start();
    const after = other.services.traffic.engineStats(keys);
    expect(after.counts).toEqual(before.counts);
    expect(after.typicalValueFen).toBeCloseTo(before.typicalValueFen, 9);
    // Restoring is idempotent: the stats replace, never add.
    await other.services.traffic.refreshItems(true);
    expect(other.services.traffic.engineStats(keys).counts).toEqual(before.counts);
  });

  it("an operator's cap change applies in this process at once and in another at its next pacing step", async () => {
    const second = other ?? (await rebuild());
    other = second;
    await second.services.traffic.start();
    const startCap = DEFAULT_TRAFFIC_SETTINGS.planTrafficCapBps / 10_000;
    expect(second.services.traffic.engineStats([]).planShareCap).toBeCloseTo(startCap, 9);
    await t.services.identity.provision('13900000301', 'operator', 'ops');
    const api = apiOf(t);
    const signed = await t.signIn('13900000301', 'operator');
    const put = await api('PUT', '/ops/traffic/settings', signed, {
      ...DEFAULT_TRAFFIC_SETTINGS,
      planTrafficCapBps: 500,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(t.services.traffic.engineStats([]).planShareCap).toBeCloseTo(0.05, 9);
    // The other process still holds the old cap until its next step, a minute later.
    expect(second.services.traffic.engineStats([]).planShareCap).toBeCloseTo(startCap, 9);
    t.clock.advance(60_000);
    await second.services.traffic.pace();
    expect(second.services.traffic.engineStats([]).planShareCap).toBeCloseTo(0.05, 9);
  });
});
