import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantsModule } from '../../src/modules/merchants/index.ts';
import type { ModuleContext } from '../../src/platform/module.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel, TEE_SIZES } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NEUTRAL = { overall: 4, product: 4, logistics: 4, service: 4 };
const NO_DATA = { product: false, logistics: false, service: false };

/**
 * The store experience score against small stores built through the real routes on the test clock
 * (it starts 2026-03-01T08:00Z, 16:00 in Shanghai); every expected figure is worked out by hand from
 * the formulas in src/modules/merchants/experience-score.ts (prior weight 5). Day D is scored from the
 * 30 whole Shanghai days before it, [D − 30 d 00:00, D 00:00): events of day D count from D + 1's score.
 */
describe('store experience score (店铺体验分)', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let operator: string;
  let phone = 13620000000;
  const newBuyer = async () => {
    phone += 1;
    return t.signIn(String(phone));
  };
  const ship = async (merchant: string, orderId: string) => {
    const res = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
      carrier: 'sf',
      trackingNo: `SF${orderId.slice(0, 8)}`,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const deliver = () => t.services.orders.deliverDue(t.clock.now());
  /** Sessions expire while the clock jumps weeks ahead: everyone signs in again. */
  const signInAgain = async () => {
    operator = await t.signIn('13910000000', 'operator');
    late.cookie = await t.signIn('13720000002', 'merchant');
  };
  const publicScore = async (storeId: string) => {
    const res = await api('GET', `/stores/${storeId}/experience`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    // Delivery is the test's to drive: the sandbox carrier only delivers what shipped 60 s ago.
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    await t.services.identity.provision('13910000000', 'operator', 'ops');
    operator = await t.signIn('13910000000', 'operator');
  });
  afterAll(async () => t?.close());

  let empty: { cookie: string; storeId: string };
  let late: { cookie: string; storeId: string };
  let disputed: { cookie: string; storeId: string };

  it('an empty store has no score before the first day, then the neutral 4.00 without enough data', async () => {
    empty = await apparelMerchant(t, '13720000001', '空空小店');
    expect(await publicScore(empty.storeId)).toEqual({
      storeId: empty.storeId,
      day: null,
      score: null,
      enoughData: NO_DATA,
    });
    const mine = (await api('GET', '/merchant/experience', empty.cookie)).json();
    expect(mine).toMatchObject({ history: [], inputs: null });
    expect(mine.suggestions.map((s: { code: string }) => s.code)).toEqual([
      'not_enough_data',
      'not_enough_data',
      'not_enough_data',
    ]);

    const re = await api('POST', '/ops/stores/experience/recompute', operator);
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toEqual({ day: '2026-03-01', stores: 1 });
    expect(await publicScore(empty.storeId)).toEqual({
      storeId: empty.storeId,
      day: '2026-03-01',
      score: NEUTRAL,
      enoughData: NO_DATA,
    });
  });

  it('a store that ships late: on-time rate and delivery hours', async () => {
    late = await apparelMerchant(t, '13720000002', '慢发货小店');
    const tee = await createApparel(t, late.cookie, { sizes: TEE_SIZES });
    const sku = tee.skus.get('M|黑色') as string;
    const buyer = await newBuyer();
    // Three orders paid at T0 (each has until T0 + 48 h to ship).
    const o1 = await buyOrder(t, buyer, late.cookie, [sku], 'paid');
    const o2 = await buyOrder(t, buyer, late.cookie, [sku], 'paid');
    await buyOrder(t, buyer, late.cookie, [sku], 'paid');
    await ship(late.cookie, o1); // on time
    t.clock.advance(36 * HOUR);
    expect(await deliver()).toBe(1); // o1: 36 h shipped → delivered
    t.clock.advance(14 * HOUR);
    await ship(late.cookie, o2); // T0 + 50 h: late
    t.clock.advance(12 * HOUR);
    expect(await deliver()).toBe(1); // o2: 12 h shipped → delivered; o3 never shipped: late

    // T0 + 62 h = 2026-03-03T22:00Z, 06:00 on the 4th in Shanghai: the 4th's window ends at 00:00 on
    // the 4th (16:00Z on the 3rd), before o2's delivery. The score of the 5th (from 00:00 on the 5th,
    // T0 + 80 h) reads all of it: the deadlines (08:00Z on the 3rd) and both deliveries.
    t.clock.advance(18 * HOUR);
    const { stores, day } = await t.services.merchants.computeExperienceScores();
    expect(day).toBe('2026-03-05');
    expect(stores).toBe(2);
    // logistics: S = (1 + 4.5) / (3 + 5) = 0.6875 → ship 5 − 3.125 = 1.875;
    //   H = (36 + 12 + 240) / (2 + 5) = 41.14 → delivery 5 − 17.14/24 = 4.2857; 0.6·1.875 + 0.4·4.2857 = 2.84
    // product and service: no reviews, no refunds (2 lines delivered) → 4.00 each
    // overall: 0.4·400 + 0.3·284 + 0.3·400 = 365.2 → 3.65
    expect(await publicScore(late.storeId)).toEqual({
      storeId: late.storeId,
      day: '2026-03-05',
      score: { overall: 3.65, product: 4, logistics: 2.84, service: 4 },
      enoughData: NO_DATA,
    });
    const mine = (await api('GET', '/merchant/experience', late.cookie)).json();
    expect(mine.inputs.logistics).toEqual({
      due: 3,
      onTime: 1,
      late: 2,
      onTimeRate: 33.3,
      delivered: 2,
      meanDeliveryHours: 24,
    });
    expect(mine.inputs.product).toMatchObject({ reviews: 0, linesDelivered: 2, qualityRefunds: 0 });
    expect(mine.suggestions).toContainEqual({
      dimension: 'logistics',
      code: 'ship_late',
      params: { late: 2, due: 3, rate: 66.7 },
    });
    expect(mine.suggestions).not.toContainEqual(expect.objectContaining({ code: 'slow_delivery' }));
    expect(mine.inputs.window).toEqual({ from: '2026-02-02T16:00:00.000Z', to: '2026-03-04T16:00:00.000Z' });
    expect(mine.history).toEqual([
      { day: '2026-03-05', overall: 3.65, product: 4, logistics: 2.84, service: 4 },
    ]);
  });

  it('a store that rejects after-sales: handling hours, disputes and quality refunds', async () => {
    disputed = await apparelMerchant(t, '13720000003', '常拒售后小店');
    const tee = await createApparel(t, disputed.cookie, { sizes: TEE_SIZES });
    const sku = tee.skus.get('L|黑色') as string;
    const requests: string[] = [];
    // Three delivered orders (each shipped at once and delivered 61 s later), one request each.
    for (const reason of ['quality', 'changed_mind', 'not_as_described']) {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, disputed.cookie, [sku]);
      const res = await api('POST', '/aftersale/requests', buyer, {
        orderId,
        skuId: sku,
        kind: 'return_refund',
        reason,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().request.status).toBe('requested');
      requests.push(res.json().request.id);
    }
    const decide = async (id: string, decision: 'approve' | 'reject') => {
      const res = await api('POST', `/merchant/aftersale/requests/${id}/decision`, disputed.cookie, {
        decision,
        ...(decision === 'reject' ? { note: '不符合退货条件' } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    t.clock.advance(6 * HOUR);
    await decide(requests[0] as string, 'reject'); // 6 h, a dispute (a quality claim refused: no quality refund)
    t.clock.advance(6 * HOUR);
    await decide(requests[2] as string, 'approve'); // 12 h, a quality refund (not as described)
    t.clock.advance(6 * HOUR);
    await decide(requests[1] as string, 'reject'); // 18 h, a dispute

    // All of it happened on the 5th (Shanghai, from T0 + 80 h): the 6th's score (00:00, T0 + 104 h) reads it.
    t.clock.advance(6 * HOUR);
    expect((await t.services.merchants.computeExperienceScores()).day).toBe('2026-03-06');
    // product: Q = 1 line / (3 + 5) = 0.125 → 4 − 1.25 = 2.75
    // logistics: no deadline has passed yet (S = 0.9 → 4); H = (3·61/3600 + 240) / 8 = 30.006 → 4.7497;
    //   0.6·4 + 0.4·4.7497 = 4.30
    // service: 3 requests decided; T = (6 + 12 + 18 + 60) / (3 + 5) = 12 → 4;
    //   D = (2 + 0.5) / (3 + 5) = 0.3125 → 5 − 3.125 = 1.875; 0.5·4 + 0.5·1.875 = 2.9375 → 2.94
    // overall: 0.4·275 + 0.3·430 + 0.3·294 = 327.2 → 3.27
    expect((await publicScore(disputed.storeId)).score).toEqual({
      overall: 3.27,
      product: 2.75,
      logistics: 4.3,
      service: 2.94,
    });
    const mine = (await api('GET', '/merchant/experience', disputed.cookie)).json();
    expect(mine.inputs.service).toEqual({
      requests: 3,
      handled: 3,
      meanHandlingHours: 12,
      disputes: 2,
      disputeRate: 66.7,
    });
    expect(mine.inputs.product).toMatchObject({
      linesDelivered: 3,
      qualityRefunds: 1,
      qualityRefundRate: 33.3,
    });
    expect(mine.suggestions).toEqual(
      expect.arrayContaining([
        { dimension: 'service', code: 'disputes', params: { disputes: 2, requests: 3, rate: 66.7 } },
        { dimension: 'product', code: 'quality_refunds', params: { refunds: 1, lines: 3, rate: 33.3 } },
      ]),
    );
  });

  it('the index gives the traffic engine and incentive rules each store’s latest score', async () => {
    const scores = await t.services.merchants.experienceScores([
      late.storeId,
      disputed.storeId,
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect([...scores.keys()].sort()).toEqual([late.storeId, disputed.storeId].sort());
    expect(scores.get(disputed.storeId)).toMatchObject({
      storeId: disputed.storeId,
      day: '2026-03-06',
      overall: 3.27,
      product: 2.75,
      logistics: 4.3,
      service: 2.94,
      enoughData: NO_DATA,
    });
    expect(scores.get(late.storeId)).toMatchObject({ day: '2026-03-06', overall: 3.65 });
    expect((await t.services.merchants.experienceScores([])).size).toBe(0);
  });

  it('the daily task computes a day once for every open store', async () => {
    // The merchants module's task: every 10 minutes (and at start); today (the 6th) is computed for
    // every open store, so it has nothing to do.
    const tasks = merchantsModule.tasks?.({ merchants: t.services.merchants }, {} as ModuleContext) ?? [];
    const task = tasks.find((k) => k.name === 'merchants.experience-scores');
    expect(task).toMatchObject({ intervalMs: 600_000, runAtStart: true });
    expect(await task?.run()).toBe(0);
    // A store opened since gets today's score from the task, the others are left as they are.
    const fresh = await apparelMerchant(t, '13720000004', '新开小店');
    expect(await t.services.merchants.experience.computeDue()).toBe(1);
    expect((await publicScore(fresh.storeId)).day).toBe('2026-03-06');
  });

  it('a recompute later the same day gives the same figures, even after new events that day', async () => {
    // 00:00 on the 6th in Shanghai (2026-03-05T16:00Z): the late store's score of the 6th.
    const before = (await api('GET', '/merchant/experience', late.cookie)).json();
    expect(before.history.map((h: { day: string }) => h.day)).toEqual(['2026-03-05', '2026-03-06']);
    expect(before.inputs.window).toEqual({
      from: '2026-02-03T16:00:00.000Z',
      to: '2026-03-05T16:00:00.000Z',
    });
    // Today the late store ships its third order and it is delivered 12 h later (12:00 in Shanghai):
    // events of the 6th, which the 6th's window (it ends at 00:00 on the 6th) does not read.
    const orders = (await api('GET', '/merchant/orders?status=paid', late.cookie)).json().items;
    expect(orders).toHaveLength(1);
    await ship(late.cookie, orders[0].id);
    t.clock.advance(12 * HOUR);
    expect(await deliver()).toBe(1);
    const re = await api('POST', '/ops/stores/experience/recompute', operator);
    expect(re.json()).toEqual({ day: '2026-03-06', stores: 4 });
    const mine = (await api('GET', '/merchant/experience', late.cookie)).json();
    // The row of the 6th is replaced (no second row) with identical figures, window and score.
    expect(mine.history).toEqual(before.history);
    expect(mine.inputs).toEqual(before.inputs);
    expect(mine.current).toEqual(before.current);
    expect(mine.suggestions).toEqual(before.suggestions);
    expect(mine.inputs.logistics).toMatchObject({ due: 3, onTime: 1, delivered: 2 });
    expect(mine.current.score.logistics).toBe(2.84);

    // The next day the task computes again (a new row per store), keeping the days before, and the
    // 6th's delivery now counts: due 3, on time 1 (the third shipped after its deadline: still late);
    // delivered 3 (36 h, 12 h, 12 h).
    t.clock.advance(DAY); // 2026-03-07T04:00Z, 12:00 on the 7th in Shanghai
    expect(await t.services.merchants.experience.computeDue()).toBe(4);
    expect(await t.services.merchants.experience.computeDue()).toBe(0);
    const next = (await api('GET', '/merchant/experience', late.cookie)).json();
    expect(next.history.map((h: { day: string }) => h.day)).toEqual([
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
    expect(next.current.day).toBe('2026-03-07');
    expect(next.inputs.logistics).toMatchObject({ due: 3, onTime: 1, delivered: 3, meanDeliveryHours: 20 });
    // logistics: S = (1 + 4.5) / 8 = 0.6875 → ship 1.875; H = (36 + 12 + 12 + 240) / (3 + 5) = 37.5 →
    //   delivery 5 − 13.5/24 = 4.4375; 0.6·1.875 + 0.4·4.4375 = 1.125 + 1.775 = 2.90
    // overall: 0.4·400 + 0.3·290 + 0.3·400 = 160 + 87 + 120 = 367 → 3.67
    expect(next.current.score).toEqual({ overall: 3.67, product: 4, logistics: 2.9, service: 4 });
  });

  it('data older than 30 days drops out of the window', async () => {
    // The late store's events: first delivery 20:00Z on the 2nd (36 h), ship deadlines 08:00Z on the
    // 3rd, second delivery 22:00Z on the 3rd (12 h), third delivery 04:00Z on the 6th (12 h).
    // The window of 3 April is [00:00 on 4 March, 00:00 on 3 April) in Shanghai = [16:00Z on 3 March,
    // 16:00Z on 2 April): the deadlines and the first delivery are out, the other two deliveries in.
    t.clock.set(new Date('2026-04-03T12:00:00Z'));
    await signInAgain();
    await t.services.merchants.computeExperienceScores();
    let mine = (await api('GET', '/merchant/experience', late.cookie)).json();
    expect(mine.current.day).toBe('2026-04-03');
    expect(mine.inputs.window).toEqual({ from: '2026-03-03T16:00:00.000Z', to: '2026-04-02T16:00:00.000Z' });
    expect(mine.inputs.logistics).toMatchObject({ due: 0, onTime: 0, delivered: 2, meanDeliveryHours: 12 });
    // logistics: S = 4.5/5 = 0.9 → ship 4; H = (12 + 12 + 240) / (2 + 5) = 264/7 = 37.714 →
    //   delivery 5 − 13.714/24 = 4.4286; 0.6·4 + 0.4·4.4286 = 2.4 + 1.7714 = 4.1714 → 4.17
    // overall: 0.4·400 + 0.3·417 + 0.3·400 = 160 + 125.1 + 120 = 405.1 → 4.05
    expect(mine.current.score).toEqual({ overall: 4.05, product: 4, logistics: 4.17, service: 4 });
    // From 7 April (window from 16:00Z on 7 March) nothing of it is left: the neutral score again.
    t.clock.set(new Date('2026-04-07T12:00:00Z'));
    await t.services.merchants.computeExperienceScores();
    mine = (await api('GET', '/merchant/experience', late.cookie)).json();
    expect(mine.current).toEqual({
      storeId: late.storeId,
      day: '2026-04-07',
      score: NEUTRAL,
      enoughData: NO_DATA,
    });
    expect(mine.inputs.logistics).toMatchObject({ due: 0, delivered: 0 });
    expect(mine.history.map((h: { day: string }) => h.day)).toEqual([
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-04-03',
      '2026-04-07',
    ]);
  });

  it('the ops list: lowest first, paged by cursor; bad cursors and other roles refused', async () => {
    t.clock.advance(DAY);
    // The late store ships late again today: it becomes the lowest.
    const sku = (await createApparel(t, late.cookie, { sizes: ['M'] })).skus.get('M|黑色') as string;
    await buyOrder(t, await newBuyer(), late.cookie, [sku], 'paid');
    // Its deadline (48 h on) is in the window of the day after the deadline's day.
    t.clock.advance(49 * HOUR + DAY);
    await t.services.merchants.computeExperienceScores();
    const first = await api('GET', '/ops/stores/experience?limit=1', operator);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().items).toHaveLength(1);
    expect(first.json().items[0]).toMatchObject({
      storeId: late.storeId,
      storeName: '慢发货小店',
      storeStatus: 'open',
    });
    expect(first.json().items[0].score.overall).toBeLessThan(4);
    const seen = [first.json().items[0].storeId];
    let cursor: string | null = first.json().nextCursor;
    while (cursor) {
      const page = (await api('GET', `/ops/stores/experience?limit=1&cursor=${cursor}`, operator)).json();
      seen.push(...page.items.map((i: { storeId: string }) => i.storeId));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect((await api('GET', '/ops/stores/experience?cursor=nonsense', operator)).statusCode).toBe(400);
    // Well-formed JSON that is no cursor of this list: an overall out of range, an id that is no uuid.
    for (const bad of [[1e20, late.storeId], [100, '-'.repeat(36)], [100], 'x']) {
      const cursor = Buffer.from(JSON.stringify(bad)).toString('base64url');
      const res = await api('GET', `/ops/stores/experience?cursor=${cursor}`, operator);
      expect(res.statusCode, res.body).toBe(400);
    }
    expect((await api('GET', '/ops/stores/experience', late.cookie)).statusCode).toBe(403);
    expect((await api('POST', '/ops/stores/experience/recompute', late.cookie)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/experience', operator)).statusCode).toBe(403);
    expect((await api('GET', '/merchant/experience')).statusCode).toBe(401);
  });

  it('the public score: 404 for an unknown or suspended store', async () => {
    expect((await api('GET', '/stores/00000000-0000-4000-8000-000000000000/experience')).statusCode).toBe(
      404,
    );
    const suspend = await api('PATCH', `/ops/merchants/${empty.storeId}`, operator, { status: 'suspended' });
    expect(suspend.statusCode, suspend.body).toBe(200);
    expect((await api('GET', `/stores/${empty.storeId}/experience`)).statusCode).toBe(404);
    // A suspended store is not scored any more, but its last score stays readable for the index.
    const { stores } = await t.services.merchants.computeExperienceScores();
    expect(stores).toBe(3);
    expect((await t.services.merchants.experienceScores([empty.storeId])).get(empty.storeId)?.overall).toBe(
      4,
    );
  });
});

describe('store experience score: ratings from reviews', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
  });
  afterAll(async () => t?.close());

  it('a store with low ratings: non-default reviews in the mean, default and hidden ones not', async () => {
    const store = await apparelMerchant(t, '13730000001', '差评小店');
    const tee = await createApparel(t, store.cookie, { sizes: TEE_SIZES });
    const sku = tee.skus.get('S|黑色') as string;
    // Six buyers, one delivered order each (shipped at once, delivered 61 s later); five review.
    const reviews: string[] = [];
    for (const [i, rating] of [1, 2, 3, 4, 5, null].entries()) {
      const buyer = await t.signIn(`1363000000${i}`);
      const orderId = await buyOrder(t, buyer, store.cookie, [sku]);
      if (rating === null) continue;
      const res = await api('POST', `/orders/${orderId}/reviews`, buyer, {
        skuId: sku,
        rating,
        body: rating <= 2 ? '质量一般' : '不错',
        tags: [],
        photos: [],
        anonymous: false,
      });
      expect(res.statusCode, res.body).toBe(201);
      reviews.push(res.json().review.id);
    }
    // The sixth buyer says nothing: a default 5-star review after the policy's 15 days.
    t.clock.advance(16 * 86_400_000);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(1);

    // The default review is written on the 17th (16:00 in Shanghai): the 17th's score does not read it
    // yet (its window ends at 00:00 on the 17th), the 18th's does.
    expect((await t.services.merchants.computeExperienceScores()).day).toBe('2026-03-17');
    const merchant = await t.signIn('13730000001', 'merchant');
    let mine = (await api('GET', '/merchant/experience', merchant)).json();
    expect(mine.inputs.product).toMatchObject({ reviews: 5, defaultReviews: 0 });
    t.clock.advance(86_400_000);
    expect((await t.services.merchants.computeExperienceScores()).day).toBe('2026-03-18');
    mine = (await api('GET', '/merchant/experience', merchant)).json();
    expect(mine.inputs.product).toEqual({
      reviews: 5,
      ratingSum: 15,
      averageRating: 3,
      defaultReviews: 1,
      lowRatings: 2,
      linesDelivered: 6,
      qualityRefunds: 0,
      qualityRefundRate: 0,
    });
    expect(mine.inputs.logistics).toMatchObject({ due: 6, onTime: 6, delivered: 6 });
    // product: R = (15 + 20) / (5 + 5) = 3.5
    // logistics: S = (6 + 4.5) / 11 → ship 5 − 10/22 = 4.5455; H = (6·61/3600 + 240) / 11 = 21.8 h → 5;
    //   0.6·4.5455 + 0.4·5 = 4.73
    // overall: 0.4·350 + 0.3·473 + 0.3·400 = 401.9 → 4.02
    expect(mine.current).toEqual({
      storeId: store.storeId,
      day: '2026-03-18',
      score: { overall: 4.02, product: 3.5, logistics: 4.73, service: 4 },
      enoughData: { product: true, logistics: true, service: false },
    });
    expect(mine.suggestions).toEqual([
      { dimension: 'product', code: 'low_rating', params: { avg: 3, low: 2, reviews: 5 } },
      { dimension: 'service', code: 'not_enough_data', params: { have: 0, need: 5 } },
    ]);

    // An operator hides the 1-star review (abusive text): its rating leaves the score as it leaves
    // the store's public rating; restored, it counts again.
    await t.services.identity.provision('13930000000', 'operator', 'ops');
    const operator = await t.signIn('13930000000', 'operator');
    const hide = await api('POST', `/ops/reviews/${reviews[0]}/hide`, operator, { reason: '辱骂' });
    expect(hide.statusCode, hide.body).toBe(200);
    await api('POST', '/ops/stores/experience/recompute', operator);
    mine = (await api('GET', '/merchant/experience', merchant)).json();
    expect(mine.inputs.product).toMatchObject({ reviews: 4, ratingSum: 14, lowRatings: 1 });
    // R = (14 + 20) / 9 = 3.78; overall 0.4·378 + 0.3·473 + 0.3·400 = 413.1 → 4.13
    expect(mine.current.score).toEqual({ overall: 4.13, product: 3.78, logistics: 4.73, service: 4 });
    expect(mine.current.enoughData.product).toBe(false);
    const summary = (await api('GET', `/stores/${store.storeId}/review-summary`)).json();
    expect(summary.count).toBe(5); // 4 written + 1 default, as the score's 4 + 1

    const restore = await api('POST', `/ops/reviews/${reviews[0]}/restore`, operator);
    expect(restore.statusCode, restore.body).toBe(200);
    await api('POST', '/ops/stores/experience/recompute', operator);
    expect((await api('GET', `/stores/${store.storeId}/experience`)).json().score.product).toBe(3.5);
  });
});

describe('store experience score: the dispute rate counts requests decided in the window', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
  });
  afterAll(async () => t?.close());

  it('an undecided request is no figure yet; it counts from the day after its decision', async () => {
    const store = await apparelMerchant(t, '13740000001', '待处理小店');
    const tee = await createApparel(t, store.cookie, { sizes: TEE_SIZES });
    const sku = tee.skus.get('M|黑色') as string;
    const buyers = [await t.signIn('13640000001'), await t.signIn('13640000002')];
    const orders = [];
    for (const buyer of buyers) orders.push(await buyOrder(t, buyer, store.cookie, [sku]));
    // Two requests at the same moment t_r (1 March, 16:0x in Shanghai).
    const ids: string[] = [];
    for (const [i, buyer] of buyers.entries()) {
      const res = await api('POST', '/aftersale/requests', buyer, {
        orderId: orders[i],
        skuId: sku,
        kind: 'return_refund',
        reason: 'changed_mind',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().request.status).toBe('requested');
      ids.push(res.json().request.id);
    }
    const decide = async (id: string, decision: 'approve' | 'reject') => {
      const res = await api('POST', `/merchant/aftersale/requests/${id}/decision`, store.cookie, {
        decision,
        ...(decision === 'reject' ? { note: '不符合退货条件' } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    t.clock.advance(6 * HOUR);
    await decide(ids[0] as string, 'reject'); // t_r + 6 h, still the 1st in Shanghai: a dispute
    t.clock.advance(12 * HOUR); // the 2nd in Shanghai
    expect((await t.services.merchants.computeExperienceScores()).day).toBe('2026-03-02');
    let mine = (await api('GET', '/merchant/experience', store.cookie)).json();
    // The second request awaits the merchant: not in the dispute rate's denominator.
    expect(mine.inputs.service).toEqual({
      requests: 1,
      handled: 1,
      meanHandlingHours: 6,
      disputes: 1,
      disputeRate: 100,
    });
    // service: T = (6 + 12·5) / (1 + 5) = 66/6 = 11 → 5 − 11/12 = 4.0833; D = (1 + 0.5) / 6 = 0.25 →
    //   5 − 2.5 = 2.5; 0.5·4.0833 + 0.5·2.5 = 3.2917 → 3.29
    expect(mine.current.score.service).toBe(3.29);

    // The merchant approves the second at t_r + 30 h (the 2nd): the 2nd's recompute is unchanged, the
    // 3rd's score counts it.
    t.clock.advance(12 * HOUR);
    await decide(ids[1] as string, 'approve');
    await t.services.merchants.computeExperienceScores();
    const again = (await api('GET', '/merchant/experience', store.cookie)).json();
    expect(again.inputs).toEqual(mine.inputs);
    expect(again.current).toEqual(mine.current);
    t.clock.advance(12 * HOUR);
    expect((await t.services.merchants.computeExperienceScores()).day).toBe('2026-03-03');
    mine = (await api('GET', '/merchant/experience', store.cookie)).json();
    expect(mine.inputs.service).toEqual({
      requests: 2,
      handled: 2,
      meanHandlingHours: 18,
      disputes: 1,
      disputeRate: 50,
    });
    // service: T = (6 + 30 + 60) / (2 + 5) = 96/7 = 13.714 → 5 − 1.1429 = 3.8571; D = (1 + 0.5) / 7 =
    //   0.2143 → 5 − 2.1429 = 2.8571; 0.5·3.8571 + 0.5·2.8571 = 3.3571 → 3.36
    expect(mine.current.score.service).toBe(3.36);
  });
});
