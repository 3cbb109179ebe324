import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptStats, recountStats } from '../../src/modules/reviews/stats.ts';
import {
  apiOf,
  apparelMerchant,
  buyOrder,
  createApparel,
  TEE_CHART,
  TEE_SIZES,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('reviews: smoke', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let buyer: string;
  let tee: { productId: string; skus: Map<string, string> };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700001701', '评价服饰'));
    buyer = await t.signIn('13600001701');
    tee = await createApparel(t, merchant, { sizeChart: TEE_CHART, sizes: TEE_SIZES });
  });
  afterAll(async () => t?.close());

  it('writes a review once and shows it on the product page', async () => {
    const sku = tee.skus.get('M|黑色') as string;
    const orderId = await buyOrder(t, buyer, merchant, [sku]);
    const res = await api('POST', `/orders/${orderId}/reviews`, buyer, {
      skuId: sku,
      rating: 5,
      body: '很好',
      fit: 'fit',
    });
    expect(res.statusCode, res.body).toBe(201);
    const again = await api('POST', `/orders/${orderId}/reviews`, buyer, { skuId: sku, rating: 5 });
    expect(again.statusCode, again.body).toBe(409);
    const list = await api('GET', `/products/${tee.productId}/reviews`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const sum = await api('GET', `/products/${tee.productId}/review-summary`);
    expect(sum.json().count).toBe(1);
    expect(await keptStats(t.db)).toEqual(await recountStats(t.db));
  });
});
