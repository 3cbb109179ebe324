import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../src/platform/business-day.ts';
import { type EventPayload, subscriber } from '../../src/platform/events.ts';
import { deliverEvents } from '../support/events.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('social: following stores', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let storeId: string;
  let merchant: string;
  const followed: Array<EventPayload<'fan.followed'>> = [];
  const unfollowed: Array<EventPayload<'fan.unfollowed'>> = [];
  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    t.events.subscribe(
      subscriber('test.followed', 'fan.followed', async (p) => {
        followed.push(p);
      }),
      subscriber('test.unfollowed', 'fan.unfollowed', async (p) => {
        unfollowed.push(p);
      }),
    );
    ({ storeId, cookie: merchant } = await apparelMerchant(t, '13700150001', '关注小铺'));
  });
  afterAll(async () => t.close());

  it('follows once, counts the fan, and publishes fan.followed only on a real change', async () => {
    const buyer = await t.signIn('13600150001');
    const anonymous = await api('GET', `/stores/${storeId}/follow`);
    expect(anonymous.json()).toEqual({ following: false, fans: 0 });

    const first = await api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'live' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ following: true, fans: 1, couponsGranted: [] });
    const again = await api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'video' });
    expect(again.json()).toEqual({ following: true, fans: 1, couponsGranted: [] });
    await deliverEvents(t);
    expect(followed).toHaveLength(1);
    expect(followed[0]).toMatchObject({ storeId, source: 'live' });

    expect((await api('GET', `/stores/${storeId}/follow`, buyer)).json()).toEqual({
      following: true,
      fans: 1,
    });
    expect((await api('GET', `/stores/${storeId}/follow`)).json()).toEqual({ following: false, fans: 1 });
    const mine = await api('GET', '/me/follows', buyer);
    expect(mine.json().items).toEqual([expect.objectContaining({ storeId, name: '关注小铺', fans: 1 })]);
    const buyerId = followed[0]?.buyerId as string;
    expect(await t.services.social.isFan(storeId, buyerId)).toBe(true);
    expect(await t.services.social.fanCount(storeId)).toBe(1);
  });

  it('unfollows once and publishes fan.unfollowed; the count on a past day stays', async () => {
    const buyer = await t.signIn('13600150002');
    await api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'store' });
    const today = new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    t.clock.advance(24 * 3600_000);
    const gone = await api('DELETE', `/stores/${storeId}/follow`, buyer);
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json()).toEqual({ following: false, fans: 1 });
    expect((await api('DELETE', `/stores/${storeId}/follow`, buyer)).json()).toEqual({
      following: false,
      fans: 1,
    });
    await deliverEvents(t);
    expect(unfollowed).toHaveLength(1);
    const social = t.services.social;
    const tomorrow = new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const other = '00000000-0000-4000-8000-000000000000';
    expect(await social.fanCountsOn([storeId, other], today)).toEqual(
      new Map([
        [storeId, 2],
        [other, 0],
      ]),
    );
    expect((await social.fanCountsOn([storeId], tomorrow)).get(storeId)).toBe(1);
    expect((await api('GET', '/me/follows', buyer)).json().items).toEqual([]);
  });

  it('lets a merchant’s own phone sign in as a buyer, but not follow its own store', async () => {
    const asBuyer = await t.signIn('13700150001', 'buyer');
    const res = await api('PUT', `/stores/${storeId}/follow`, asBuyer, { source: 'product' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('own_store');
    expect((await api('GET', `/stores/${storeId}/follow`, asBuyer)).json()).toMatchObject({
      following: false,
    });
    // The merchant session is not a buyer: it may not follow.
    expect((await api('PUT', `/stores/${storeId}/follow`, merchant, { source: 'store' })).statusCode).toBe(
      403,
    );
  });

  it('refuses bad input with 4xx', async () => {
    const buyer = await t.signIn('13600150003');
    expect((await api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'tv' })).statusCode).toBe(400);
    expect((await api('PUT', '/stores/not-an-id/follow', buyer, { source: 'live' })).statusCode).toBe(400);
    const missing = await api('PUT', '/stores/00000000-0000-4000-8000-000000000000/follow', buyer, {
      source: 'live',
    });
    expect(missing.statusCode).toBe(404);
    expect((await api('PUT', `/stores/${storeId}/follow`, undefined, { source: 'live' })).statusCode).toBe(
      401,
    );
    expect((await api('GET', '/me/follows')).statusCode).toBe(401);
  });
});

