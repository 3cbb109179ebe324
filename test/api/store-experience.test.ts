import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, apparelMerchant, createApparel, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('store experience score', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    await t.services.identity.provision('13910000000', 'operator', 'ops');
    operator = await t.signIn('13910000000', 'operator');
  });
  afterAll(async () => t?.close());

  it('an empty store scores the neutral 4.00 without enough data', async () => {
    const m = await apparelMerchant(t, '13720000001', '空店');
    await createApparel(t, m.cookie, { sizes: TEE_SIZES });
    const before = await api('GET', `/stores/${m.storeId}/experience`);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toEqual({
      storeId: m.storeId,
      day: null,
      score: null,
      enoughData: { product: false, logistics: false, service: false },
    });
    const re = await api('POST', '/ops/stores/experience/recompute', operator);
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toEqual({ day: '2026-03-01', stores: 1 });
    const after = await api('GET', `/stores/${m.storeId}/experience`);
    expect(after.json()).toEqual({
      storeId: m.storeId,
      day: '2026-03-01',
      score: { overall: 4, product: 4, logistics: 4, service: 4 },
      enoughData: { product: false, logistics: false, service: false },
    });
    const mine = await api('GET', '/merchant/experience', m.cookie);
    expect(mine.statusCode, mine.body).toBe(200);
    const ops = await api('GET', '/ops/stores/experience', operator);
    expect(ops.statusCode, ops.body).toBe(200);
  });
});
