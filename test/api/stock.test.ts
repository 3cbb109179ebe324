import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceHistory } from '../../src/modules/pricing/index.ts';
import { apiOf, idempotent, refusedOf } from '../support/api.ts';
import { testAddress } from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

interface StockLevels {
  onHand: number;
  reserved: number;
  sellable: number;
  version: number;
}

interface Movement {
  kind: string;
  actor: string;
  reason: string;
  onHandDelta: number;
  reservedDelta: number;
  onHand: number;
  reserved: number;
  at: string;
}

const rice = {
  title: '盘锦大米 蟹田稻 5kg',
  categoryId: 'food-rice',
  images: ['https://img.example.com/rice.jpg'],
  skus: [{ size: '5kg', priceFen: 4990, stock: 50 }],
};

const tee = {
  title: '纯棉宽松短袖T恤',
  categoryId: 'women-tshirt',
  images: ['https://img.example.com/tee.jpg'],
  fitType: 'loose',
  sizeChart: { S: { chest: 96 }, M: { chest: 100 } },
  skus: [
    { size: 'S', color: '白色', priceFen: 5900, stock: 5 },
    { size: 'M', color: '白色', priceFen: 5900, stock: 5 },
  ],
};

describe('stock: on hand, reserved, sellable; relative adjustments; the movement log', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiOf>;
  let refused: ReturnType<typeof refusedOf>;
  let merchant: string;
  let rival: string;
  let operator: string;
  let phoneSeq = 0;
  let productId: string;
  let skuId: string;

  const buyer = async () => {
    phoneSeq += 1;
    return t.signIn(`1360040${String(1000 + phoneSeq).padStart(4, '0')}`);
  };
  const checkout = (cookie: string, key: string, sku: string, quantity: number) =>
    call(
      'POST',
      '/checkouts',
      cookie,
      { lines: [{ skuId: sku, quantity }], address: testAddress },
      idempotent(key),
    );
  const stockUrl = () => `/merchant/products/${productId}/skus/${skuId}/stock`;
  const levels = async (): Promise<StockLevels> => {
    const res = await call('GET', stockUrl(), merchant);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().stock;
  };
  const movements = async (): Promise<Movement[]> =>
    (await call('GET', `${stockUrl()}?pageSize=100`, merchant)).json().movements.items;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    call = apiOf(t);
    refused = refusedOf(t);
    merchant = await t.signIn('13700400001', 'merchant');
    rival = await t.signIn('13700400002', 'merchant');
    await t.services.identity.provision('13900400000', 'operator', '运营');
    operator = await t.signIn('13900400000', 'operator');
    expect(
      (await call('POST', '/stores', merchant, { name: '盘锦米仓', businessType: 'food' })).statusCode,
    ).toBe(201);
    await call('POST', '/stores', rival, { name: '隔壁米店', businessType: 'food' });
    const created = await call('POST', '/merchant/products', merchant, rice);
    expect(created.statusCode, created.body).toBe(201);
    productId = created.json().product.id;
    skuId = created.json().product.skus[0].id;
  });
  afterAll(async () => t?.close());

  let readVersion: number;
  let paidOrderId: string;
  let pendingOrderId: string;
  let pendingBuyer: string;

  it('shows on hand, reserved and sellable; reservations (paid or not) stay on hand until shipped', async () => {
    const start = await levels();
    expect(start).toMatchObject({ onHand: 50, reserved: 0, sellable: 50 });
    // The merchant's product page reads the same numbers, with the version they were read at.
    const mine = (await call('GET', `/merchant/products/${productId}`, merchant)).json().product;
    expect(mine.skus[0].inventory).toEqual(start);
    readVersion = start.version;

    // 10 units sell: 6 paid, 4 waiting for payment.
    const a = await buyer();
    const paid = await checkout(a, 'stock-a-1', skuId, 6);
    expect(paid.statusCode, paid.body).toBe(201);
    const pay = await call(
      'POST',
      `/checkouts/${paid.json().checkout.id}/pay`,
      a,
      undefined,
      idempotent('stock-a-pay'),
    );
    expect(pay.statusCode, pay.body).toBe(202);
    await settlePayments(t);
    paidOrderId = paid.json().checkout.orders[0].id;
    const b = await buyer();
    pendingBuyer = b;
    const pending = await checkout(b, 'stock-b-1', skuId, 4);
    expect(pending.statusCode, pending.body).toBe(201);
    pendingOrderId = pending.json().checkout.orders[0].id;

    expect(await levels()).toMatchObject({ onHand: 50, reserved: 10, sellable: 40 });
    // Buyers see what can still be sold.
    expect((await call('GET', `/products/${productId}`)).json().product.skus[0].stock).toBe(40);
    // …and never the merchant's on-hand and reserved figures.
    expect((await call('GET', `/products/${productId}`)).json().product.skus[0].inventory).toBeUndefined();
  });

  it('the lost update: a stale absolute set is refused (409) and changes nothing; +10 gives 60 on hand, 50 sellable', async () => {
    // The merchant read 50 before the 10 units sold and now saves 60 meaning "+10".
    const stale = await refused(409, 'PATCH', stockUrl(), merchant, {
      set: 60,
      expectedVersion: readVersion,
    });
    expect(stale.code).toBe('stale_stock');
    expect(stale.details).toMatchObject({ onHand: 50, reserved: 10, sellable: 40 });
    // The old absolute stock field is gone from the SKU edit: nothing can set stock blind.
    await refused(400, 'PATCH', `/merchant/products/${productId}/skus/${skuId}`, merchant, { stock: 60 });
    await refused(400, 'PATCH', stockUrl(), merchant, { set: 60 });

    const adjusted = await call('PATCH', stockUrl(), merchant, { adjust: 10, reason: '到货 10 袋' });
    expect(adjusted.statusCode, adjusted.body).toBe(200);
    expect(adjusted.json().stock).toMatchObject({ onHand: 60, reserved: 10, sellable: 50 });
    expect((await call('GET', `/products/${productId}`)).json().product.skus[0].stock).toBe(50);

    // 50 sellable means 50: a 51st unit is out of stock.
    const greedy = await checkout(await buyer(), 'stock-greedy', skuId, 51);
    expect(greedy.statusCode).toBe(409);
    expect(greedy.json().error.code).toBe('out_of_stock');

    // An absolute set at the current version is fine: the merchant counted 58 on the shelf.
    const current = await levels();
    const set = await call('PATCH', stockUrl(), merchant, {
      set: 58,
      expectedVersion: current.version,
      reason: '盘点',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().stock).toMatchObject({ onHand: 58, reserved: 10, sellable: 48 });
    expect(set.json().stock.version).toBeGreaterThan(current.version);
  });

  it('never lets stock go negative: too large a removal or a set below what is reserved is refused', async () => {
    const before = await levels();
    expect((await refused(409, 'PATCH', stockUrl(), merchant, { adjust: -100, reason: '报损' })).code).toBe(
      'insufficient_stock',
    );
    // 10 units are promised to buyers: on hand cannot drop below them.
    expect(
      (await refused(409, 'PATCH', stockUrl(), merchant, { set: 9, expectedVersion: before.version })).code,
    ).toBe('insufficient_stock');
    await refused(400, 'PATCH', stockUrl(), merchant, { set: -1, expectedVersion: before.version });
    await refused(400, 'PATCH', stockUrl(), merchant, { adjust: 0, reason: '无' });
    await refused(400, 'PATCH', stockUrl(), merchant, { adjust: 5 });
    await refused(400, 'PATCH', stockUrl(), merchant, { adjust: 1.5, reason: 'x' });
    await refused(400, 'PATCH', stockUrl(), merchant, { adjust: 5, set: 5, expectedVersion: 1, reason: 'x' });
    expect(await levels()).toEqual(before);
    // Exactly down to what is reserved is allowed.
    const all = await call('PATCH', stockUrl(), merchant, { adjust: -48, reason: '报损' });
    expect(all.json().stock).toMatchObject({ onHand: 10, reserved: 10, sellable: 0 });
    await call('PATCH', stockUrl(), merchant, { adjust: 48, reason: '找回' });
  });

  it('applies an adjustment once per Idempotency-Key', async () => {
    const before = await levels();
    const send = () =>
      call('PATCH', stockUrl(), merchant, { adjust: 3, reason: '退货入库' }, idempotent('adj-key-1'));
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    const again = await send();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().stock).toEqual(first.json().stock);
    expect((await levels()).onHand).toBe(before.onHand + 3);
    // The same key for a different change is a conflict, not a silent replay.
    const other = await call(
      'PATCH',
      stockUrl(),
      merchant,
      { adjust: 4, reason: '退货入库' },
      idempotent('adj-key-1'),
    );
    expect(other.statusCode).toBe(409);
    expect((await levels()).onHand).toBe(before.onHand + 3);
  });

  it('logs every change: who, why, deltas and the resulting on hand and reserved', async () => {
    // Release on cancel, release on expiry, capture on shipping.
    const cancelled = await call('POST', `/orders/${pendingOrderId}/cancel`, pendingBuyer);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const late = await buyer();
    expect((await checkout(late, 'stock-late', skuId, 2)).statusCode).toBe(201);
    t.clock.advance((t.config.unpaidOrderTtlMinutes + 1) * 60_000);
    expect(await t.services.orders.expireDue()).toBe(1);
    const shipped = await call('POST', `/merchant/orders/${paidOrderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF1234567890',
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(await levels()).toMatchObject({ onHand: 55, reserved: 0, sellable: 55 });

    const log = await movements();
    const merchantId = (
      await sql<{ id: string }>`select id from accounts where phone = '13700400001'`.execute(t.db)
    ).rows[0]?.id;
    const compact = log.map((m) => [m.kind, m.onHandDelta, m.reservedDelta, m.onHand, m.reserved]);
    // Newest first.
    expect(compact).toEqual([
      ['capture', -6, -6, 55, 0],
      ['release', 0, -2, 61, 6],
      ['reserve', 0, 2, 61, 8],
      ['release', 0, -4, 61, 6],
      ['adjust', 3, 0, 61, 10],
      ['adjust', 48, 0, 58, 10],
      ['adjust', -48, 0, 10, 10],
      ['set', -2, 0, 58, 10],
      ['adjust', 10, 0, 60, 10],
      ['reserve', 0, 4, 50, 10],
      ['reserve', 0, 6, 50, 6],
      ['initial', 50, 0, 50, 0],
    ]);
    expect(log.find((m) => m.kind === 'initial')?.actor).toBe(`merchant:${merchantId}`);
    expect(log.find((m) => m.kind === 'adjust' && m.onHandDelta === 10)).toMatchObject({
      actor: `merchant:${merchantId}`,
      reason: '到货 10 袋',
    });
    expect(log.find((m) => m.kind === 'set')?.reason).toBe('盘点');
    expect(log[0]?.actor).toBe(`merchant:${merchantId}`);
    expect(log[1]?.actor).toBe('system:expiry');
    expect(log[3]?.actor).toMatch(/^buyer:/);
    expect(log[9]?.actor).toMatch(/^buyer:/);
    expect(log.every((m) => typeof m.at === 'string' && m.reason !== undefined)).toBe(true);
    // The log replays to the current numbers.
    const sum = (k: 'onHandDelta' | 'reservedDelta') => log.reduce((n, m) => n + m[k], 0);
    expect([sum('onHandDelta'), sum('reservedDelta')]).toEqual([55, 0]);
    // And the catalog row agrees with the log's last entry.
    const row = await sql<{ stock: number; reserved: number }>`
      select stock, reserved from skus where id = ${skuId}`.execute(t.db);
    expect(row.rows[0]).toEqual({ stock: 55, reserved: 0 });
  });

  it('shows the numbers and the log to the store’s own merchant only', async () => {
    await refused(404, 'GET', stockUrl(), rival);
    await refused(404, 'PATCH', stockUrl(), rival, { adjust: 1, reason: 'x' });
    const asBuyer = await buyer();
    await refused(403, 'GET', stockUrl(), asBuyer);
    await refused(403, 'PATCH', stockUrl(), operator, { adjust: 1, reason: 'x' });
    await refused(401, 'PATCH', stockUrl(), undefined, { adjust: 1, reason: 'x' });
  });
});

describe('adding SKUs to an existing product', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiOf>;
  let refused: ReturnType<typeof refusedOf>;
  let merchant: string;
  let rival: string;
  let productId: string;

  beforeAll(async () => {
    t = await createTestApp();
    call = apiOf(t);
    refused = refusedOf(t);
    merchant = await t.signIn('13700410001', 'merchant');
    rival = await t.signIn('13700410002', 'merchant');
    await call('POST', '/stores', merchant, { name: '棉知道', businessType: 'apparel' });
    await call('POST', '/stores', rival, { name: '隔壁衣铺', businessType: 'apparel' });
    const created = await call('POST', '/merchant/products', merchant, tee);
    expect(created.statusCode, created.body).toBe(201);
    productId = created.json().product.id;
  });
  afterAll(async () => t?.close());

  it('adds a size and a colour with price history and an initial stock movement; buyers can buy them', async () => {
    const res = await call('POST', `/merchant/products/${productId}/skus`, merchant, {
      skus: [
        { size: 'L', color: '白色', priceFen: 6400, stock: 7 },
        { size: 'S', color: '黑色', priceFen: 5900, stock: 3 },
      ],
      sizeChart: { S: { chest: 96 }, M: { chest: 100 }, L: { chest: 104 } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const product = res.json().product;
    expect(product.sizes).toEqual(['S', 'M', 'L']);
    expect(product.colors).toEqual(['白色', '黑色']);
    expect(product.sizeChart).toEqual({ S: { chest: 96 }, M: { chest: 100 }, L: { chest: 104 } });
    const large = product.skus.find(
      (s: { size: string; color: string }) => s.size === 'L' && s.color === '白色',
    );
    expect(large).toMatchObject({
      priceFen: 6400,
      stock: 7,
      inventory: { onHand: 7, reserved: 0, sellable: 7 },
    });
    expect((await priceHistory(t.db, large.id)).map((h) => h.priceFen)).toEqual([6400]);
    const log = (await call('GET', `/merchant/products/${productId}/skus/${large.id}/stock`, merchant)).json()
      .movements.items;
    expect(log).toMatchObject([{ kind: 'initial', onHandDelta: 7, onHand: 7, reserved: 0 }]);

    // The public page lists the new SKU in the merchant's order, and a buyer can buy it.
    const page = (await call('GET', `/products/${productId}`)).json().product;
    expect(page.skus.map((s: { size: string; color: string }) => `${s.size}/${s.color}`)).toEqual([
      'S/白色',
      'M/白色',
      'L/白色',
      'S/黑色',
    ]);
    const buyer = await t.signIn('13600410001');
    const bought = await call(
      'POST',
      '/checkouts',
      buyer,
      { lines: [{ skuId: large.id, quantity: 2 }], address: testAddress },
      idempotent('new-sku-1'),
    );
    expect(bought.statusCode, bought.body).toBe(201);
  });

  it('refuses a size × colour the product already sells, or twice in one request (409), changing nothing', async () => {
    const url = `/merchant/products/${productId}/skus`;
    const dup = await refused(409, 'POST', url, merchant, {
      skus: [{ size: 'M', color: '白色', priceFen: 100, stock: 1 }],
    });
    expect(dup.code).toBe('duplicate_sku');
    expect(dup.details).toMatchObject({ duplicates: [{ size: 'M', color: '白色' }] });
    const twice = await refused(409, 'POST', url, merchant, {
      skus: [
        { size: 'M', color: '黑色', priceFen: 100, stock: 1 },
        { size: 'M', color: '黑色', priceFen: 200, stock: 1 },
      ],
    });
    expect(twice.code).toBe('duplicate_sku');
  });

  it('keeps the product rules: sizes in the chart, a size on every garment SKU, valid fields', async () => {
    const url = `/merchant/products/${productId}/skus`;
    expect(
      (
        await refused(422, 'POST', url, merchant, {
          skus: [{ size: 'XL', color: '白色', priceFen: 100, stock: 1 }],
        })
      ).code,
    ).toBe('size_chart_mismatch');
    expect(
      (
        await refused(422, 'POST', url, merchant, {
          skus: [{ size: '', color: '红色', priceFen: 100, stock: 1 }],
        })
      ).code,
    ).toBe('size_required');
    await refused(400, 'POST', url, merchant, {
      skus: [{ size: 'M', color: '红色', priceFen: 0, stock: 1 }],
    });
    await refused(400, 'POST', url, merchant, {
      skus: [{ size: 'M', color: '红色', priceFen: 100, stock: -1 }],
    });
    await refused(400, 'POST', url, merchant, { skus: [] });
  });

  it('lets only the store’s own merchant add SKUs', async () => {
    const url = `/merchant/products/${productId}/skus`;
    const body = { skus: [{ size: 'M', color: '红色', priceFen: 100, stock: 1 }] };
    await refused(404, 'POST', url, rival, body);
    await refused(403, 'POST', url, await t.signIn('13600410002'), body);
    await refused(401, 'POST', url, undefined, body);
    await refused(
      404,
      'POST',
      '/merchant/products/00000000-0000-4000-8000-000000000000/skus',
      merchant,
      body,
    );
  });
});