describe('social: fans told of lives and videos, the merchant’s fans, the fan-growth plan', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
  });
  afterAll(async () => t.close());

  /** Today's fan_growth contract of the store (its target impressions), or null. */
  const boostOf = async (storeId: string) => {
    const r = await sql<{ target_impressions: number }>`
      select target_impressions from traffic_contracts
      where store_id = ${storeId} and source = 'fan_growth' and day = ${businessDate(t.clock.now())}::date`.execute(
      t.db,
    );
    return r.rows[0]?.target_impressions ?? null;
  };

  it('tells every fan once of a scheduled live, however often the event is delivered', async () => {
    const { storeId, cookie: merchant } = await apparelMerchant(t, '13700150101', '直播小铺');
    const fans = await Promise.all(['13600150101', '13600150102'].map((p) => t.signIn(p)));
    for (const fan of fans) await api('PUT', `/stores/${storeId}/follow`, fan, { source: 'store' });
    const other = await t.signIn('13600150103');
    const product = await createApparel(t, merchant, { sizes: ['M'] });
    const scheduled = await api('POST', '/merchant/live/sessions', merchant, {
      title: '周五上新',
      scheduledAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
      productIds: [product.productId],
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    await deliverEvents(t);
    const sessionId = scheduled.json().session.id as string;
    // A redelivery (at least once) notifies no one twice.
    await t.services.social.notifyFansOfLive({
      sessionId,
      storeId,
      title: '周五上新',
      startsAt: new Date().toISOString(),
    });
    for (const fan of fans) {
      const notices = (await api('GET', '/me/notices', fan)).json().items;
      expect(notices.filter((n: { kind: string }) => n.kind === 'live.scheduled')).toEqual([
        expect.objectContaining({ body: '周五上新', link: `/live/${sessionId}` }),
      ]);
    }
    expect((await api('GET', '/me/notices', other)).json().items).toEqual([]);
  });

  it('shows the merchant fans over time, by source, unfollows and the latest fans masked', async () => {
    const { storeId, cookie: merchant } = await apparelMerchant(t, '13700150201', '粉丝小铺');
    const a = await t.signIn('13600150201');
    const b = await t.signIn('13600150202');
    await api('PUT', `/stores/${storeId}/follow`, a, { source: 'live' });
    t.clock.advance(24 * 3600_000);
    await api('PUT', `/stores/${storeId}/follow`, b, { source: 'video' });
    await api('DELETE', `/stores/${storeId}/follow`, a);
    const res = await api('GET', '/merchant/fans?days=7', merchant);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ fans: 1, newFans: 2, unfollows: 1, plan: null, canEnroll: true });
    expect(body.series).toHaveLength(7);
    expect(body.series.slice(-2).map((d: { fans: number }) => d.fans)).toEqual([1, 1]);
    expect(body.series.slice(-2).map((d: { newFans: number }) => d.newFans)).toEqual([1, 1]);
    expect(body.bySource).toContainEqual({ source: 'live', newFans: 1 });
    expect(body.bySource).toContainEqual({ source: 'video', newFans: 1 });
    expect(body.recent).toEqual([expect.objectContaining({ buyer: '136****0202', source: 'video' })]);
    expect((await api('GET', '/merchant/fans?days=2', merchant)).statusCode).toBe(400);
  });

  it('runs the plan on the clock: enrol, behind → a fan_growth contract, on track → none, met, over after 30 days', async () => {
    const { storeId, cookie: merchant } = await apparelMerchant(t, '13700150301', '涨粉小铺');
    await createApparel(t, merchant, { sizes: ['M'] });
    const first = await t.signIn('13600150301');
    await api('PUT', `/stores/${storeId}/follow`, first, { source: 'store' });
    const enrolled = await api('POST', '/merchant/fans/plan', merchant);
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    // 1 fan: +50% would be 2, the minimum gain of 10 makes it 11.
    expect(enrolled.json()).toMatchObject({ startFans: 1, targetFans: 11, daysLeft: 30, status: 'active' });
    expect((await api('POST', '/merchant/fans/plan', merchant)).json().error.code).toBe('fan_plan_enrolled');
    expect(await t.services.social.planStores()).toContainEqual(
      expect.objectContaining({ storeId, startFans: 1, targetFans: 11 }),
    );

    // Day 10 with no new fans: the line is at 1 + 10 × 9/30 = 4 → 3 behind → 600 impressions.
    t.clock.advance(9 * 24 * 3600_000);
    expect(await t.services.social.boostPlanStores()).toBeGreaterThanOrEqual(1);
    await t.services.traffic.planDay();
    expect(await boostOf(storeId)).toBe(600);
    expect((await api('GET', '/merchant/fans', merchant)).json().plan).toMatchObject({
      fans: 1,
      boostImpressions: 600,
      daysLeft: 21,
    });

    // Caught up: no boost next day.
    for (let i = 0; i < 4; i += 1)
      await api('PUT', `/stores/${storeId}/follow`, await t.signIn(`1360015031${i}`), { source: 'coupon' });
    t.clock.advance(24 * 3600_000);
    await t.services.social.boostPlanStores();
    await t.services.traffic.planDay();
    expect(await boostOf(storeId)).toBeNull();

    // Target met: status met, no boost even when far later it falls behind the line.
    for (let i = 0; i < 6; i += 1)
      await api('PUT', `/stores/${storeId}/follow`, await t.signIn(`1360015032${i}`), { source: 'live' });
    const met = (await api('GET', '/merchant/fans', merchant)).json().plan;
    expect(met).toMatchObject({ fans: 11, status: 'met', progressPct: 100, boostImpressions: 0 });

    // After 30 days the plan is over: no boost, ended status once under target.
    await api('DELETE', `/stores/${storeId}/follow`, first);
    t.clock.advance(20 * 24 * 3600_000);
    await t.services.social.boostPlanStores();
    await t.services.traffic.planDay();
    expect(await boostOf(storeId)).toBeNull();
    const later = await t.signIn('13700150301', 'merchant'); // the first session has expired (30 days)
    expect((await api('GET', '/merchant/fans', later)).json().plan).toMatchObject({
      status: 'ended',
      daysLeft: 0,
    });
  });

  it('lets operators set the terms and refuses a store too old to enrol', async () => {
    await t.services.identity.provision('13900150001', 'operator', 'ops');
    const ops = await t.signIn('13900150001', 'operator');
    const terms = {
      targetPct: 80,
      days: 14,
      minGain: 5,
      maxStoreAgeDays: 7,
      impressionsPerFan: 100,
      maxDailyImpressions: 2000,
    };
    const set = await api('PUT', '/ops/fan-plan/settings', ops, terms);
    expect(set.statusCode, set.body).toBe(200);
    expect((await api('GET', '/ops/fan-plan/settings', ops)).json()).toEqual(terms);
    expect((await api('PUT', '/ops/fan-plan/settings', ops, { ...terms, days: 0 })).statusCode).toBe(400);
    const { storeId, cookie: merchant } = await apparelMerchant(t, '13700150401', '老店');
    t.clock.advance(8 * 24 * 3600_000);
    const refused = await api('POST', '/merchant/fans/plan', merchant);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('fan_plan_not_eligible');
    const { storeId: fresh } = await apparelMerchant(t, '13700150402', '新店');
    const byOps = await api('POST', `/ops/fan-plan/stores/${fresh}`, ops);
    expect(byOps.statusCode, byOps.body).toBe(201);
    expect(byOps.json()).toMatchObject({ startFans: 0, targetFans: 5, daysLeft: 14 });
    expect((await api('POST', `/ops/fan-plan/stores/${storeId}`, ops)).statusCode).toBe(409);

    // The operators' list: newest enrolment first, with the store's name and where it stands today.
    const list = await api('GET', '/ops/fan-plan/stores', ops);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items[0]).toMatchObject({
      storeId: fresh,
      storeName: '新店',
      startFans: 0,
      targetFans: 5,
      fans: 0,
      status: 'active',
      daysLeft: 14,
    });
    expect(list.json().items.map((p: { storeId: string }) => p.storeId)).not.toContain(storeId);
    expect((await api('GET', '/ops/fan-plan/stores', merchant)).statusCode).toBe(403);
    expect((await api('GET', '/ops/fan-plan/stores')).statusCode).toBe(401);
  });
});
