import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, refusedOf } from '../support/api.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('merchants: 0-yuan store opening, profile, public page, ops list', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiOf>;
  /** A refused request answers in the error format and leaves every table as it was. */
  let refused: ReturnType<typeof refusedOf>;
  let merchant: string;
  let buyer: string;
  let operator: string;
  let storeId: string;

  const storeCount = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from stores`.execute(t.db)).rows[0]?.n;

  beforeAll(async () => {
    t = await createTestApp();
    call = apiOf(t);
    refused = refusedOf(t, { errorCode: true });
    merchant = await t.signIn('13700100001', 'merchant');
    buyer = await t.signIn('13600100001', 'buyer');
    await t.services.identity.provision('13900100000', 'operator', '运营');
    operator = await t.signIn('13900100000', 'operator');
  });
  afterAll(async () => t?.close());

  it('opens a store with no opening fee and no deposit, and the session gets the store', async () => {
    const res = await call('POST', '/stores', merchant, {
      name: '衣橱小铺',
      description: '原创女装',
      businessType: 'apparel',
    });
    expect(res.statusCode, res.body).toBe(201);
    const store = res.json().store;
    expect(store).toMatchObject({
      name: '衣橱小铺',
      businessType: 'apparel',
      openingFeeFen: 0,
      depositFen: 0,
    });
    expect(store.contactPhone).toBe('13700100001');
    storeId = store.id;
    const me = await call('GET', '/me', merchant);
    expect(me.json().account.storeId).toBe(storeId);
    const mine = await call('GET', '/stores/mine', merchant);
    expect(mine.json().store.id).toBe(storeId);
    const row = await sql<{ opening_fee_fen: number; deposit_fen: number }>`
      select opening_fee_fen, deposit_fen from stores where id = ${storeId}`.execute(t.db);
    expect(row.rows[0]).toEqual({ opening_fee_fen: 0, deposit_fen: 0 });
  });

  it('lets a merchant open exactly one store', async () => {
    const error = await refused(409, 'POST', '/stores', merchant, { name: '第二家店', businessType: 'food' });
    expect(error.code).toBe('store_exists');
    expect(await storeCount()).toBe(1);
  });

  it('answers 409 when the store name is taken', async () => {
    const other = await t.signIn('13700100002', 'merchant');
    const error = await refused(409, 'POST', '/stores', other, { name: '衣橱小铺', businessType: 'apparel' });
    expect(error.code).toBe('store_name_taken');
    const ok = await call('POST', '/stores', other, { name: '盘锦稻香', businessType: 'food' });
    expect(ok.statusCode).toBe(201);
    const clash = await refused(409, 'PATCH', '/stores/mine', other, { name: '衣橱小铺' });
    expect(clash.code).toBe('store_name_taken');
  });

  it('refuses buyers, operators and anonymous callers on merchant routes', async () => {
    await refused(403, 'POST', '/stores', buyer, { name: '买家的店', businessType: 'general' });
    await refused(403, 'POST', '/stores', operator, { name: '运营的店', businessType: 'general' });
    await refused(401, 'POST', '/stores', undefined, { name: '匿名的店', businessType: 'general' });
    await refused(403, 'GET', '/stores/mine', buyer);
    await refused(403, 'PATCH', '/stores/mine', buyer, { description: 'x' });
    const noStore = await t.signIn('13700100003', 'merchant');
    await refused(403, 'GET', '/stores/mine', noStore);
  });

  it('answers 400 in the error format to bad input, changing nothing', async () => {
    const fresh = await t.signIn('13700100004', 'merchant');
    for (const body of [
      {},
      { name: 'x', businessType: 'apparel' },
      { name: '好名字', businessType: 'jewellery' },
      { name: '好名字', businessType: 'apparel', contactPhone: '12345' },
      { name: '好名字', businessType: 'apparel', extra: 1 },
      { name: '好\u0000名字', businessType: 'apparel' },
      { name: '好名字', businessType: 'apparel', logoUrl: 'javascript:alert(1)' },
      ['not', 'an object'],
    ]) {
      const error = await refused(400, 'POST', '/stores', fresh, body);
      expect(error.code).toBe('validation_failed');
    }
    await refused(400, 'PATCH', '/stores/mine', merchant, { name: 'x' });
    await refused(400, 'PATCH', '/stores/mine', merchant, { openingFeeFen: 100 });
    await refused(400, 'GET', '/stores/not-a-uuid');
    await refused(404, 'GET', '/stores/7f1d2c3e-0000-4000-8000-000000000000');
    await refused(400, 'GET', '/ops/merchants?pageSize=1000', operator);
  });

  it('edits the store profile', async () => {
    const res = await call('PATCH', '/stores/mine', merchant, {
      description: '原创设计，每周上新',
      logoUrl: '/media/2b0c5a7e-9f6d-4c1e-8a2b-3c4d5e6f7a8b.png',
      contactPhone: '13700100009',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().store).toMatchObject({
      name: '衣橱小铺',
      description: '原创设计，每周上新',
      contactPhone: '13700100009',
    });
  });

  it('serves the public store page to anyone', async () => {
    const res = await call('GET', `/stores/${storeId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().store).toMatchObject({
      id: storeId,
      name: '衣橱小铺',
      businessType: 'apparel',
      productCount: 0,
    });
    expect(res.json().store.contactPhone).toBeUndefined();
  });

  it('lists merchants for operators only, with owner phone and counts', async () => {
    await refused(403, 'GET', '/ops/merchants', merchant);
    await refused(403, 'GET', '/ops/merchants', buyer);
    const res = await call('GET', '/ops/merchants?page=1&pageSize=10', operator);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(2);
    const mine = body.items.find((m: { id: string }) => m.id === storeId);
    expect(mine).toMatchObject({
      name: '衣橱小铺',
      ownerPhone: '13700100001',
      productCount: 0,
      orderCount: 0,
    });
  });
});
