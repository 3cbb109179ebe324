import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceHistory } from '../../src/modules/pricing/index.ts';
import { apiOf } from '../support/api.ts';
import { createAccount, createProduct, createStore, FIXTURE_CATEGORY } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The fixtures other tests build on make what the merchant API makes: a test that passes on a
 * fixture product would pass on a real one.
 */
describe('test fixtures make the same stores and products as the API', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
  });
  afterAll(async () => t?.close());

  it('a fixture product reads like an API product, on the app clock, with its price history', async () => {
    t.clock.advance(3_600_000);
    const skus = [
      { size: 'S0', color: 'black', priceFen: 1990, stock: 5 },
      { size: 'S1', color: 'black', priceFen: 2990, stock: 7 },
    ];
    const merchant = await t.signIn('13700300001', 'merchant');
    const opened = await api('POST', '/stores', merchant, { name: '接口小店', businessType: 'general' });
    expect(opened.statusCode, opened.body).toBe(201);
    const made = await api('POST', '/merchant/products', merchant, {
      title: 'Fixture tee',
      categoryId: FIXTURE_CATEGORY,
      images: ['https://example.com/tee.png'],
      skus,
    });
    expect(made.statusCode, made.body).toBe(201);

    const { storeId } = await createStore(t.db, { name: '夹具小店' });
    const fixture = await createProduct(t.db, storeId, { skus });
    const viaApi = (await api('GET', `/products/${made.json().product.id}`)).json().product;
    const viaFixture = (await api('GET', `/products/${fixture.productId}`)).json().product;

    const comparable = (p: { skus: Array<Record<string, unknown>> } & Record<string, unknown>) => ({
      ...p,
      id: undefined,
      storeId: undefined,
      storeName: undefined,
      skus: p.skus.map((s) => ({ ...s, id: undefined })),
    });
    expect(comparable(viaFixture)).toEqual(comparable(viaApi));
    expect(viaFixture.createdAt).toBe(t.clock.now().toISOString());
    expect(viaFixture.storeName).toBe('夹具小店');
    for (const [i, skuId] of fixture.skuIds.entries()) {
      expect(await priceHistory(t.db, skuId)).toMatchObject([
        {
          priceFen: skus[i]?.priceFen,
          effectiveAt: t.clock.now(),
          cause: 'merchant_price',
          funder: 'merchant',
        },
      ]);
    }
  });

  it('a fixture store belongs to its owner, who can manage it through the API', async () => {
    const ownerAccountId = await createAccount(t.db, 'merchant', '13700300002');
    const { storeId } = await createStore(t.db, { ownerAccountId });
    const owner = await t.signIn('13700300002', 'merchant');
    const mine = await api('GET', '/stores/mine', owner);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().store).toMatchObject({ id: storeId, openingFeeFen: 0, depositFen: 0, status: 'open' });
  });
});
