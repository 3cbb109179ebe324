import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, apparelMerchant } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** The guarantee badges a buyer sees on a store's products: what the store and the platform promise now. */

const DAY = 86_400_000;

describe('a store’s guarantees', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700000031', '保障小店'));
  });
  afterAll(async () => t?.close());

  const guarantees = async () => {
    const res = await api('GET', `/stores/${storeId}/guarantees`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('a new store: price protection, refund without return for small amounts, return shipping paid by the platform', async () => {
    expect(await guarantees()).toEqual({
      storeId,
      priceProtectionDays: 7,
      refundOnlyMaxFen: 50_00,
      lowPriceRefundOnlyMaxFen: null,
      returnShippingFunder: 'platform',
      payLater: false,
    });
  });

  it('follows the store’s own switches: shipping insurance, low-price refund-only, pay later', async () => {
    const aftersale = await api('PUT', '/merchant/aftersale/settings', merchant, {
      lowPriceRefundOnly: true,
      shippingInsurance: true,
    });
    expect(aftersale.statusCode, aftersale.body).toBe(200);
    const credit = await api('PUT', '/merchant/credit/settings', merchant, { payLaterEnabled: true });
    expect(credit.statusCode, credit.body).toBe(200);
    expect(await guarantees()).toMatchObject({
      lowPriceRefundOnlyMaxFen: 20_00,
      returnShippingFunder: 'merchant',
      payLater: true,
    });
  });

  it('a store past its new-store days without insurance offers no return shipping', async () => {
    const off = await api('PUT', '/merchant/aftersale/settings', merchant, {
      lowPriceRefundOnly: false,
      shippingInsurance: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    t.clock.advance(91 * DAY);
    expect((await guarantees()).returnShippingFunder).toBeNull();
  });

  it('an unknown store is a 404, a malformed id a 400', async () => {
    expect((await api('GET', `/stores/${randomUUID()}/guarantees`)).statusCode).toBe(404);
    expect((await api('GET', '/stores/not-a-store/guarantees')).statusCode).toBe(400);
  });
});
