import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf } from '../support/api.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The operators' ledger names its accounts: each entry and balance says what kind of account it is
 * and, for a store's payable, the store's name, so the console never has to show a raw id.
 */
describe('ledger accounts by name', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;
  let storeId: string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    const merchant = await t.signIn('13700000001', 'merchant');
    ({ storeId } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13700000001'),
      name: '引力服饰旗舰店',
    }));
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    operator = await t.signIn('13900000000', 'operator');
    // One order from payment to completion: payment, then settlement to the store and the platform.
    const buyer = await t.signIn('13600000001');
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: 10_000, stock: 3 }] });
    const checkout = await placeAndPay(
      t,
      buyer,
      { lines: [{ skuId: skuIds[0], quantity: 1 }], address: testAddress },
      'ledger-names-checkout',
    );
    const orderId = checkout.orders[0].id;
    await api('POST', `/merchant/orders/${orderId}/ship`, merchant, { carrier: 'sf', trackingNo: 'SF0001' });
    const confirmed = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  });
  afterAll(async () => t.close());

  it("names every account in the trial balance, with the store's name for its payable", async () => {
    const res = await api('GET', '/ops/ledger/trial-balance', operator);
    expect(res.statusCode, res.body).toBe(200);
    const accounts = res.json().accounts as Array<Record<string, unknown>>;
    // the platform's accounts as money flows through them, then the stores
    expect(accounts.map((a) => a.type)).toEqual([
      'provider_clearing',
      'order_escrow',
      'platform_revenue',
      'merchant_payable',
    ]);
    expect(accounts.find((a) => a.type === 'merchant_payable')).toMatchObject({
      account: `merchant_payable:${storeId}`,
      storeId,
      storeName: '引力服饰旗舰店',
    });
    expect(accounts.find((a) => a.type === 'platform_revenue')).toMatchObject({
      storeId: null,
      storeName: null,
    });
  });

  it('names the entries of each transaction the same way', async () => {
    const res = await api('GET', '/ops/ledger/transactions?page=1&pageSize=10', operator);
    expect(res.statusCode, res.body).toBe(200);
    const txs = res.json().items as Array<{
      kind: string;
      entries: Array<{ account: string; amountFen: number; type: string; storeName: string | null }>;
    }>;
    expect(txs.map((tx) => tx.kind).sort()).toEqual(['payment', 'settlement']);
    const settlement = txs.find((tx) => tx.kind === 'settlement');
    expect(settlement?.entries.map((e) => [e.type, e.storeName]).sort()).toEqual([
      ['merchant_payable', '引力服饰旗舰店'],
      ['order_escrow', null],
      ['platform_revenue', null],
    ]);
    const payment = txs.find((tx) => tx.kind === 'payment');
    expect(payment?.entries.map((e) => e.type).sort()).toEqual(['order_escrow', 'provider_clearing']);
  });
});
