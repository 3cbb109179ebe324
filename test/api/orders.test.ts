import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trialBalance } from '../../src/modules/payments/index.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { deliverEvents } from '../support/events.ts';
import {
  accountIdOf,
  countRows,
  createProduct,
  createStore,
  stockOf,
  testAddress,
} from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('orders: cart, checkout, life cycle', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let otherMerchant: string;
  let operator: string;
  let storeId: string;
  let otherStoreId: string;
  let phoneSeq = 0;
  const nextBuyer = () => {
    phoneSeq += 1;
    return `1360000${String(1000 + phoneSeq).padStart(4, '0')}`;
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    merchant = await t.signIn('13700000001', 'merchant');
    otherMerchant = await t.signIn('13700000002', 'merchant');
    ({ storeId } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13700000001'),
      name: '引力服饰',
    }));
    ({ storeId: otherStoreId } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13700000002'),
    }));
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    operator = await t.signIn('13900000000', 'operator');
  });
  afterAll(async () => t.close());
  afterEach(async () => {
    const balance = await trialBalance(t.db);
    expect(balance.totalFen).toBe(0);
  });

  const checkout = (cookie: string, key: string, body: unknown) =>
    api('POST', '/checkouts', cookie, body, idempotent(key));

  it('lists orders in any of several statuses (the buyer app\'s "to receive" is shipped or delivered)', async () => {
    const buyer = await t.signIn(nextBuyer());
    const ids: string[] = [];
    for (const [n, title] of ['多状态 A', '多状态 B'].entries()) {
      const { skuIds } = await createProduct(t.db, storeId, { title, skus: [{ priceFen: 1000, stock: 5 }] });
      const placed = await checkout(buyer, `multi-status-${n}`, {
        lines: [{ skuId: skuIds[0], quantity: 1 }],
        address: testAddress,
      });
      expect(placed.statusCode, placed.body).toBe(201);
      ids.push(placed.json().checkout.orders[0].id);
    }
    const cancelled = await api(
      'POST',
      `/orders/${ids[0]}/cancel`,
      buyer,
      {},
      idempotent('multi-status-cancel'),
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const listed = async (status: string) =>
      ((await api('GET', `/orders?status=${status}`, buyer)).json().items as { id: string }[]).map(
        (o) => o.id,
      );
    expect(await listed('cancelled')).toEqual([ids[0]]);
    expect(await listed('pending_payment')).toEqual([ids[1]]);
    expect((await listed('pending_payment,cancelled')).sort()).toEqual([...ids].sort());
    expect(await listed('shipped,delivered')).toEqual([]);
    for (const bad of ['paid,lost', 'paid,', ',']) {
      const res = await api('GET', `/orders?status=${bad}`, buyer);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('takes a buyer from cart to completed order, and credits the merchant', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, {
      title: '纯棉T恤',
      skus: [
        { priceFen: 9900, stock: 5, size: 'M' },
        { priceFen: 12900, stock: 5, size: 'L' },
      ],
    });
    const [m, l] = skuIds as [string, string];
    expect((await api('PUT', `/cart/items/${m}`, buyer, { quantity: 2 })).statusCode).toBe(200);
    const cart = await api('PUT', `/cart/items/${l}`, buyer, { quantity: 1 });
    expect(cart.json()).toMatchObject({ totalFen: 2 * 9900 + 12900 });
    expect(cart.json().lines).toHaveLength(2);

    const placed = await checkout(buyer, 'journey-key-1', { address: testAddress });
    expect(placed.statusCode).toBe(201);
    const co = placed.json().checkout;
    expect(co.totalFen).toBe(2 * 9900 + 12900);
    expect(co.orders).toHaveLength(1);
    expect(co.orders[0]).toMatchObject({
      status: 'pending_payment',
      storeId,
      storeName: '引力服饰',
      totalFen: co.totalFen,
    });
    expect(await stockOf(t.db, m)).toBe(3);
    expect(await stockOf(t.db, l)).toBe(4);
    expect((await api('GET', '/cart', buyer)).json().lines).toHaveLength(0);

    const pay = await api('POST', `/checkouts/${co.id}/pay`, buyer, undefined, idempotent('journey-pay-1'));
    expect(pay.statusCode).toBe(202);
    expect(pay.json().payment.status).toBe('created');
    expect((await api('GET', `/checkouts/${co.id}`, buyer)).json().checkout.paymentStatus).toBe('processing');

    await settlePayments(t);
    const paid = (await api('GET', `/checkouts/${co.id}`, buyer)).json().checkout;
    expect(paid.paymentStatus).toBe('paid');
    expect(paid.orders[0].status).toBe('paid');
    const orderId = paid.orders[0].id as string;
    // Units paid for count as the product's sales (the `sales` sort and product cards show them).
    const product = await sql<{ sales: number }>`
      select p.sales from products p join skus s on s.product_id = p.id where s.id = ${m}`.execute(t.db);
    expect(product.rows[0]?.sales).toBe(3);

    const shipped = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF123456789',
    });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json().order).toMatchObject({
      status: 'shipped',
      carrier: 'sf',
      trackingNo: 'SF123456789',
    });

    t.clock.advance((t.config.sandboxDeliverySeconds - 1) * 1000);
    expect(await t.services.orders.deliverDue(t.clock.now())).toBe(0);
    t.clock.advance(2000);
    expect(await t.services.orders.deliverDue(t.clock.now())).toBe(1);

    const done = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(done.statusCode).toBe(200);
    const order = done.json().order;
    expect(order.status).toBe('completed');
    expect(order.events.map((e: { to: string }) => e.to)).toEqual([
      'pending_payment',
      'paid',
      'shipped',
      'delivered',
      'completed',
    ]);

    const commission = Math.round((co.totalFen * t.config.commissionBps) / 10_000);
    const balance = await api('GET', '/merchant/balance', merchant);
    expect(balance.json()).toEqual({ payableFen: co.totalFen - commission, pendingFen: 0 });
    const tb = (await api('GET', '/ops/ledger/trial-balance', operator)).json();
    expect(tb.totalFen).toBe(0);
    const byAccount = Object.fromEntries(
      tb.accounts.map((a: { account: string; balanceFen: number }) => [a.account, a.balanceFen]),
    );
    expect(byAccount.provider_clearing).toBeGreaterThanOrEqual(co.totalFen);
    expect(byAccount[`merchant_payable:${storeId}`]).toBe(-(co.totalFen - commission));
  });

  it('replays the first answer for the same Idempotency-Key and body, and refuses a different body', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 5000, stock: 10 }] });
    const body = { lines: [{ skuId: skuIds[0], quantity: 2 }], address: testAddress };
    const first = await checkout(buyer, 'idem-key-0001', body);
    expect(first.statusCode).toBe(201);
    const again = await checkout(buyer, 'idem-key-0001', { address: testAddress, lines: body.lines });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await stockOf(t.db, skuIds[0] as string)).toBe(8);

    const before = await dbFingerprint(t.db);
    const reused = await checkout(buyer, 'idem-key-0001', {
      ...body,
      lines: [{ skuId: skuIds[0], quantity: 3 }],
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect(await dbFingerprint(t.db)).toBe(before);

    const missingKey = await api('POST', '/checkouts', buyer, body);
    expect(missingKey.statusCode).toBe(400);
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('splits a checkout into one order per store, priced by the final price', async () => {
    const buyer = await t.signIn(nextBuyer());
    const a = await createProduct(t.db, storeId, { skus: [{ priceFen: 1990, stock: 3 }] });
    const b = await createProduct(t.db, otherStoreId, {
      skus: [
        { priceFen: 2590, stock: 3 },
        { priceFen: 100, stock: 3 },
      ],
    });
    const res = await checkout(buyer, 'two-stores-1', {
      lines: [
        { skuId: a.skuIds[0], quantity: 1 },
        { skuId: b.skuIds[0], quantity: 2 },
        { skuId: b.skuIds[1], quantity: 1 },
      ],
      address: testAddress,
    });
    expect(res.statusCode).toBe(201);
    const co = res.json().checkout;
    expect(co.totalFen).toBe(1990 + 2 * 2590 + 100);
    const byStore = Object.fromEntries(
      co.orders.map((o: { storeId: string; totalFen: number }) => [o.storeId, o.totalFen]),
    );
    expect(byStore).toEqual({ [storeId]: 1990, [otherStoreId]: 2 * 2590 + 100 });
    // The merchant sees only their store's order.
    const mine = (await api('GET', '/merchant/orders', otherMerchant)).json();
    expect(mine.items.every((o: { storeId: string }) => o.storeId === otherStoreId)).toBe(true);
    expect(mine.items.some((o: { checkoutId: string }) => o.checkoutId === co.id)).toBe(true);
  });

  it('answers 409 out_of_stock with the short SKUs and changes nothing', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, {
      skus: [
        { priceFen: 3000, stock: 2 },
        { priceFen: 3000, stock: 9 },
      ],
    });
    const before = await dbFingerprint(t.db);
    const res = await checkout(buyer, 'short-key-1', {
      lines: [
        { skuId: skuIds[1], quantity: 1 },
        { skuId: skuIds[0], quantity: 3 },
      ],
      address: testAddress,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'out_of_stock', details: { skuIds: [skuIds[0]] } });
    expect(await dbFingerprint(t.db)).toBe(before);
    // The same key may be used again once the request can succeed (nothing was stored).
    const ok = await checkout(buyer, 'short-key-1', {
      lines: [
        { skuId: skuIds[1], quantity: 1 },
        { skuId: skuIds[0], quantity: 2 },
      ],
      address: testAddress,
    });
    expect(ok.statusCode).toBe(201);
    expect(await stockOf(t.db, skuIds[0] as string)).toBe(0);
  });

  it('refuses SKUs that are off sale or unknown', async () => {
    const buyer = await t.signIn(nextBuyer());
    const off = await createProduct(t.db, storeId, {
      status: 'off_sale',
      skus: [{ priceFen: 3000, stock: 2 }],
    });
    const before = await dbFingerprint(t.db);
    const res = await checkout(buyer, 'off-sale-key', {
      lines: [{ skuId: off.skuIds[0], quantity: 1 }],
      address: testAddress,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('sku_unavailable');
    const unknown = await checkout(buyer, 'unknown-key', {
      lines: [{ skuId: '00000000-0000-4000-8000-000000000000', quantity: 1 }],
      address: testAddress,
    });
    expect(unknown.statusCode).toBe(409);
    const putOff = await api('PUT', `/cart/items/${off.skuIds[0]}`, buyer, { quantity: 1 });
    expect(putOff.statusCode).toBe(422);
    const empty = await checkout(buyer, 'empty-cart-key', { address: testAddress });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('cart_empty');
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('expires unpaid orders after the TTL and gives their stock back', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 4200, stock: 4 }] });
    const sku = skuIds[0] as string;
    const res = await checkout(buyer, 'expiry-key-1', {
      lines: [{ skuId: sku, quantity: 3 }],
      address: testAddress,
    });
    const orderId = res.json().checkout.orders[0].id;
    expect(await stockOf(t.db, sku)).toBe(1);
    t.clock.advance(t.config.unpaidOrderTtlMinutes * 60_000 - 1000);
    await t.services.orders.expireDue(t.clock.now());
    expect((await api('GET', `/orders/${orderId}`, buyer)).json().order.status).toBe('pending_payment');
    t.clock.advance(1000);
    expect(await t.services.orders.expireDue(t.clock.now())).toBeGreaterThanOrEqual(1);
    const order = (await api('GET', `/orders/${orderId}`, buyer)).json().order;
    expect(order).toMatchObject({ status: 'expired', closeReason: 'unpaid_timeout' });
    expect(order.events.at(-1)).toMatchObject({
      from: 'pending_payment',
      to: 'expired',
      actor: 'system:expiry',
    });
    expect(await stockOf(t.db, sku)).toBe(4);
    // Running again changes nothing; an expired checkout cannot be paid.
    expect(await t.services.orders.expireDue(t.clock.now())).toBe(0);
    expect(await stockOf(t.db, sku)).toBe(4);
    const pay = await api(
      'POST',
      `/checkouts/${res.json().checkout.id}/pay`,
      buyer,
      undefined,
      idempotent('pay-expired-1'),
    );
    expect(pay.statusCode).toBe(409);
    expect(pay.json().error.code).toBe('checkout_not_payable');
  });

  it('lets a buyer cancel an unpaid order (stock back) but not twice', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 4200, stock: 4 }] });
    const res = await checkout(buyer, 'cancel-key-1', {
      lines: [{ skuId: skuIds[0], quantity: 4 }],
      address: testAddress,
    });
    const orderId = res.json().checkout.orders[0].id;
    expect(await stockOf(t.db, skuIds[0] as string)).toBe(0);
    const cancelled = await api('POST', `/orders/${orderId}/cancel`, buyer);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().order).toMatchObject({ status: 'cancelled', closeReason: 'buyer_cancelled' });
    expect(await stockOf(t.db, skuIds[0] as string)).toBe(4);
    const before = await dbFingerprint(t.db);
    const again = await api('POST', `/orders/${orderId}/cancel`, buyer);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('illegal_transition');
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it("hides another buyer's orders and another store's orders (404), and checks roles", async () => {
    const alice = await t.signIn(nextBuyer());
    const bob = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 1000, stock: 5 }] });
    const res = await checkout(alice, 'authz-key-1', {
      lines: [{ skuId: skuIds[0], quantity: 1 }],
      address: testAddress,
    });
    const co = res.json().checkout;
    const orderId = co.orders[0].id;
    await api('POST', `/checkouts/${co.id}/pay`, alice, undefined, idempotent('authz-pay-1'));
    await settlePayments(t);

    const before = await dbFingerprint(t.db);
    expect((await api('GET', `/orders/${orderId}`, bob)).statusCode).toBe(404);
    expect((await api('GET', `/checkouts/${co.id}`, bob)).statusCode).toBe(404);
    expect((await api('POST', `/orders/${orderId}/cancel`, bob)).statusCode).toBe(404);
    expect((await api('POST', `/orders/${orderId}/confirm-receipt`, bob)).statusCode).toBe(404);
    expect(
      (await api('POST', `/checkouts/${co.id}/pay`, bob, undefined, idempotent('bob-pays-1'))).statusCode,
    ).toBe(404);
    expect((await api('GET', '/orders', bob)).json().total).toBe(0);
    // Another store's merchant cannot see or ship it.
    expect((await api('GET', `/merchant/orders/${orderId}`, otherMerchant)).statusCode).toBe(404);
    const ship = await api('POST', `/merchant/orders/${orderId}/ship`, otherMerchant, {
      carrier: 'sf',
      trackingNo: 'SF0001',
    });
    expect(ship.statusCode).toBe(404);
    // Roles: a buyer cannot ship, a merchant cannot use the cart, nobody signed out gets in.
    expect(
      (await api('POST', `/merchant/orders/${orderId}/ship`, alice, { carrier: 'sf', trackingNo: 'SF0001' }))
        .statusCode,
    ).toBe(403);
    expect((await api('GET', '/cart', merchant)).statusCode).toBe(403);
    expect((await api('GET', '/ops/orders', merchant)).statusCode).toBe(403);
    expect((await api('GET', `/orders/${orderId}`)).statusCode).toBe(401);
    expect(await dbFingerprint(t.db)).toBe(before);
    // The owner sees it.
    expect((await api('GET', `/orders/${orderId}`, alice)).json().order.status).toBe('paid');
    expect((await api('GET', `/merchant/orders/${orderId}`, merchant)).json().order.id).toBe(orderId);
  });

  it('refuses illegal transitions through the API (ship unpaid, confirm unpaid)', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 1000, stock: 5 }] });
    const orderId = (
      await checkout(buyer, 'illegal-key-1', {
        lines: [{ skuId: skuIds[0], quantity: 1 }],
        address: testAddress,
      })
    ).json().checkout.orders[0].id;
    const before = await dbFingerprint(t.db);
    const ship = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF0001',
    });
    expect(ship.statusCode).toBe(409);
    expect(ship.json().error.code).toBe('illegal_transition');
    expect((await api('POST', `/orders/${orderId}/confirm-receipt`, buyer)).statusCode).toBe(409);
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('answers bad input on every route with a 4xx and changes nothing', async () => {
    const buyer = await t.signIn(nextBuyer());
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 1000, stock: 5 }] });
    const sku = skuIds[0] as string;
    const key = idempotent('bad-input-key');
    const badAddress = { ...testAddress, phone: '123' };
    const cases: Array<
      [string, 'GET' | 'POST' | 'PUT' | 'DELETE', string, string, unknown, Record<string, string>?]
    > = [
      ['cart qty 0', 'PUT', `/cart/items/${sku}`, buyer, { quantity: 0 }],
      ['cart qty 100', 'PUT', `/cart/items/${sku}`, buyer, { quantity: 100 }],
      ['cart qty float', 'PUT', `/cart/items/${sku}`, buyer, { quantity: 1.5 }],
      ['cart qty string', 'PUT', `/cart/items/${sku}`, buyer, { quantity: '2' }],
      ['cart extra field', 'PUT', `/cart/items/${sku}`, buyer, { quantity: 1, priceFen: 1 }],
      ['cart bad sku', 'PUT', '/cart/items/not-a-uuid', buyer, { quantity: 1 }],
      ['cart unknown sku', 'PUT', '/cart/items/00000000-0000-4000-8000-000000000000', buyer, { quantity: 1 }],
      ['cart delete bad sku', 'DELETE', '/cart/items/nope', buyer, undefined],
      ['checkout no address', 'POST', '/checkouts', buyer, { lines: [{ skuId: sku, quantity: 1 }] }, key],
      [
        'checkout bad phone',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: 1 }], address: badAddress },
        key,
      ],
      [
        'checkout qty 0',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: 0 }], address: testAddress },
        key,
      ],
      [
        'checkout qty negative',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: -5 }], address: testAddress },
        key,
      ],
      ['checkout empty lines', 'POST', '/checkouts', buyer, { lines: [], address: testAddress }, key],
      [
        'checkout price injected',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: 1, unitFen: 1 }], address: testAddress },
        key,
      ],
      [
        'checkout short key',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: 1 }], address: testAddress },
        idempotent('x'),
      ],
      [
        'checkout bad key chars',
        'POST',
        '/checkouts',
        buyer,
        { lines: [{ skuId: sku, quantity: 1 }], address: testAddress },
        idempotent('bad key with spaces'),
      ],
      ['checkout not json', 'POST', '/checkouts', buyer, 'lines=1', key],
      ['checkout bad id', 'GET', '/checkouts/123', buyer, undefined],
      ['pay bad id', 'POST', '/checkouts/123/pay', buyer, undefined, key],
      ['pay no key', 'POST', '/checkouts/00000000-0000-4000-8000-000000000000/pay', buyer, undefined],
      ['pay unknown', 'POST', '/checkouts/00000000-0000-4000-8000-000000000000/pay', buyer, undefined, key],
      ['orders bad status', 'GET', '/orders?status=lost', buyer, undefined],
      ['orders bad page', 'GET', '/orders?page=0', buyer, undefined],
      ['orders big pageSize', 'GET', '/orders?pageSize=1000', buyer, undefined],
      ['order bad id', 'GET', '/orders/x', buyer, undefined],
      ['order unknown', 'GET', '/orders/00000000-0000-4000-8000-000000000000', buyer, undefined],
      ['cancel bad id', 'POST', '/orders/x/cancel', buyer, undefined],
      ['cancel unknown', 'POST', '/orders/00000000-0000-4000-8000-000000000000/cancel', buyer, undefined],
      [
        'confirm unknown',
        'POST',
        '/orders/00000000-0000-4000-8000-000000000000/confirm-receipt',
        buyer,
        undefined,
      ],
      ['merchant orders bad status', 'GET', '/merchant/orders?status=x', merchant, undefined],
      ['ship no body', 'POST', '/merchant/orders/00000000-0000-4000-8000-000000000000/ship', merchant, {}],
      [
        'ship bad tracking',
        'POST',
        '/merchant/orders/00000000-0000-4000-8000-000000000000/ship',
        merchant,
        { carrier: 'sf', trackingNo: '<script>' },
      ],
      [
        'ship unknown',
        'POST',
        '/merchant/orders/00000000-0000-4000-8000-000000000000/ship',
        merchant,
        { carrier: 'sf', trackingNo: 'SF1234' },
      ],
      ['ops orders bad cursor', 'GET', '/ops/orders?cursor=not-a-cursor', operator, undefined],
      ['ledger bad page', 'GET', '/ops/ledger/transactions?pageSize=0', operator, undefined],
      ['balance as buyer', 'GET', '/merchant/balance', buyer, undefined],
      ['trial balance as buyer', 'GET', '/ops/ledger/trial-balance', buyer, undefined],
      ['webhook unsigned', 'POST', '/payments/webhook', '', { id: 'evt_x', type: 'payment.captured' }],
    ];
    const before = await dbFingerprint(t.db);
    for (const [name, method, url, cookie, payload, headers] of cases) {
      const res = await api(method, url, cookie, payload, headers ?? {});
      expect(res.statusCode, `${name}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(res.json().error.code, name).toBeTypeOf('string');
    }
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('gives operators the order list and an overview', async () => {
    const list = await api('GET', '/ops/orders?pageSize=5', operator);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeLessThanOrEqual(5);
    const total = list.json().total;
    expect(total).toBe(await countRows(t.db, 'orders'));
    await deliverEvents(t); // the overview's order figures follow the orders' events
    const overview = (await api('GET', '/ops/overview', operator)).json();
    expect(overview.orders).toBe(total);
    expect(overview.merchants).toBeGreaterThanOrEqual(2);
    expect(overview.paidOrders).toBeGreaterThanOrEqual(2);
    const sold = await sql<{ fen: number }>`
      select coalesce(sum(total_fen), 0)::bigint as fen from orders where status in ('paid','shipped','delivered','completed')`.execute(
      t.db,
    );
    expect(overview.gmvFen).toBe(Number(sold.rows[0]?.fen));
  });
});
