import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance } from '../../src/modules/payments/index.ts';
import { testAddress } from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Use first, pay later (module credit), through the API with the test clock. */

const DAY = 86_400_000;

const POLICY = {
  baseLimitFen: 50_000,
  perCompletedOrderFen: 20_000,
  maxLimitFen: 500_000,
  minAccountAgeDays: 7,
  minCompletedOrders: 1,
  maxRefundShareBps: 3000,
  dueDays: 3,
  reminderDays: 2,
  freezeWhenOverdue: true,
  feeBps: 100,
  promotionStartsAt: null,
  promotionEndsAt: null,
};

type Api = ReturnType<typeof apiOf>;

async function placeCheckout(api: Api, buyer: string, lines: Array<{ skuId: string; quantity: number }>) {
  for (const l of lines) {
    const put = await api('PUT', `/cart/items/${l.skuId}`, buyer, { quantity: l.quantity });
    expect(put.statusCode, put.body).toBe(200);
  }
  const res = await api(
    'POST',
    '/checkouts',
    buyer,
    { lines, address: testAddress },
    { 'idempotency-key': `co-${randomUUID()}` },
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json().checkout as {
    id: string;
    totalFen: number;
    orders: Array<{ id: string; storeId: string }>;
  };
}

const payLater = (api: Api, buyer: string, checkoutId: string, key = `pl-${randomUUID()}`) =>
  api('POST', `/checkouts/${checkoutId}/pay-later`, buyer, undefined, { 'idempotency-key': key });

async function shipAndConfirm(t: TestApp, api: Api, buyer: string, merchant: string, orderId: string) {
  const shipped = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
    carrier: 'sf',
    trackingNo: `SF${randomUUID().slice(0, 8)}`,
  });
  expect(shipped.statusCode, shipped.body).toBe(200);
  t.clock.advance((t.config.sandboxDeliverySeconds + 1) * 1000);
  await t.services.orders.deliverDue(t.clock.now());
  const confirmed = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer, undefined, {
    'idempotency-key': `cf-${randomUUID()}`,
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
}

async function billOf(api: Api, buyer: string, orderId: string) {
  const res = await api('GET', '/credit/bills', buyer);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<Record<string, unknown>>).find((b) => b.orderId === orderId);
}

