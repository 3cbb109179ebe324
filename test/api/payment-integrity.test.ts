import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance, trialBalance } from '../../src/modules/payments/index.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { postSignedWebhook, settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Money that must match the provider: forged amounts, cancelling while a payment is in flight,
 * idempotent cancel / confirm-receipt, and a multi-store checkout paid after one order was cancelled.
 */
let t: TestApp;
let api: ReturnType<typeof apiOf>;
let storeA: string;
let storeB: string;
let merchantA: string;
let buyers = 0;

const nextBuyer = () => {
  buyers += 1;
  return t.signIn(`1361111${String(buyers).padStart(4, '0')}`);
};

/** A checkout of one new SKU per price, each SKU in the given store (one order per store). */
async function checkout(buyer: string, items: Array<{ storeId: string; priceFen: number }>) {
  const lines = [];
  for (const item of items) {
    const { skuIds } = await createProduct(t.db, item.storeId, {
      skus: [{ priceFen: item.priceFen, stock: 5 }],
    });
    lines.push({ skuId: skuIds[0] as string, quantity: 1 });
  }
  const res = await api(
    'POST',
    '/checkouts',
    buyer,
    { lines, address: testAddress },
    idempotent(`co-${lines[0]?.skuId}`),
  );
  if (res.statusCode !== 201) throw new Error(res.body);
  const co = res.json().checkout as {
    id: string;
    totalFen: number;
    orders: Array<{ id: string; storeId: string; totalFen: number }>;
  };
  return co;
}

const pay = (buyer: string, checkoutId: string, key = `pay-${checkoutId}`) =>
  api('POST', `/checkouts/${checkoutId}/pay`, buyer, undefined, idempotent(key));

const paymentRow = async (checkoutId: string) =>
  (
    await sql<{
      id: string;
      status: string;
      provider_ref: string | null;
      amount_fen: number;
      refunded_fen: number;
    }>`
      select id, status, provider_ref, amount_fen::int, refunded_fen::int from payments
      where checkout_id = ${checkoutId} order by created_at desc limit 1`.execute(t.db)
  ).rows[0];

const orderStatus = async (buyer: string, orderId: string) =>
  (await api('GET', `/orders/${orderId}`, buyer)).json().order.status as string;

const postEvent = (event: object) => postSignedWebhook(t, JSON.stringify(event));

beforeAll(async () => {
  t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
  api = apiOf(t);
  merchantA = await t.signIn('13711110001', 'merchant');
  storeA = (await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13711110001') })).storeId;
  storeB = (await createStore(t.db)).storeId;
});
afterAll(async () => t.close());
afterEach(async () => {
  expect((await trialBalance(t.db)).totalFen).toBe(0);
});

describe('provider events that do not match the payment', () => {
  it('records and alerts a correctly signed capture for 1 fen of 3,998, and applies nothing', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 3998 }]);
    const paymentId = (await pay(buyer, co.id)).json().payment.id as string;
    const providerRef = (await paymentRow(co.id))?.provider_ref as string;
    const clearingBefore = await accountBalance(t.db, 'provider_clearing');
    const forged = {
      id: `evt_forged_amount_${paymentId}`,
      type: 'payment.captured',
      data: { paymentId, providerRef, amountFen: 1, currency: 'CNY' },
    };
    const res = await postEvent(forged);
    expect(res.statusCode).toBe(200); // received (the provider must not retry it), but not applied
    expect(res.json()).toMatchObject({ received: true, applied: false, anomaly: 'amount_mismatch' });
    expect((await paymentRow(co.id))?.status).toBe('created');
    expect(await orderStatus(buyer, co.orders[0]?.id as string)).toBe('pending_payment');
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearingBefore);

    // A wrong currency for the right amount is refused the same way.
    const wrongCurrency = await postEvent({
      id: `evt_forged_currency_${paymentId}`,
      type: 'payment.captured',
      data: { paymentId, providerRef, amountFen: 3998, currency: 'USD' },
    });
    expect(wrongCurrency.json()).toMatchObject({ applied: false, anomaly: 'currency_mismatch' });
    expect((await paymentRow(co.id))?.status).toBe('created');

    // Operators see both, with what was expected and what came.
    await t.services.identity.provision('13911110000', 'operator', 'ops');
    const ops = await t.signIn('13911110000', 'operator');
    const list = await api('GET', '/ops/payment-anomalies', ops);
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.filter((a: { paymentId: string }) => a.paymentId === paymentId);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventId: forged.id,
          kind: 'amount_mismatch',
          expectedAmountFen: 3998,
          receivedAmountFen: 1,
          expectedCurrency: 'CNY',
          receivedCurrency: 'CNY',
        }),
        expect.objectContaining({
          kind: 'currency_mismatch',
          receivedCurrency: 'USD',
          receivedAmountFen: 3998,
        }),
      ]),
    );
    expect((await api('GET', '/ops/payment-anomalies', buyer)).statusCode).toBe(403);

    // A replay of the forged event adds nothing; the real provider's events still pay the order in full.
    const before = await dbFingerprint(t.db);
    expect((await postEvent(forged)).json()).toMatchObject({ duplicate: true });
    expect(await dbFingerprint(t.db)).toBe(before);
    await settlePayments(t);
    expect(await paymentRow(co.id)).toMatchObject({ status: 'captured', amount_fen: 3998 });
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearingBefore + 3998);
  });

  it('refuses a mismatched authorization and refund event too', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 5000 }]);
    const paymentId = (await pay(buyer, co.id)).json().payment.id as string;
    const providerRef = (await paymentRow(co.id))?.provider_ref as string;
    const auth = await postEvent({
      id: `evt_auth_low_${paymentId}`,
      type: 'payment.authorized',
      data: { paymentId, providerRef, amountFen: 4999, currency: 'CNY' },
    });
    expect(auth.json()).toMatchObject({ applied: false, anomaly: 'amount_mismatch' });
    expect((await paymentRow(co.id))?.status).toBe('created');
    await settlePayments(t);
    expect((await api('POST', `/orders/${co.orders[0]?.id}/cancel`, buyer)).statusCode).toBe(200);
    const refund = await sql<{
      id: string;
    }>`select id from refunds where order_id = ${co.orders[0]?.id}`.execute(t.db);
    const refundId = refund.rows[0]?.id as string;
    const bigRefund = await postEvent({
      id: `evt_refund_big_${refundId}`,
      type: 'refund.succeeded',
      data: { paymentId, providerRef, amountFen: 50_000, currency: 'CNY', refundId },
    });
    expect(bigRefund.json()).toMatchObject({ applied: false, anomaly: 'amount_mismatch' });
    const status = await sql<{ status: string }>`select status from refunds where id = ${refundId}`.execute(
      t.db,
    );
    expect(status.rows[0]?.status).toBe('requested');
    await settlePayments(t);
    const done = await sql<{ status: string }>`select status from refunds where id = ${refundId}`.execute(
      t.db,
    );
    expect(done.rows[0]?.status).toBe('succeeded');
  });
});

