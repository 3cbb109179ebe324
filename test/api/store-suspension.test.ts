import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { testAddress } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('a suspended store neither lists nor sells', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiOf>;
  let merchant: string;
  let neighbour: string;
  let operator: string;
  let buyer: string;
  let storeId: string;
  let productId: string;
  let skuId: string;
  let otherSkuId: string;

  const checkout = (key: string, lines: Array<{ skuId: string; quantity: number }>) =>
    call('POST', '/checkouts', buyer, { lines, address: testAddress }, idempotent(key));
  const listedIds = async (query: string) =>
    ((await call('GET', `/products?${query}`)).json().items as Array<{ id: string }>).map((p) => p.id);
  const setStatus = (status: string, cookie = operator) =>
    call('PATCH', `/ops/merchants/${storeId}`, cookie, { status });

  beforeAll(async () => {
    t = await createTestApp();
    call = apiOf(t);
    merchant = await t.signIn('13700420001', 'merchant');
    neighbour = await t.signIn('13700420002', 'merchant');
    buyer = await t.signIn('13600420001');
    await t.services.identity.provision('13900420000', 'operator', '运营');
    operator = await t.signIn('13900420000', 'operator');
    storeId = (await call('POST', '/stores', merchant, { name: '违规小店', businessType: 'food' })).json()
      .store.id;
    await call('POST', '/stores', neighbour, { name: '守规小店', businessType: 'food' });
    const product = {
      title: '五常大米 稻花香',
      categoryId: 'food-rice',
      images: ['https://img.example.com/rice.jpg'],
      skus: [{ size: '5kg', priceFen: 5990, stock: 20 }],
    };
    const mine = (await call('POST', '/merchant/products', merchant, product)).json().product;
    productId = mine.id;
    skuId = mine.skus[0].id;
    otherSkuId = (
      await call('POST', '/merchant/products', neighbour, { ...product, title: '五常大米 长粒香' })
    ).json().product.skus[0].id;
    expect((await call('PUT', `/cart/items/${skuId}`, buyer, { quantity: 1 })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('is listed and sold while open', async () => {
    expect(await listedIds('categoryId=food')).toContain(productId);
    expect((await call('GET', `/products/${productId}`)).statusCode).toBe(200);
    expect((await call('GET', `/stores/${storeId}`)).statusCode).toBe(200);
  });

  it('only an operator suspends a store', async () => {
    for (const who of [merchant, buyer]) {
      const before = await dbFingerprint(t.db);
      expect((await setStatus('suspended', who)).statusCode).toBe(403);
      expect(await dbFingerprint(t.db)).toBe(before);
    }
    expect((await setStatus('closed')).statusCode).toBe(400);
    expect(
      (
        await call('PATCH', '/ops/merchants/00000000-0000-4000-8000-000000000000', operator, {
          status: 'suspended',
        })
      ).statusCode,
    ).toBe(404);
    const res = await setStatus('suspended');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().store.status).toBe('suspended');
    const ops = (await call('GET', '/ops/merchants', operator)).json().items;
    expect(ops.find((s: { id: string }) => s.id === storeId).status).toBe('suspended');
  });

  it('hides its products from listings, search, the store page and the product page', async () => {
    expect(await listedIds('categoryId=food')).not.toContain(productId);
    expect(await listedIds('')).not.toContain(productId);
    expect(await listedIds(`q=${encodeURIComponent('五常')}`)).not.toContain(productId);
    expect((await call('GET', `/products?storeId=${storeId}`)).json().total).toBe(0);
    expect((await call('GET', `/stores/${storeId}`)).statusCode).toBe(404);
    expect((await call('GET', `/products/${productId}`)).statusCode).toBe(404);
    // The neighbour is untouched.
    expect(await listedIds(`q=${encodeURIComponent('五常')}`)).toHaveLength(1);
    // The merchant still manages their own products.
    const mine = (await call('GET', '/merchant/products', merchant)).json();
    expect(mine.items.map((p: { id: string }) => p.id)).toEqual([productId]);
  });

  it('refuses to sell them: checkout answers 409 store_suspended and changes nothing', async () => {
    const before = await dbFingerprint(t.db);
    const res = await checkout('suspended-1', [
      { skuId, quantity: 1 },
      { skuId: otherSkuId, quantity: 1 },
    ]);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'store_suspended', details: { skuIds: [skuId] } });
    // Checking out the cart (which holds the suspended product) is refused the same way.
    const fromCart = await call(
      'POST',
      '/checkouts',
      buyer,
      { address: testAddress },
      idempotent('suspended-2'),
    );
    expect(fromCart.statusCode).toBe(409);
    expect(fromCart.json().error.code).toBe('store_suspended');
    expect(await dbFingerprint(t.db)).toBe(before);
    // The cart shows the line as unavailable, and it cannot be added again.
    const cart = (await call('GET', '/cart', buyer)).json();
    expect(cart.lines[0]).toMatchObject({ skuId, onSale: false });
    expect(cart.totalFen).toBe(0);
    expect((await call('PUT', `/cart/items/${skuId}`, buyer, { quantity: 2 })).statusCode).toBe(422);
    // The rest of the platform still sells.
    expect((await checkout('suspended-3', [{ skuId: otherSkuId, quantity: 1 }])).statusCode).toBe(201);
  });

  it('lists and sells again once reinstated', async () => {
    expect((await setStatus('open')).statusCode).toBe(200);
    expect(await listedIds('categoryId=food')).toContain(productId);
    expect((await call('GET', `/products/${productId}`)).statusCode).toBe(200);
    expect((await call('GET', `/stores/${storeId}`)).statusCode).toBe(200);
    expect((await checkout('suspended-4', [{ skuId, quantity: 1 }])).statusCode).toBe(201);
  });
});