describe('use first, pay later', () => {
  let t: TestApp;
  let api: Api;
  let operator: string;
  let merchant: string;
  let storeId: string;
  let otherMerchant: string;
  let buyer: string;
  let sku: string;
  let otherSku: string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    operator = await t.signIn('13900000000', 'operator');
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700000001', '先用后付服饰'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13700000002', '未开通服饰'));
    const tee = await createApparel(t, merchant, { sizes: ['M', 'L'] });
    const other = await createApparel(t, otherMerchant, { sizes: ['M'] });
    sku = tee.skus.get('M|黑色') as string;
    otherSku = other.skus.get('M|黑色') as string;
    const put = await api('PUT', '/ops/credit/policy', operator, POLICY);
    expect(put.statusCode, put.body).toBe(200);
    // A buyer with a record: one order bought and received, an account a week and a day old.
    buyer = await t.signIn('13600000001');
    const first = await buyOrder(t, buyer, merchant, [sku]);
    const confirmed = await api('POST', `/orders/${first}/confirm-receipt`, buyer);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    t.clock.advance(8 * DAY);
  });
  afterAll(async () => t?.close());

  it('operators read and set the policy; a bad promotion window is refused', async () => {
    const got = await api('GET', '/ops/credit/policy', operator);
    expect(got.statusCode).toBe(200);
    expect(got.json().policy).toMatchObject({ ...POLICY, promotionActive: false });
    const bad = await api('PUT', '/ops/credit/policy', operator, {
      ...POLICY,
      promotionStartsAt: '2026-05-01T00:00:00.000Z',
      promotionEndsAt: '2026-04-01T00:00:00.000Z',
    });
    expect(bad.statusCode).toBe(400);
    expect((await api('GET', '/ops/credit/policy', buyer)).statusCode).toBe(403);
  });

  it('a new account has no line', async () => {
    const newcomer = await t.signIn('13600000009');
    const line = await api('GET', '/credit/line', newcomer);
    expect(line.statusCode, line.body).toBe(200);
    expect(line.json().line).toMatchObject({ limitFen: 0, availableFen: 0, reason: 'account_too_new' });
    await api('PUT', '/merchant/credit/settings', merchant, { payLaterEnabled: true });
    const checkout = await placeCheckout(api, newcomer, [{ skuId: sku, quantity: 1 }]);
    const res = await payLater(api, newcomer, checkout.id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('credit_limit_exceeded');
    // nothing changed: the checkout can still be paid online
    const order = await api('GET', `/orders/${checkout.orders[0]?.id}`, newcomer);
    expect(order.json().order.status).toBe('pending_payment');
  });

  it('a store that did not switch pay later on → 409', async () => {
    const settings = await api('GET', '/merchant/credit/settings', otherMerchant);
    expect(settings.json().settings).toMatchObject({ payLaterEnabled: false, feeBps: 100 });
    const checkout = await placeCheckout(api, buyer, [
      { skuId: sku, quantity: 1 },
      { skuId: otherSku, quantity: 1 },
    ]);
    const offer = await api('GET', `/checkouts/${checkout.id}/pay-later`, buyer);
    expect(offer.statusCode, offer.body).toBe(200);
    expect(offer.json().offer).toMatchObject({
      available: false,
      reason: 'pay_later_not_offered',
      totalFen: 19_800,
      storesNotOffering: [checkout.orders.find((o) => o.storeId !== storeId)?.storeId],
    });
    const res = await payLater(api, buyer, checkout.id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('pay_later_not_offered');
    await api('DELETE', `/cart/items/${otherSku}`, buyer);
  });

  it('not enough room in the line → 409', async () => {
    const line = (await api('GET', '/credit/line', buyer)).json().line;
    expect(line).toMatchObject({
      limitFen: 70_000,
      usedFen: 0,
      availableFen: 70_000,
      frozen: false,
      reason: null,
    });
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 8 }]); // 8 × 99 元 > 700 元
    const res = await payLater(api, buyer, checkout.id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'credit_limit_exceeded',
      details: { totalFen: 79_200, availableFen: 70_000 },
    });
  });

  it('pays later, ships, is charged dueDays after receipt; the receivable returns to zero', async () => {
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 2 }]);
    const orderId = checkout.orders[0]?.id as string;
    const offer = await api('GET', `/checkouts/${checkout.id}/pay-later`, buyer);
    expect(offer.json().offer).toMatchObject({ available: true, reason: null, totalFen: 19_800 });
    const key = `pl-${randomUUID()}`;
    const res = await payLater(api, buyer, checkout.id, key);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.bills).toHaveLength(1);
    expect(body.bills[0]).toMatchObject({ orderId, storeId, amountFen: 19_800, status: 'open', dueAt: null });
    expect(body.line).toMatchObject({ usedFen: 19_800, availableFen: 50_200 });
    // a retry answers the same; the order is paid, on credit
    const again = await payLater(api, buyer, checkout.id, key);
    expect(again.statusCode).toBe(201);
    expect(again.json().bills[0].id).toBe(body.bills[0].id);
    const reused = await payLater(
      api,
      buyer,
      (await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }])).id,
      key,
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect((await api('GET', `/checkouts/${checkout.id}/pay-later`, buyer)).json().offer.reason).toBe(
      'checkout_not_payable',
    );
    const online = await api('POST', `/checkouts/${checkout.id}/pay`, buyer, undefined, {
      'idempotency-key': `pay-${randomUUID()}`,
    });
    expect(online.statusCode).toBe(409);
    expect((await api('GET', `/orders/${orderId}`, buyer)).json().order.status).toBe('paid');
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(19_800);

    await shipAndConfirm(t, api, buyer, merchant, orderId);
    await t.services.credit.runBills();
    const bill = await billOf(api, buyer, orderId);
    expect(bill?.status).toBe('open');
    expect(Date.parse(bill?.dueAt as string)).toBe(t.clock.now().getTime() + 3 * DAY);

    // not due yet: nothing is charged
    t.clock.advance(2 * DAY);
    await t.services.credit.runBills();
    await settlePayments(t);
    expect((await billOf(api, buyer, orderId))?.status).toBe('open');

    t.clock.advance(1 * DAY);
    await t.services.credit.runBills();
    expect((await billOf(api, buyer, orderId))?.status).toBe('charging');
    await settlePayments(t);
    await t.services.credit.runBills();
    expect(await billOf(api, buyer, orderId)).toMatchObject({ status: 'paid', chargedFen: 19_800 });
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(0);
    // the merchant was settled as for a paid order, and pays the pay-later fee (1% of 198 元)
    const paidBill = await billOf(api, buyer, orderId);
    const fee = await sql<{ account: string; amount_fen: string }>`
      select e.account, e.amount_fen from ledger_entries e join ledger_transactions x on x.id = e.transaction_id
      where x.kind = 'credit_fee' and x.reference = ${paidBill?.id as string} order by e.account`.execute(
      t.db,
    );
    expect(fee.rows.map((r) => [r.account, Number(r.amount_fen)])).toEqual([
      [`merchant_payable:${storeId}`, 198],
      ['platform_revenue', -198],
    ]);
    const settled = await sql<{ n: number }>`
      select count(*)::int as n from ledger_transactions where kind = 'settlement' and reference = ${orderId}`.execute(
      t.db,
    );
    expect(settled.rows[0]?.n).toBe(1);
    const line = (await api('GET', '/credit/line', buyer)).json().line;
    expect(line).toMatchObject({ usedFen: 0, finishedOrders: 2 });
    // the ledger's trial balance is checked by close()
  });

  /** A merchant-funded refund of `quantity` units of the order's only line (what after-sale does). */
  async function refund(orderId: string, quantity: number, amountFen: number) {
    return t.db.transaction().execute((trx) =>
      t.services.orders.refundLines(trx, {
        orderId,
        reference: `test-refund:${randomUUID()}`,
        reason: 'changed_mind',
        funder: 'merchant',
        lines: [{ skuId: sku, quantity, amountFen }],
        actor: 'system:test',
      }),
    );
  }

  it('a refund before the due date reduces the bill', async () => {
    // Refunds count against the line (too_many_refunds): let this buyer's refunds through.
    await api('PUT', '/ops/credit/policy', operator, { ...POLICY, maxRefundShareBps: 10_000 });
    const receivable = await accountBalance(t.db, 'credit_receivable');
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 2 }]);
    const orderId = checkout.orders[0]?.id as string;
    expect((await payLater(api, buyer, checkout.id)).statusCode).toBe(201);
    await shipAndConfirm(t, api, buyer, merchant, orderId);
    await refund(orderId, 1, 9900);
    expect(await billOf(api, buyer, orderId)).toMatchObject({
      originalFen: 19_800,
      amountFen: 9900,
      status: 'open',
    });
    t.clock.advance(3 * DAY + 1000);
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    expect(await billOf(api, buyer, orderId)).toMatchObject({ status: 'paid', chargedFen: 9900 });
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(receivable);
  });

  it('an open after-sale request (a settlement hold) holds the charge too', async () => {
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const orderId = checkout.orders[0]?.id as string;
    expect((await payLater(api, buyer, checkout.id)).statusCode).toBe(201);
    await t.db.transaction().execute((trx) => t.services.orders.holdSettlement(trx, orderId, 'test-hold'));
    await shipAndConfirm(t, api, buyer, merchant, orderId);
    t.clock.advance(4 * DAY);
    await t.services.credit.runBills();
    expect(await billOf(api, buyer, orderId)).toMatchObject({
      status: 'open',
      dueAt: null,
      chargeAttempts: 0,
    });
    await t.db.transaction().execute((trx) => t.services.orders.releaseSettlement(trx, orderId, 'test-hold'));
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    expect(await billOf(api, buyer, orderId)).toMatchObject({ status: 'paid', chargedFen: 9900 });
  });

  it('a full return before the due date cancels the charge; so does cancelling before shipping', async () => {
    const receivable = await accountBalance(t.db, 'credit_receivable');
    const returned = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const returnedId = returned.orders[0]?.id as string;
    expect((await payLater(api, buyer, returned.id)).statusCode).toBe(201);
    await shipAndConfirm(t, api, buyer, merchant, returnedId);
    await refund(returnedId, 1, 9900);

    const cancelled = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const cancelledId = cancelled.orders[0]?.id as string;
    expect((await payLater(api, buyer, cancelled.id)).statusCode).toBe(201);
    const cancel = await api('POST', `/orders/${cancelledId}/cancel`, buyer);
    expect(cancel.statusCode, cancel.body).toBe(200);

    t.clock.advance(4 * DAY);
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    for (const id of [returnedId, cancelledId]) {
      expect(await billOf(api, buyer, id)).toMatchObject({
        status: 'closed',
        amountFen: 0,
        chargeAttempts: 0,
      });
    }
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(receivable);
  });

  it('a refund after the charge goes back to the buyer through the provider', async () => {
    const receivable = await accountBalance(t.db, 'credit_receivable');
    const clearing = await accountBalance(t.db, 'provider_clearing');
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const orderId = checkout.orders[0]?.id as string;
    expect((await payLater(api, buyer, checkout.id)).statusCode).toBe(201);
    await shipAndConfirm(t, api, buyer, merchant, orderId);
    t.clock.advance(3 * DAY + 1000);
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    expect(await billOf(api, buyer, orderId)).toMatchObject({ status: 'paid', chargedFen: 9900 });
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearing + 9900);

    await refund(orderId, 1, 9900);
    await t.services.credit.runBills();
    await t.services.credit.runBills(); // a second pass gives nothing more back
    await settlePayments(t);
    expect(await billOf(api, buyer, orderId)).toMatchObject({ status: 'paid', refundedAfterChargeFen: 9900 });
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(receivable);
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearing);
    const records = await t.services.sandboxPayments.listRecords();
    expect(records.charges.filter((c) => c.refundedFen === 9900 && c.capturedFen === 9900)).toHaveLength(1);
  });

  it('no fee for the merchant during the promotion window', async () => {
    const now = t.clock.now();
    const put = await api('PUT', '/ops/credit/policy', operator, {
      ...POLICY,
      promotionStartsAt: new Date(now.getTime() - DAY).toISOString(),
      promotionEndsAt: new Date(now.getTime() + 30 * DAY).toISOString(),
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().policy.promotionActive).toBe(true);
    const settings = await api('GET', '/merchant/credit/settings', merchant);
    expect(settings.json().settings).toMatchObject({
      payLaterEnabled: true,
      feeBps: 0,
      promotionActive: true,
    });
    await api('PUT', '/ops/credit/policy', operator, POLICY);
  });

  it('only the buyer sees their bills; a merchant cannot pay later', async () => {
    const other = await t.signIn('13600000002');
    expect((await api('GET', '/credit/bills', other)).json().items).toEqual([]);
    expect((await api('GET', '/credit/line', merchant)).statusCode).toBe(403);
    const missing = await api('GET', `/credit/bills/${randomUUID()}`, buyer);
    expect(missing.statusCode).toBe(404);
  });
});

