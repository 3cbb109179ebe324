import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/modules/aftersale/index.ts';
import { accountBalance, trialBalance } from '../../src/modules/payments/index.ts';
import { postSignedWebhook, settlePayments } from '../support/payments.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** After-sale moves money: refunds charged to the merchant, shipping subsidies by the right party. */
describe('after-sale money', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let insured: string;
  let insuredStore: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  let insuredTee: { productId: string; skus: Map<string, string> };
  let phone = 13620000000;
  const newBuyer = async () => {
    phone += 1;
    return t.signIn(String(phone));
  };
  const sku = (key: string) => tee.skus.get(key) as string;
  const balance = (account: string) => accountBalance(t.db, account);
  const escrow = () => balance('order_escrow');
  /** The ledger transactions of a request's refunds and compensations (refunds.reference → refund id). */
  const ledgerOf = async (requestId: string) =>
    (
      await sql<{ kind: string }>`
        select lt.kind from ledger_transactions lt join refunds r on r.id::text = lt.reference
        where r.reference like ${`aftersale:${requestId}%`} order by lt.kind`.execute(t.db)
    ).rows.map((r) => r.kind);
  const settled = async (orderId: string) =>
    (
      await sql<{ n: number }>`
        select count(*)::int as n from ledger_transactions where kind = 'settlement' and reference = ${orderId}`.execute(
        t.db,
      )
    ).rows[0]?.n;
  const ask = async (buyer: string, body: Record<string, unknown>) => {
    const res = await api('POST', '/aftersale/requests', buyer, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().request;
  };

  /**
   * A one-line order returned in full: bought, asked back (size), approved, shipped back, received by
   * the merchant. Returns what the tests look at, with the return-shipping expense before receipt.
   */
  const returnOneLineOrder = async (skuKey: string, trackingNo: string) => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku(skuKey)]);
    const request = await ask(buyer, {
      orderId,
      skuId: sku(skuKey),
      kind: 'return_refund',
      reason: 'size_too_small',
    });
    await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    await api('POST', `/aftersale/requests/${request.id}/return-shipment`, buyer, {
      carrier: 'yto',
      trackingNo,
    });
    const shipping = await balance('platform_expense:return_shipping');
    const received = await api(
      'POST',
      `/merchant/aftersale/requests/${request.id}/return-received`,
      merchant,
    );
    return { buyer, orderId, request, shipping, received };
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13720000001', '新开小店'));
    ({ cookie: insured, storeId: insuredStore } = await apparelMerchant(t, '13720000002', '运费险小店'));
    await t.services.identity.provision('13920000000', 'operator', 'ops');
    operator = await t.signIn('13920000000', 'operator');
    tee = await createApparel(t, merchant, { sizes: TEE_SIZES, colors: ['黑色', '白色'] });
    insuredTee = await createApparel(t, insured, { sizes: TEE_SIZES, colors: ['黑色'] });
    const on = await api('PUT', '/merchant/aftersale/settings', insured, {
      lowPriceRefundOnly: false,
      shippingInsurance: true,
    });
    expect(on.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('refund-only of a low amount is approved by rule and refunded at once out of escrow', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('M|黑色')]);
    const before = await escrow();
    const request = await ask(buyer, {
      orderId,
      skuId: sku('M|黑色'),
      kind: 'refund_only',
      reason: 'quality',
      amountFen: 3000,
    });
    expect(request).toMatchObject({
      status: 'refunded',
      decidedByRule: 'low_amount_good_standing',
      decidedBy: 'system:rules',
      refundedFen: 3000,
      amountFen: 3000,
    });
    expect(await escrow()).toBe(before + 3000);
    expect(await ledgerOf(request.id)).toEqual(['refund']);
    await settlePayments(t);
    // the rest of the line can still be asked for, not more
    const more = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('M|黑色'),
      kind: 'refund_only',
      reason: 'quality',
      amountFen: 6901,
    });
    expect(more.json().error.code).toBe('amount_exceeds_line');
    // confirming receipt settles what is left to the merchant
    await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(await settled(orderId)).toBe(1);
  });

  it('the merchant approves refund-only above the threshold; the whole line back makes the order refunded', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('L|黑色')]);
    const request = await ask(buyer, {
      orderId,
      skuId: sku('L|黑色'),
      kind: 'refund_only',
      reason: 'quality',
    });
    expect(request).toMatchObject({ status: 'requested', amountFen: 9900 });
    const before = await escrow();
    const res = await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().request).toMatchObject({
      status: 'refunded',
      decidedByRule: 'merchant_decision',
      refundedFen: 9900,
    });
    expect(await escrow()).toBe(before + 9900);
    expect((await api('GET', `/orders/${orderId}`, buyer)).json().order.status).toBe('refunded');
    await settlePayments(t);
  });

  it('a store opted in for low-price goods has their refund-only approved by rule', async () => {
    const policy = structuredClone(DEFAULT_POLICY);
    policy.autoApprove.lowAmountMaxFen = 0;
    policy.autoApprove.lowPriceMaxFen = 9900;
    expect((await api('PUT', '/ops/aftersale/policy', operator, policy)).statusCode).toBe(200);
    try {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, merchant, [sku('XL|白色'), sku('L|白色')]);
      const waits = await ask(buyer, {
        orderId,
        skuId: sku('XL|白色'),
        kind: 'refund_only',
        reason: 'quality',
      });
      expect(waits.status).toBe('requested');
      await api('PUT', '/merchant/aftersale/settings', merchant, {
        lowPriceRefundOnly: true,
        shippingInsurance: false,
      });
      const auto = await ask(buyer, {
        orderId,
        skuId: sku('L|白色'),
        kind: 'refund_only',
        reason: 'quality',
      });
      expect(auto).toMatchObject({
        status: 'refunded',
        decidedByRule: 'merchant_low_price_opt_in',
        refundedFen: 9900,
      });
      await api('POST', `/aftersale/requests/${waits.id}/cancel`, buyer);
      await settlePayments(t);
    } finally {
      await api('PUT', '/ops/aftersale/policy', operator, DEFAULT_POLICY);
      await api('PUT', '/merchant/aftersale/settings', merchant, {
        lowPriceRefundOnly: false,
        shippingInsurance: false,
      });
    }
  });

  it("the merchant's silence approves refund-only after the SLA, and the money goes back", async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色')]);
    const request = await ask(buyer, { orderId, skuId: sku('S|黑色'), kind: 'refund_only', reason: 'other' });
    const before = await escrow();
    t.clock.advance(DEFAULT_POLICY.merchantSlaHours * HOUR);
    expect(await t.services.aftersale.slaDue()).toBeGreaterThanOrEqual(1);
    const got = (await api('GET', `/aftersale/requests/${request.id}`, buyer)).json();
    expect(got.request).toMatchObject({
      status: 'refunded',
      decidedByRule: 'sla_timeout',
      refundedFen: 9900,
    });
    expect(got.timeline.map((e: { action: string }) => e.action)).toEqual(['requested', 'approved_refunded']);
    expect(await escrow()).toBe(before + 9900);
    await settlePayments(t);
  });

  it('a parcel far overdue: "not received" is refunded by rule before delivery', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('XL|黑色')], 'paid');
    const shipped = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF99990000',
    });
    expect(shipped.statusCode).toBe(200);
    t.clock.advance(DEFAULT_POLICY.autoApprove.parcelOverdueDays * DAY);
    const request = await ask(buyer, {
      orderId,
      skuId: sku('XL|黑色'),
      kind: 'refund_only',
      reason: 'not_received',
    });
    expect(request).toMatchObject({ status: 'refunded', decidedByRule: 'parcel_overdue', refundedFen: 9900 });
    await settlePayments(t);
  });

  it('a return is refunded when the merchant confirms receipt; a new store’s return shipping is on the platform', async () => {
    const buyer = await newBuyer();
    // two lines: the payment has room for the shipping compensation besides the line's refund
    const orderId = await buyOrder(t, buyer, merchant, [sku('M|白色'), sku('S|白色')]);
    const request = await ask(buyer, {
      orderId,
      skuId: sku('M|白色'),
      kind: 'return_refund',
      reason: 'size_too_small',
    });
    const early = await api('POST', `/merchant/aftersale/requests/${request.id}/return-received`, merchant);
    expect(early.json().error.code).toBe('aftersale_state');
    await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    const back = await api('POST', `/aftersale/requests/${request.id}/return-shipment`, buyer, {
      carrier: 'yto',
      trackingNo: 'YT12345678',
    });
    expect(back.json().request).toMatchObject({
      status: 'returning',
      returnParcel: { carrier: 'yto', trackingNo: 'YT12345678', receivedAt: null },
    });
    // the buyer can no longer withdraw once the parcel is on its way
    expect((await api('POST', `/aftersale/requests/${request.id}/cancel`, buyer)).statusCode).toBe(409);
    const before = { escrow: await escrow(), shipping: await balance('platform_expense:return_shipping') };
    const payable = await balance(`merchant_payable:${storeId}`);
    const received = await api(
      'POST',
      `/merchant/aftersale/requests/${request.id}/return-received`,
      merchant,
    );
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().request).toMatchObject({
      status: 'refunded',
      refundedFen: 9900,
      shippingSubsidyFen: 800,
      shippingSubsidyFunder: 'platform',
    });
    expect(await escrow()).toBe(before.escrow + 9900);
    expect(await balance('platform_expense:return_shipping')).toBe(before.shipping + 800);
    expect(await balance(`merchant_payable:${storeId}`)).toBe(payable);
    expect(await ledgerOf(request.id)).toEqual(['refund', 'shipping_subsidy']);
    await settlePayments(t);
  });

  it('a full return of a one-line order: the line is refunded and the subsidy paid out (a provider payout)', async () => {
    const { orderId, request, shipping, received } = await returnOneLineOrder('L|白色', 'YT87654321');
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().request).toMatchObject({
      status: 'refunded',
      refundedFen: 9900,
      shippingSubsidyFen: 800,
      shippingSubsidyFunder: 'platform',
    });
    expect(await balance('platform_expense:return_shipping')).toBe(shipping + 800);
    expect(await ledgerOf(request.id)).toEqual(['refund', 'shipping_subsidy']);
    await settlePayments(t);
    // The refund is of the capture (all of it); the subsidy is a payout beside it, paid at the provider.
    const rows = (
      await sql<{ paid_as: string; status: string; amount_fen: number }>`
        select paid_as, status, amount_fen::int as amount_fen from refunds
        where reference like ${`aftersale:${request.id}%`} order by paid_as`.execute(t.db)
    ).rows;
    expect(rows).toEqual([
      { paid_as: 'payout', status: 'succeeded', amount_fen: 800 },
      { paid_as: 'refund', status: 'succeeded', amount_fen: 9900 },
    ]);
    const payment = (
      await sql<{ amount_fen: number; refunded_fen: number }>`
        select p.amount_fen::int as amount_fen, p.refunded_fen::int as refunded_fen from payments p
        join payment_orders po on po.payment_id = p.id where po.order_id = ${orderId}`.execute(t.db)
    ).rows[0];
    expect(payment?.refunded_fen).toBe(payment?.amount_fen);
    // The provider's payout is idempotent on our id: sent again, it pays nothing more.
    const payout = (
      await sql<{ id: string; provider_ref: string }>`
        select id, provider_ref from refunds where reference = ${`aftersale:${request.id}:return_shipping`}`.execute(
        t.db,
      )
    ).rows[0];
    await t.services.sandboxPayments.payout({
      payoutId: payout?.id as string,
      providerRef: payout?.provider_ref as string,
      amountFen: 800,
    });
    await settlePayments(t);
    const atProvider = (
      await sql<{ n: number }>`
        select count(*)::int as n from sandbox_provider_payouts where merchant_reference = ${payout?.id}`.execute(
        t.db,
      )
    ).rows[0];
    expect(atProvider?.n).toBe(1);
    expect((await trialBalance(t.db)).totalFen).toBe(0);
    const run = await t.services.payments.reconcile('schedule');
    expect(run.differences).toEqual([]);
    expect(run.inFlight).toBe(0);
  });

  it('a payout the provider fails is marked failed and reversed in the ledger; reconciliation stays clean', async () => {
    const { request, shipping, received } = await returnOneLineOrder('XL|白色', 'YT11223344');
    expect(received.statusCode, received.body).toBe(200);
    expect(await balance('platform_expense:return_shipping')).toBe(shipping + 800);
    const payout = (
      await sql<{ id: string; payment_id: string; provider_ref: string }>`
        select r.id, r.payment_id, p.provider_ref from refunds r join payments p on p.id = r.payment_id
        where r.reference = ${`aftersale:${request.id}:return_shipping`} and r.paid_as = 'payout'`.execute(
        t.db,
      )
    ).rows[0];
    expect(payout).toBeDefined();
    const body = JSON.stringify({
      id: `evt_payout_failed_${request.id}`,
      type: 'payout.failed',
      data: {
        paymentId: payout?.payment_id,
        providerRef: payout?.provider_ref,
        amountFen: 800,
        currency: 'CNY',
        payoutId: payout?.id,
        failureReason: 'account_closed',
      },
    });
    for (let i = 0; i < 2; i += 1) {
      const hook = await postSignedWebhook(t, body);
      expect(hook.statusCode, hook.body).toBe(200);
      expect(hook.json().duplicate).toBe(i === 1);
    }
    await settlePayments(t);
    const row = (
      await sql<{ status: string }>`select status from refunds where id = ${payout?.id}`.execute(t.db)
    ).rows[0];
    expect(row?.status).toBe('failed');
    expect(await balance('platform_expense:return_shipping')).toBe(shipping);
    expect((await trialBalance(t.db)).totalFen).toBe(0);
    const run = await t.services.payments.reconcile('schedule');
    expect(run.differences).toEqual([]);
  });

  it("an insured store pays its buyer's return shipping; the receipt SLA refunds by itself", async () => {
    const buyer = await newBuyer();
    const skuId = insuredTee.skus.get('M|黑色') as string;
    const orderId = await buyOrder(t, buyer, insured, [skuId, insuredTee.skus.get('L|黑色') as string]);
    const request = await ask(buyer, { orderId, skuId, kind: 'return_refund', reason: 'quality' });
    await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, insured, {
      decision: 'approve',
    });
    await api('POST', `/aftersale/requests/${request.id}/return-shipment`, buyer, {
      carrier: 'sf',
      trackingNo: 'SF55556666',
    });
    const shipping = await balance('platform_expense:return_shipping');
    const payable = await balance(`merchant_payable:${insuredStore}`);
    t.clock.advance(DEFAULT_POLICY.returnReceiptSlaHours * HOUR);
    await t.services.aftersale.slaDue();
    const got = (await api('GET', `/aftersale/requests/${request.id}`, buyer)).json().request;
    expect(got).toMatchObject({
      status: 'refunded',
      shippingSubsidyFen: 800,
      shippingSubsidyFunder: 'merchant',
    });
    expect(got.returnParcel.receivedAt).not.toBeNull();
    expect(await balance('platform_expense:return_shipping')).toBe(shipping);
    expect(await balance(`merchant_payable:${insuredStore}`)).toBe(payable + 800);
    await settlePayments(t);
  });

  it('settlement waits for the open refund request, then settles what is left', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|白色'), sku('L|白色')]);
    const request = await ask(buyer, {
      orderId,
      skuId: sku('S|白色'),
      kind: 'refund_only',
      reason: 'quality',
    });
    expect(request.status).toBe('requested');
    const confirmed = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(confirmed.json().order.status).toBe('completed');
    expect(await settled(orderId)).toBe(0);
    const payable = await balance(`merchant_payable:${storeId}`);
    await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    expect(await settled(orderId)).toBe(1);
    // the merchant is paid for the line kept only (less commission)
    const paid = payable - (await balance(`merchant_payable:${storeId}`));
    expect(paid).toBeGreaterThan(0);
    expect(paid).toBeLessThanOrEqual(9900);
    await settlePayments(t);
  });

  it('a refund after settlement is clawed back from the merchant', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('XL|白色')]);
    await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(await settled(orderId)).toBe(1);
    const payable = await balance(`merchant_payable:${storeId}`);
    const request = await ask(buyer, {
      orderId,
      skuId: sku('XL|白色'),
      kind: 'refund_only',
      reason: 'quality',
    });
    await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    const clawed = (await balance(`merchant_payable:${storeId}`)) - payable;
    expect(clawed).toBeGreaterThan(0);
    expect(clawed).toBeLessThanOrEqual(9900);
    await settlePayments(t);
  });

  it('abuse: a buyer beyond the amount limit goes to review; the operator approves and the money moves', async () => {
    const policy = structuredClone(DEFAULT_POLICY);
    policy.abuse.maxAmountFen30d = 5000;
    expect((await api('PUT', '/ops/aftersale/policy', operator, policy)).statusCode).toBe(200);
    try {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, merchant, [sku('M|黑色')]);
      const request = await ask(buyer, {
        orderId,
        skuId: sku('M|黑色'),
        kind: 'refund_only',
        reason: 'quality',
      });
      expect(request).toMatchObject({ status: 'review' });
      const ok = await api('POST', `/ops/aftersale/requests/${request.id}/decision`, operator, {
        decision: 'approve',
      });
      expect(ok.json().request).toMatchObject({
        status: 'refunded',
        decidedByRule: 'operator_decision',
        refundedFen: 9900,
      });
      await settlePayments(t);
    } finally {
      await api('PUT', '/ops/aftersale/policy', operator, DEFAULT_POLICY);
    }
  });
});