describe('cancelling while a payment is in flight', () => {
  it('answers 409 payment_in_progress, and the order is paid, never charged then refunded', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 2500 }]);
    const orderId = co.orders[0]?.id as string;
    expect((await pay(buyer, co.id)).statusCode).toBe(202);
    const before = await dbFingerprint(t.db);
    const res = await api('POST', `/orders/${orderId}/cancel`, buyer);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('payment_in_progress');
    expect(await dbFingerprint(t.db)).toBe(before);
    // Authorized (capture queued) is still in flight.
    expect(await t.services.sandboxPayments.deliverDue()).toBe(1);
    expect((await api('POST', `/orders/${orderId}/cancel`, buyer)).json().error?.code).toBe(
      'payment_in_progress',
    );
    await settlePayments(t);
    expect(await orderStatus(buyer, orderId)).toBe('paid');
    expect(await paymentRow(co.id)).toMatchObject({ status: 'captured', refunded_fen: 0 });
    const refunds = await sql<{
      n: number;
    }>`select count(*)::int as n from refunds where order_id = ${orderId}`.execute(t.db);
    expect(refunds.rows[0]?.n).toBe(0);
  });

  it('lets the buyer cancel once the payment failed', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 2600 }]);
    const sandbox = t.services.sandboxPayments as unknown as {
      random: () => number;
      options: { failRate: number };
    };
    const real = { random: sandbox.random, failRate: sandbox.options.failRate };
    sandbox.random = () => 0;
    sandbox.options.failRate = 1;
    try {
      await pay(buyer, co.id);
    } finally {
      sandbox.random = real.random;
      sandbox.options.failRate = real.failRate;
    }
    await settlePayments(t);
    expect((await paymentRow(co.id))?.status).toBe('failed');
    const res = await api('POST', `/orders/${co.orders[0]?.id}/cancel`, buyer);
    expect(res.statusCode).toBe(200);
    expect(res.json().order.status).toBe('cancelled');
  });
});