describe('pay later: a failed charge makes the bill overdue', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    // Every charge at the provider fails.
    t = await createTestApp({ sandboxPayment: { failRate: 1, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
  });
  afterAll(async () => t?.close());

  it('reminds the buyer, freezes the line and shows the debt to operators', async () => {
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    const operator = await t.signIn('13900000000', 'operator');
    const { cookie: merchant } = await apparelMerchant(t, '13700000001', '先用后付服饰');
    const tee = await createApparel(t, merchant, { sizes: ['M'] });
    const sku = tee.skus.get('M|黑色') as string;
    await api('PUT', '/ops/credit/policy', operator, {
      ...POLICY,
      minAccountAgeDays: 0,
      minCompletedOrders: 0,
    });
    await api('PUT', '/merchant/credit/settings', merchant, { payLaterEnabled: true });
    const buyer = await t.signIn('13600000001');
    const checkout = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const orderId = checkout.orders[0]?.id as string;
    expect((await payLater(api, buyer, checkout.id)).statusCode).toBe(201);
    await shipAndConfirm(t, api, buyer, merchant, orderId);
    await t.services.credit.runBills();

    t.clock.advance(3 * DAY + 1000);
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    const bills = (await api('GET', '/credit/bills', buyer)).json();
    expect(bills.items[0]).toMatchObject({ orderId, status: 'overdue', amountFen: 9900, chargeAttempts: 1 });
    expect(bills.reminders).toHaveLength(1);
    expect(bills.reminders[0]).toMatchObject({ amountFen: 9900 });

    const line = (await api('GET', '/credit/line', buyer)).json().line;
    expect(line).toMatchObject({ frozen: true, availableFen: 0, usedFen: 9900 });
    const next = await placeCheckout(api, buyer, [{ skuId: sku, quantity: 1 }]);
    const refused = await payLater(api, buyer, next.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('credit_frozen');

    t.clock.advance(DAY);
    const debts = await api('GET', '/ops/credit/overdue?page=1&pageSize=20', operator);
    expect(debts.statusCode, debts.body).toBe(200);
    expect(debts.json()).toMatchObject({ total: 1, totalFen: 9900 });
    expect(debts.json().items[0]).toMatchObject({
      orderId,
      amountFen: 9900,
      daysOverdue: 1,
      reminders: 1,
      buyerPhone: '136****0001',
    });

    // reminderDays later: a second reminder and another charge (which fails again)
    t.clock.advance(DAY);
    await t.services.credit.runBills();
    await settlePayments(t);
    await t.services.credit.runBills();
    const later = (await api('GET', '/credit/bills', buyer)).json();
    expect(later.items[0]).toMatchObject({ status: 'overdue', chargeAttempts: 2 });
    expect(later.reminders).toHaveLength(2);
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(9900);
  });
});
