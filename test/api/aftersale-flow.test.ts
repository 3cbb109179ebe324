import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/modules/aftersale/index.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;

describe('after-sale flow: rules, SLA, review, exchange, settlement holds', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let otherMerchant: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  let phone = 13610000000;
  const newBuyer = async () => {
    phone += 1;
    return t.signIn(String(phone));
  };
  const sku = (key: string) => tee.skus.get(key) as string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13710000001', '售后服饰'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13710000002', '别家服饰'));
    await t.services.identity.provision('13910000000', 'operator', 'ops');
    operator = await t.signIn('13910000000', 'operator');
    tee = await createApparel(t, merchant, { sizes: TEE_SIZES, colors: ['黑色', '白色'] });
  });
  afterAll(async () => t?.close());

  const settlements = async (orderId: string) =>
    (
      await sql<{ n: number }>`
        select count(*)::int as n from ledger_transactions where kind = 'settlement' and reference = ${orderId}`.execute(
        t.db,
      )
    ).rows[0]?.n;

  it('a return waits for the merchant with a due time; a rejection needs a reason and records the rule', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('M|黑色')]);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('M|黑色'),
      kind: 'return_refund',
      reason: 'quality',
    });
    expect(res.statusCode, res.body).toBe(201);
    const request = res.json().request;
    expect(request).toMatchObject({
      status: 'requested',
      kind: 'return_refund',
      quantity: 1,
      amountFen: 9900,
    });
    expect(request.dueAt).toBe(new Date(t.clock.now().getTime() + 48 * HOUR).toISOString());

    const queue = (await api('GET', '/merchant/aftersale/requests', merchant)).json().items;
    expect(queue[0]).toMatchObject({ id: request.id, dueAt: request.dueAt });
    expect((await api('GET', '/merchant/aftersale/requests', otherMerchant)).json().items).toEqual([]);
    const foreign = await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, otherMerchant, {
      decision: 'approve',
    });
    expect(foreign.statusCode).toBe(404);

    const bare = await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'reject',
    });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.code).toBe('reason_required');
    const rejected = await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'reject',
      note: '已超过退货期',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().request).toMatchObject({
      status: 'rejected',
      decidedByRule: 'merchant_decision',
      decisionNote: '已超过退货期',
      dueAt: null,
    });
    expect(rejected.json().request.decidedBy).toMatch(/^merchant:/);
    const again = await api('POST', `/merchant/aftersale/requests/${request.id}/decision`, merchant, {
      decision: 'approve',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('aftersale_state');

    const detail = (await api('GET', `/aftersale/requests/${request.id}`, buyer)).json();
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(['requested', 'rejected']);
    expect(detail.timeline[1]).toMatchObject({
      fromStatus: 'requested',
      toStatus: 'rejected',
      rule: 'merchant_decision',
    });
    // a closed request frees the line: the buyer may ask again
    const retry = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('M|黑色'),
      reason: 'quality',
    });
    expect(retry.statusCode, retry.body).toBe(201);
  });

  it('409 for a second open request on a line and for an undelivered order; 422 for too many units', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色')]);
    const paid = await buyOrder(t, buyer, merchant, [sku('S|白色')], 'paid');
    const first = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('S|黑色'),
      reason: 'other',
    });
    expect(first.statusCode).toBe(201);
    const before = await dbFingerprint(t.db);
    const second = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('S|黑色'),
      kind: 'exchange',
      exchangeSkuId: sku('M|黑色'),
      reason: 'size_too_small',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('request_exists');
    const early = await api('POST', '/aftersale/requests', buyer, {
      orderId: paid,
      skuId: sku('S|白色'),
      kind: 'refund_only',
      reason: 'quality',
    });
    expect(early.json().error.code).toBe('not_delivered');
    const notReceived = await api('POST', '/aftersale/requests', buyer, {
      orderId: paid,
      skuId: sku('S|白色'),
      kind: 'refund_only',
      reason: 'not_received',
    });
    expect(notReceived.json().error.code).toBe('not_delivered');
    for (const [body, code] of [
      [{ quantity: 2 }, 'quantity_exceeds_line'],
      [{ amountFen: 9901 }, 'amount_exceeds_line'],
      [{ kind: 'exchange' }, 'exchange_sku_required'],
      [{ kind: 'exchange', exchangeSkuId: sku('S|黑色') }, 'exchange_sku_invalid'],
      [{ exchangeSkuId: sku('M|黑色') }, 'exchange_sku_unexpected'],
    ] as const) {
      const res = await api('POST', '/aftersale/requests', buyer, {
        orderId,
        skuId: sku('S|黑色'),
        reason: 'other',
        ...body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().error.code).toBe(code);
    }
    expect(await dbFingerprint(t.db)).toEqual(before);
    // the buyer withdraws: closed, and a new request is possible
    const cancelled = await api('POST', `/aftersale/requests/${first.json().request.id}/cancel`, buyer);
    expect(cancelled.json().request.status).toBe('cancelled');
    expect(
      (await api('POST', `/aftersale/requests/${first.json().request.id}/cancel`, buyer)).statusCode,
    ).toBe(409);
  });

  it('an exchange reserves the new size, and the merchant ships the replacement', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('L|白色')]);
    const stockOf = async (id: string) =>
      (
        await sql<{
          stock: number;
          reserved: number;
        }>`select stock, reserved from skus where id = ${id}`.execute(t.db)
      ).rows[0];
    const before = await stockOf(sku('XL|白色'));
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('L|白色'),
      kind: 'exchange',
      reason: 'size_too_small',
      exchangeSkuId: sku('XL|白色'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().request.id;
    expect(res.json().request).toMatchObject({
      kind: 'exchange',
      status: 'requested',
      exchangeSkuId: sku('XL|白色'),
    });
    expect(await stockOf(sku('XL|白色'))).toEqual({ stock: before.stock - 1, reserved: before.reserved + 1 });
    const early = await api('POST', `/merchant/aftersale/requests/${id}/replacement-shipment`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF00001111',
    });
    expect(early.statusCode).toBe(409);
    const key = { 'idempotency-key': `decide-${id}` };
    const url = `/merchant/aftersale/requests/${id}/decision`;
    const ok = await api('POST', url, merchant, { decision: 'approve' }, key);
    expect(ok.json().request).toMatchObject({ status: 'approved', decidedByRule: 'merchant_decision' });
    // a retry with the same key gets the first answer; the key for another decision is a 409
    const retry = await api('POST', url, merchant, { decision: 'approve' }, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(ok.json());
    const misused = await api('POST', url, merchant, { decision: 'reject', note: '不行' }, key);
    expect(misused.json().error.code).toBe('idempotency_key_reused');
    const shipped = await api('POST', `/merchant/aftersale/requests/${id}/replacement-shipment`, merchant, {
      carrier: 'sf',
      trackingNo: 'SF00001111',
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json().request).toMatchObject({
      status: 'exchanged',
      refundedFen: 0,
      replacementParcel: { carrier: 'sf', trackingNo: 'SF00001111' },
    });
    expect(await stockOf(sku('XL|白色'))).toEqual({ stock: before.stock - 1, reserved: before.reserved });
  });

  it('a cancelled exchange gives the reserved size back', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('L|黑色')]);
    const stock = async () =>
      (await sql<{ stock: number }>`select stock from skus where id = ${sku('XL|黑色')}`.execute(t.db))
        .rows[0]?.stock;
    const before = await stock();
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('L|黑色'),
      kind: 'exchange',
      reason: 'size_too_small',
      exchangeSkuId: sku('XL|黑色'),
    });
    expect(await stock()).toBe((before ?? 0) - 1);
    await api('POST', `/aftersale/requests/${res.json().request.id}/cancel`, buyer);
    expect(await stock()).toBe(before);
  });

  it("the merchant's silence approves after the SLA; a return never shipped closes", async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('XL|黑色')]);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('XL|黑色'),
      reason: 'changed_mind',
    });
    const id = res.json().request.id;
    t.clock.advance(47 * HOUR);
    await t.services.aftersale.slaDue();
    expect((await api('GET', `/aftersale/requests/${id}`, buyer)).json().request.status).toBe('requested');
    t.clock.advance(1 * HOUR);
    expect(await t.services.aftersale.slaDue()).toBeGreaterThanOrEqual(1);
    const approved = (await api('GET', `/aftersale/requests/${id}`, buyer)).json();
    expect(approved.request).toMatchObject({
      status: 'approved',
      decidedByRule: 'sla_timeout',
      decidedBy: 'system:sla',
    });
    expect(approved.request.dueAt).toBe(new Date(t.clock.now().getTime() + 7 * 24 * HOUR).toISOString());
    t.clock.advance(7 * 24 * HOUR);
    await t.services.aftersale.slaDue();
    const closed = (await api('GET', `/aftersale/requests/${id}`, buyer)).json();
    expect(closed.request.status).toBe('cancelled');
    expect(closed.timeline.at(-1)).toMatchObject({
      action: 'return_not_shipped',
      rule: 'return_not_shipped',
    });
  });

  it('settlement waits for the open request: completed but not settled until it closes', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('M|白色')]);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: sku('M|白色'),
      reason: 'quality',
    });
    const confirmed = await api('POST', `/orders/${orderId}/confirm-receipt`, buyer);
    expect(confirmed.json().order.status).toBe('completed');
    expect(await settlements(orderId)).toBe(0);
    await api('POST', `/merchant/aftersale/requests/${res.json().request.id}/decision`, merchant, {
      decision: 'reject',
      note: '不影响使用',
    });
    expect(await settlements(orderId)).toBe(1);
  });

  it('delivered orders are confirmed by themselves after the policy’s days, settled unless held', async () => {
    const buyer = await newBuyer();
    const free = await buyOrder(t, buyer, merchant, [sku('S|黑色')]);
    const held = await buyOrder(t, buyer, merchant, [sku('S|白色')]);
    const res = await api('POST', '/aftersale/requests', buyer, {
      orderId: held,
      skuId: sku('S|白色'),
      reason: 'other',
    });
    const days = await t.services.aftersale.autoConfirmDays();
    expect(days).toBe(DEFAULT_POLICY.autoConfirmDays);
    t.clock.advance(days * 24 * HOUR - HOUR);
    await t.services.orders.autoConfirmDue(days);
    expect((await api('GET', `/orders/${free}`, buyer)).json().order.status).toBe('delivered');
    t.clock.advance(2 * HOUR);
    expect(await t.services.orders.autoConfirmDue(days)).toBeGreaterThanOrEqual(2);
    const order = (await api('GET', `/orders/${free}`, buyer)).json().order;
    expect(order.status).toBe('completed');
    expect(order.events.at(-1)).toMatchObject({ to: 'completed', actor: 'system:auto-confirm' });
    expect(await settlements(free)).toBe(1);
    expect(await settlements(held)).toBe(0);
    await api('POST', `/aftersale/requests/${res.json().request.id}/cancel`, buyer);
    expect(await settlements(held)).toBe(1);
  });

  it('abuse limits send refund-only to operator review, where an operator decides', async () => {
    const policy = structuredClone(DEFAULT_POLICY);
    policy.abuse.maxCount30d = 1;
    const put = await api('PUT', '/ops/aftersale/policy', operator, policy);
    expect(put.statusCode, put.body).toBe(200);
    try {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, merchant, [sku('M|黑色'), sku('L|黑色')]);
      const first = await api('POST', '/aftersale/requests', buyer, {
        orderId,
        skuId: sku('M|黑色'),
        reason: 'quality',
      });
      expect(first.json().request.status).toBe('requested');
      const second = await api('POST', '/aftersale/requests', buyer, {
        orderId,
        skuId: sku('L|黑色'),
        kind: 'refund_only',
        reason: 'quality',
      });
      expect(second.statusCode, second.body).toBe(201);
      expect(second.json().request).toMatchObject({ status: 'review', dueAt: null });
      const id = second.json().request.id;
      const detail = (await api('GET', `/ops/aftersale/requests/${id}`, operator)).json();
      expect(detail.timeline.at(-1)).toMatchObject({
        action: 'flagged',
        rule: 'abuse_count_limit',
        actor: 'system:rules',
      });
      const queue = (await api('GET', '/ops/aftersale/requests?status=review', operator)).json().items;
      expect(queue.map((r: { id: string }) => r.id)).toContain(id);
      // the merchant cannot decide a request in review
      const byMerchant = await api('POST', `/merchant/aftersale/requests/${id}/decision`, merchant, {
        decision: 'approve',
      });
      expect(byMerchant.statusCode).toBe(409);
      const rejected = await api('POST', `/ops/aftersale/requests/${id}/decision`, operator, {
        decision: 'reject',
        note: '30天内申请过多',
      });
      expect(rejected.json().request).toMatchObject({
        status: 'rejected',
        decidedByRule: 'operator_decision',
      });
      expect(rejected.json().request.decidedBy).toMatch(/^operator:/);
    } finally {
      await api('PUT', '/ops/aftersale/policy', operator, DEFAULT_POLICY);
    }
  });

  it('the policy is validated, and store settings belong to the store', async () => {
    const got = (await api('GET', '/ops/aftersale/policy', operator)).json();
    expect(got.policy).toEqual(DEFAULT_POLICY);
    for (const bad of [
      { ...DEFAULT_POLICY, merchantSlaHours: 0 },
      { ...DEFAULT_POLICY, abuse: { maxCount30d: -1, maxAmountFen30d: 1 } },
      { ...DEFAULT_POLICY, extra: 1 },
      { ...DEFAULT_POLICY, autoConfirmDays: 1.5 },
    ]) {
      expect((await api('PUT', '/ops/aftersale/policy', operator, bad)).statusCode).toBe(400);
    }
    expect((await api('PUT', '/ops/aftersale/policy', merchant, DEFAULT_POLICY)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/aftersale/settings', merchant)).json()).toEqual({
      lowPriceRefundOnly: false,
      shippingInsurance: false,
    });
    const set = await api('PUT', '/merchant/aftersale/settings', merchant, {
      lowPriceRefundOnly: true,
      shippingInsurance: true,
    });
    expect(set.json()).toEqual({ lowPriceRefundOnly: true, shippingInsurance: true });
    expect((await api('GET', '/merchant/aftersale/settings', otherMerchant)).json().shippingInsurance).toBe(
      false,
    );
    await api('PUT', '/merchant/aftersale/settings', merchant, {
      lowPriceRefundOnly: false,
      shippingInsurance: false,
    });
    expect(storeId).toBeTruthy();
  });
});
