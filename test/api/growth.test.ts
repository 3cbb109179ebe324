import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNTS, accountBalance } from '../../src/modules/payments/index.ts';
import { deliverEvents } from '../support/events.ts';
import {
  apiOf,
  apparelMerchant,
  buyOrder,
  createApparel,
  TEE_CHART,
  TEE_SIZES,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;

/**
 * The newbie village (steps detected, rewards granted once) and the incentive programmes (first-sale
 * GMV rebate net of refunds, capped, paid once at the period's end within the budget), on a ManualClock.
 */
describe('growth: newbie village and incentives', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;
  let buyer: string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    await t.services.identity.provision('13900000151', 'operator', 'ops');
    operator = await t.signIn('13900000151', 'operator');
    buyer = await t.signIn('13600000151');
  });
  afterAll(async () => t?.close());

  const village = async (cookie: string) => {
    const res = await api('GET', '/merchant/growth/village', cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      steps: Array<{
        key: string;
        done: boolean;
        required: boolean;
        reward: { kind: string; amount: number; granted: boolean };
      }>;
      done: number;
      total: number;
    };
  };
  const stepOf = async (cookie: string, key: string) =>
    (await village(cookie)).steps.find((s) => s.key === key);
  const villageGrants = async (storeId: string) =>
    (
      await sql<{
        n: number;
        imps: number;
      }>`select count(*)::int as n, coalesce(sum(impressions), 0)::int as imps
        from traffic_launch_grants where store_id = ${storeId} and granted_by = 'village'`.execute(t.db)
    ).rows[0];
  const publish = (topic: 'video.published' | 'live.started', storeId: string) =>
    t.db.transaction().execute((trx) =>
      topic === 'video.published'
        ? t.events.publish(trx, topic, { videoId: crypto.randomUUID(), storeId, title: 'v', kind: 'short' })
        : t.events.publish(trx, topic, {
            sessionId: crypto.randomUUID(),
            storeId,
            title: 'l',
            startedAt: t.clock.now().toISOString(),
          }),
    );

  it('walks a new apparel store through every step, each reward granted once', async () => {
    const { cookie, storeId } = await apparelMerchant(t, '13700000151', '新手村服饰');
    const start = await village(cookie);
    expect(start).toMatchObject({ done: 0, total: 8 });
    expect(start.steps.every((s) => !s.done && !s.reward.granted)).toBe(true);

    const profile = await api('PATCH', '/stores/mine', cookie, {
      description: '原创女装',
      logoUrl: 'https://example.com/logo.png',
    });
    expect(profile.statusCode, profile.body).toBe(200);
    const tee = await createApparel(t, cookie, { sizeChart: TEE_CHART, sizes: TEE_SIZES });
    const v1 = await village(cookie);
    expect(v1.steps.filter((s) => s.done).map((s) => s.key)).toEqual([
      'profile',
      'first_product',
      'size_chart',
    ]);
    expect(v1.steps[0]?.reward).toEqual({ kind: 'traffic', amount: 1000, granted: true });
    expect(await villageGrants(storeId)).toEqual({ n: 3, imps: 4000 });

    await publish('video.published', storeId);
    await publish('live.started', storeId);
    await buyOrder(t, buyer, cookie, [tee.skus.get('M|黑色') as string], 'delivered');
    await deliverEvents(t);
    const v2 = await village(cookie);
    expect(v2.steps.filter((s) => !s.done).map((s) => s.key)).toEqual(['first_good_review']);
    // The first order's reward is the fee-free period: the default commission-rebate programme's 30 days.
    expect(v2.steps.find((s) => s.key === 'first_order')?.reward).toEqual({
      kind: 'fee_free',
      amount: 30,
      granted: true,
    });

    // A default review does not count; a buyer's 5-star one does, redelivered or not.
    const review = {
      reviewId: crypto.randomUUID(),
      orderId: crypto.randomUUID(),
      skuId: crypto.randomUUID(),
      productId: tee.productId,
      storeId,
      buyerId: crypto.randomUUID(),
      rating: 5,
      fit: null,
      isDefault: true,
    };
    await t.db.transaction().execute((trx) => t.events.publish(trx, 'review.created', review));
    await deliverEvents(t);
    expect((await stepOf(cookie, 'first_good_review'))?.done).toBe(false);
    await t.db.transaction().execute((trx) =>
      t.events.publish(trx, 'review.created', {
        ...review,
        reviewId: crypto.randomUUID(),
        isDefault: false,
      }),
    );
    await deliverEvents(t);
    expect(await village(cookie)).toMatchObject({ done: 8, total: 8 });

    // Everything again (events redelivered, the periodic task twice): no second reward.
    const before = await villageGrants(storeId);
    await publish('video.published', storeId);
    await deliverEvents(t);
    await t.services.growth.checkNewStores();
    await t.services.growth.checkNewStores();
    expect(await t.services.growth.markStep(storeId, 'first_live')).toBe(false);
    expect(await villageGrants(storeId)).toEqual(before);
    expect(before).toEqual({ n: 7, imps: 14_000 });
  });

  it('does not count the size chart for a store that is not apparel', async () => {
    const cookie = await t.signIn('13700000152', 'merchant');
    const res = await api('POST', '/stores', cookie, { name: '新手村食品', businessType: 'food' });
    expect(res.statusCode, res.body).toBe(201);
    const v = await village(cookie);
    expect(v.total).toBe(7);
    expect(v.steps.find((s) => s.key === 'size_chart')?.required).toBe(false);
  });

  it('pays the first-sale rebate net of refunds, capped, once, at the period end', async () => {
    const created = await api('POST', '/ops/growth/programmes', operator, {
      name: '测试首销激励',
      kind: 'first_sale_gmv',
      eligibleStoreDays: 30,
      periodDays: 7,
      rateBps: 1000,
      capFen: 1500,
      budgetFen: 1_000_000,
    });
    expect(created.statusCode, created.body).toBe(201);
    const programme = created.json() as { id: string };
    const { cookie, storeId } = await apparelMerchant(t, '13700000153', '激励服饰');
    const tee = await createApparel(t, cookie, { sizes: TEE_SIZES });
    const sku = (size: string) => tee.skus.get(`${size}|黑色`) as string;
    // Three orders of ¥99 in the period; one refunded by after-sale (¥50), one cancelled in full.
    const first = await buyOrder(t, buyer, cookie, [sku('S')], 'paid');
    await deliverEvents(t);
    const second = await buyOrder(t, buyer, cookie, [sku('M')], 'paid');
    await buyOrder(t, buyer, cookie, [sku('L')], 'paid');
    await deliverEvents(t);
    const cancelled = await api('POST', `/orders/${second}/cancel`, buyer);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await t.services.growth.aftersaleRefunded({
      requestId: crypto.randomUUID(),
      orderId: first,
      amountFen: 5000,
    });
    await deliverEvents(t);

    const mine = async () => {
      const res = await api('GET', '/merchant/growth/incentives', cookie);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Array<Record<string, unknown>>).find((i) => i.programmeId === programme.id);
    };
    // Net GMV 9900 + 9900 − 5000 = 14800; 10% = 1480, under the 1500 cap.
    expect(await mine()).toMatchObject({
      status: 'accruing',
      gmvFen: 29_700,
      refundsFen: 14_900,
      earnedFen: 1480,
    });

    // Not before the period's end; an order after it does not count.
    t.clock.advance(6 * DAY);
    expect(await t.services.growth.settle(programme.id, storeId)).toBe(false);
    t.clock.advance(DAY + 1000);
    await buyOrder(t, buyer, cookie, [sku('XL')], 'paid');
    await deliverEvents(t);
    const payable = await accountBalance(t.db, ACCOUNTS.merchantPayable(storeId));
    expect(await t.services.growth.settleDue()).toBeGreaterThanOrEqual(1);
    expect(await t.services.growth.settleDue()).toBe(0);
    expect(await t.services.growth.settle(programme.id, storeId)).toBe(false);
    expect(await mine()).toMatchObject({ status: 'paid', earnedFen: 1480, paidFen: 1480 });
    // The store's payable grew by what this programme paid plus the default programmes' (5% each, their caps far).
    const paidHere = await sql<{ fen: number }>`
      select coalesce(sum(e.amount_fen), 0)::bigint as fen from ledger_entries e
      join ledger_transactions x on x.id = e.transaction_id
      where x.kind = 'incentive' and x.reference = ${`${programme.id}:${storeId}`}
        and e.account = ${ACCOUNTS.merchantPayable(storeId)}`.execute(t.db);
    expect(Number(paidHere.rows[0]?.fen)).toBe(-1480);
    const all = await api('GET', '/merchant/growth/incentives', cookie);
    const totalPaid = (all.json().items as Array<{ paidFen: number }>).reduce((a, i) => a + i.paidFen, 0);
    expect(await accountBalance(t.db, ACCOUNTS.merchantPayable(storeId))).toBe(payable - totalPaid);

    // The cap: a 50% rate on the same figures pays 1500 at most.
    const { earnedFen } = await import('../../src/modules/growth/village.ts');
    expect(earnedFen({ gmvFen: 29_700, refundsFen: 14_900, rateBps: 5000, capFen: 1500 })).toBe(1500);
    expect(earnedFen({ gmvFen: 100, refundsFen: 500, rateBps: 5000, capFen: 1500 })).toBe(0);
  });

  it('never pays more than the budget: the last store gets the remainder and the programme is exhausted', async () => {
    const created = await api('POST', '/ops/growth/programmes', operator, {
      name: '小预算',
      kind: 'first_sale_gmv',
      eligibleStoreDays: 30,
      periodDays: 3,
      rateBps: 10_000,
      capFen: 100_000,
      budgetFen: 15_000,
    });
    const programme = created.json() as { id: string };
    for (const [phone, name] of [
      ['13700000154', '预算甲'],
      ['13700000155', '预算乙'],
    ] as const) {
      const { cookie } = await apparelMerchant(t, phone, name);
      const tee = await createApparel(t, cookie, { sizes: TEE_SIZES });
      await buyOrder(t, buyer, cookie, [tee.skus.get('S|黑色') as string], 'paid');
      await deliverEvents(t);
    }
    t.clock.advance(3 * DAY + 1000);
    await t.services.growth.settleDue();
    const list = await api('GET', `/ops/growth/programmes/${programme.id}/incentives`, operator);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as Array<{ paidFen: number; earnedFen: number; status: string }>;
    expect(items.map((i) => i.earnedFen)).toEqual([9900, 9900]);
    expect(items.map((i) => i.paidFen).sort()).toEqual([5100, 9900]);
    expect(items.map((i) => i.status).sort()).toEqual(['exhausted', 'paid']);
    const programmes = await api('GET', '/ops/growth/programmes', operator);
    expect(programmes.json().items.find((p: { id: string }) => p.id === programme.id)).toMatchObject({
      remainingFen: 0,
      paidFen: 15_000,
      status: 'exhausted',
    });
    // The budget cannot go below what was paid; topping it up reactivates the programme.
    const low = await api('PATCH', `/ops/growth/programmes/${programme.id}`, operator, { budgetFen: 14_000 });
    expect(low.statusCode, low.body).toBe(409);
    expect(low.json().error.code).toBe('budget_below_paid');
    const more = await api('PATCH', `/ops/growth/programmes/${programme.id}`, operator, {
      budgetFen: 20_000,
    });
    expect(more.statusCode, more.body).toBe(200);
    expect(more.json()).toMatchObject({ remainingFen: 5000, status: 'active' });
  });

  it("ignores the owner's own purchases and reviews, counts a live only when it starts, and reads without writing", async () => {
    const { cookie, storeId } = await apparelMerchant(t, '13700000161', '自买服饰');
    const tee = await createApparel(t, cookie, { sizes: TEE_SIZES });
    t.clock.advance(61_000); // one SMS code per phone a minute
    const ownBuyer = await t.signIn('13700000161');
    // Bought by the owner's own buyer account, and shipped on time: neither the order nor the shipment counts.
    await buyOrder(t, ownBuyer, cookie, [tee.skus.get('M|黑色') as string], 'delivered');
    const ownBuyerId = (
      await sql<{
        id: string;
      }>`select id from accounts where phone = '13700000161' and role = 'buyer'`.execute(t.db)
    ).rows[0]?.id as string;
    await t.db.transaction().execute((trx) =>
      t.events.publish(trx, 'review.created', {
        reviewId: crypto.randomUUID(),
        orderId: crypto.randomUUID(),
        skuId: crypto.randomUUID(),
        productId: tee.productId,
        storeId,
        buyerId: ownBuyerId,
        rating: 5,
        fit: null,
        isDefault: false,
      }),
    );
    await t.db.transaction().execute((trx) =>
      t.events.publish(trx, 'live.scheduled', {
        sessionId: crypto.randomUUID(),
        storeId,
        title: 'l',
        startsAt: t.clock.now().toISOString(),
      }),
    );
    await deliverEvents(t);
    const v = await village(cookie);
    for (const key of ['first_order', 'first_shipment', 'first_good_review', 'first_live'])
      expect(v.steps.find((s) => s.key === key)?.done, key).toBe(false);
    const incentives = await api('GET', '/merchant/growth/incentives', cookie);
    expect(incentives.json().items).toEqual([]);

    // A page view with nothing new marks nothing.
    const mark = vi.spyOn(t.services.growth, 'markStep');
    await village(cookie);
    expect(mark).not.toHaveBeenCalled();
    mark.mockRestore();

    // Another buyer's order shipped on time completes the step.
    await buyOrder(t, buyer, cookie, [tee.skus.get('M|黑色') as string], 'delivered');
    await deliverEvents(t);
    const after = await village(cookie);
    expect(after.steps.find((s) => s.key === 'first_shipment')?.done).toBe(true);
    expect(after.steps.find((s) => s.key === 'first_order')?.done).toBe(true);
  });

  it('keeps checking an apparel store until its size chart is done', async () => {
    const { cookie, storeId } = await apparelMerchant(t, '13700000162', '尺码表服饰');
    for (const step of ['profile', 'first_product', 'first_shipment', 'first_video', 'first_live'] as const)
      await t.services.growth.markStep(storeId, step);
    await createApparel(t, cookie, { sizeChart: TEE_CHART, sizes: TEE_SIZES });
    await t.services.growth.checkNewStores();
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from growth_village_steps where store_id = ${storeId} and step = 'size_chart'`.execute(
      t.db,
    );
    expect(rows.rows[0]?.n).toBe(1);
  });

  it("starts the period at the order's paid time, and a paused programme pays only once resumed", async () => {
    const created = await api('POST', '/ops/growth/programmes', operator, {
      name: '暂停测试',
      kind: 'first_sale_gmv',
      eligibleStoreDays: 30,
      periodDays: 7,
      rateBps: 1000,
      capFen: 1500,
      budgetFen: 1_000_000,
    });
    const programme = created.json() as { id: string };
    const { cookie, storeId } = await apparelMerchant(t, '13700000163', '暂停服饰');
    const tee = await createApparel(t, cookie, { sizes: TEE_SIZES });
    const paidAt = t.clock.now().toISOString();
    await buyOrder(t, buyer, cookie, [tee.skus.get('S|黑色') as string], 'paid');
    // Growth hears of the payment two days late: the period still starts when the order was paid.
    t.clock.advance(2 * DAY);
    await deliverEvents(t);
    const mine = async () =>
      (
        (await api('GET', '/merchant/growth/incentives', cookie)).json().items as Array<
          Record<string, unknown>
        >
      ).find((i) => i.programmeId === programme.id);
    expect(await mine()).toMatchObject({ status: 'accruing', startsAt: paidAt, gmvFen: 9900 });

    const pause = await api('PATCH', `/ops/growth/programmes/${programme.id}`, operator, {
      status: 'paused',
    });
    expect(pause.statusCode, pause.body).toBe(200);
    t.clock.advance(6 * DAY);
    await t.services.growth.settleDue();
    expect(await t.services.growth.settle(programme.id, storeId)).toBe(false);
    expect(await mine()).toMatchObject({ status: 'accruing', paidFen: 0 });

    const resume = await api('PATCH', `/ops/growth/programmes/${programme.id}`, operator, {
      status: 'active',
    });
    expect(resume.statusCode, resume.body).toBe(200);
    await t.services.growth.settleDue();
    expect(await mine()).toMatchObject({ status: 'paid', paidFen: 990 });
  });

  it('keeps programmes and villages to their roles', async () => {
    const merchant = await t.signIn('13700000151', 'merchant');
    expect((await api('GET', '/ops/growth/programmes', merchant)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/growth/village', buyer)).statusCode).toBe(403);
    const missing = await api('GET', `/ops/growth/programmes/${crypto.randomUUID()}/incentives`, operator);
    expect(missing.statusCode).toBe(404);
    const bad = await api('POST', '/ops/growth/programmes', operator, { name: 'x', kind: 'other' });
    expect(bad.statusCode).toBe(400);
  });
});