describe('Idempotency-Key on cancel and confirm-receipt', () => {
  it('replays the first cancel for a retry with the same key, and refunds once', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 3100 }]);
    const orderId = co.orders[0]?.id as string;
    await pay(buyer, co.id);
    await settlePayments(t);
    const key = idempotent(`cancel-${orderId}`);
    const first = await api('POST', `/orders/${orderId}/cancel`, buyer, undefined, key);
    expect(first.statusCode).toBe(200);
    expect(first.json().order).toMatchObject({
      status: 'cancelled',
      closeReason: 'buyer_cancelled_refunded',
    });
    const before = await dbFingerprint(t.db);
    const retry = await api('POST', `/orders/${orderId}/cancel`, buyer, undefined, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await dbFingerprint(t.db)).toBe(before);
    expect((await paymentRow(co.id))?.refunded_fen).toBe(3100);
    // Without the key, a second cancel is still an illegal transition.
    expect((await api('POST', `/orders/${orderId}/cancel`, buyer)).statusCode).toBe(409);
    // The same key for another order is a different request.
    const other = await checkout(buyer, [{ storeId: storeA, priceFen: 3200 }]);
    const reused = await api('POST', `/orders/${other.orders[0]?.id}/cancel`, buyer, undefined, key);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect(await orderStatus(buyer, other.orders[0]?.id as string)).toBe('pending_payment');
    await settlePayments(t);
  });

  it('replays the first confirm-receipt, settles once, and refuses the key for another request', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [{ storeId: storeA, priceFen: 4400 }]);
    const orderId = co.orders[0]?.id as string;
    await pay(buyer, co.id);
    await settlePayments(t);
    const shipped = await api('POST', `/merchant/orders/${orderId}/ship`, merchantA, {
      carrier: 'yto',
      trackingNo: 'YT0000111122',
    });
    expect(shipped.statusCode).toBe(200);
    const key = idempotent(`confirm-${orderId}`);
    const first = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer, undefined, key);
    expect(first.statusCode).toBe(200);
    expect(first.json().order.status).toBe('completed');
    const payable = await accountBalance(t.db, `merchant_payable:${storeA}`);
    const before = await dbFingerprint(t.db);
    const retry = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer, undefined, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await dbFingerprint(t.db)).toBe(before);
    expect(await accountBalance(t.db, `merchant_payable:${storeA}`)).toBe(payable);
    // The same key used to cancel the same order: a different request.
    const reused = await api('POST', `/orders/${orderId}/cancel`, buyer, undefined, key);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
  });
});

describe('a multi-store checkout with one order cancelled before paying', () => {
  it('pays the remaining order for its own amount only; the payment records the orders it covers', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [
      { storeId: storeA, priceFen: 1200 },
      { storeId: storeB, priceFen: 3400 },
    ]);
    expect(co.orders).toHaveLength(2);
    const cancelled = co.orders.find((o) => o.storeId === storeA) as { id: string };
    const kept = co.orders.find((o) => o.storeId === storeB) as { id: string; totalFen: number };
    expect((await api('POST', `/orders/${cancelled.id}/cancel`, buyer)).statusCode).toBe(200);
    const clearingBefore = await accountBalance(t.db, 'provider_clearing');

    const res = await pay(buyer, co.id);
    expect(res.statusCode).toBe(202);
    const paymentId = res.json().payment.id as string;
    expect((await paymentRow(co.id))?.amount_fen).toBe(3400);
    const covered = await sql<{ order_id: string; amount_fen: number }>`
      select order_id, amount_fen::int from payment_orders where payment_id = ${paymentId}`.execute(t.db);
    expect(covered.rows).toEqual([{ order_id: kept.id, amount_fen: 3400 }]);
    await settlePayments(t);

    expect(await orderStatus(buyer, kept.id)).toBe('paid');
    expect(await orderStatus(buyer, cancelled.id)).toBe('cancelled');
    expect(await paymentRow(co.id)).toMatchObject({ status: 'captured', amount_fen: 3400, refunded_fen: 0 });
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearingBefore + 3400);
    const charge = await sql<{ captured_fen: number }>`
      select captured_fen::int from sandbox_provider_charges where merchant_reference = ${paymentId}`.execute(
      t.db,
    );
    expect(charge.rows[0]?.captured_fen).toBe(3400);
    // No refund for the order the payment never covered.
    const refunds = await sql<{
      n: number;
    }>`select count(*)::int as n from refunds where payment_id = ${paymentId}`.execute(t.db);
    expect(refunds.rows[0]?.n).toBe(0);
    // Cancelling the paid order refunds exactly its amount.
    expect((await api('POST', `/orders/${kept.id}/cancel`, buyer)).statusCode).toBe(200);
    await settlePayments(t);
    expect((await paymentRow(co.id))?.refunded_fen).toBe(3400);
    expect(await accountBalance(t.db, 'provider_clearing')).toBe(clearingBefore);
    // Nothing left to pay.
    const again = await pay(buyer, co.id, `pay-again-${co.id}`);
    expect(again.json().payment?.id ?? again.json().error?.code).toBe(paymentId);
  });

  it('refuses to pay a checkout whose orders are all cancelled', async () => {
    const buyer = await nextBuyer();
    const co = await checkout(buyer, [
      { storeId: storeA, priceFen: 1300 },
      { storeId: storeB, priceFen: 1400 },
    ]);
    for (const o of co.orders)
      expect((await api('POST', `/orders/${o.id}/cancel`, buyer)).statusCode).toBe(200);
    const res = await pay(buyer, co.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('checkout_not_payable');
  });
});
