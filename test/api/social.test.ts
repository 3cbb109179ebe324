import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventPayload, subscriber } from '../../src/platform/events.ts';
import { deliverEvents } from '../support/events.ts';
import { apiOf, apparelMerchant } from '../support/sizing-fixtures.ts';
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
    expect(first.json()).toEqual({ following: true, fans: 1 });
    const again = await api('PUT', `/stores/${storeId}/follow`, buyer, { source: 'video' });
    expect(again.json()).toEqual({ following: true, fans: 1 });
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

  it('lets a merchant’s own phone sign in as a buyer and follow a store', async () => {
    const asBuyer = await t.signIn('13700150001', 'buyer');
    const res = await api('PUT', `/stores/${storeId}/follow`, asBuyer, { source: 'product' });
    expect(res.json()).toEqual({ following: true, fans: 2 });
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
