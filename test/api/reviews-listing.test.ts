import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitVerdict, reviewsModule } from '../../src/modules/reviews/index.ts';
import { keptStats, recountStats } from '../../src/modules/reviews/stats.ts';
import { deliverEvents } from '../support/events.ts';
import {
  apiOf,
  apparelMerchant,
  approveAftersale,
  askRefundOnly,
  buyOrder,
  createApparel,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const DAY = 86_400_000;

interface Listed {
  id: string;
  rating: number;
  body: string;
  photos: string[];
  size: string;
  isDefault: boolean;
}

/** Default reviews on the clock, the product page's order, filters and summary, the store summary. */
describe('reviews: default reviews, the product page and the aggregates', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let operator: string;
  let storeId: string;
  let phoneSeq = 0;
  const newBuyer = () => {
    phoneSeq += 1;
    return t.signIn(`136180${String(phoneSeq).padStart(5, '0')}`);
  };
  const signInAgain = async () => {
    merchant = await t.signIn('13700001801', 'merchant');
    operator = await t.signIn('13900001801', 'operator');
  };
  const review = async (buyer: string, orderId: string, body: Record<string, unknown>) => {
    const res = await api('POST', `/orders/${orderId}/reviews`, buyer, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().review as Listed;
  };
  const photo = async (buyer: string) => {
    const res = await api('POST', '/reviews/photos', buyer, { dataUrl: PNG });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().url as string;
  };
  const listAll = async (productId: string, query = '') => {
    const items: Listed[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(
        'GET',
        `/products/${productId}/reviews?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      items.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    return items;
  };
  const reviewsOf = async (orderId: string) =>
    (
      await sql<{ sku_id: string; is_default: boolean; rating: number; body: string }>`
        select sku_id, is_default, rating, body from reviews where order_id = ${orderId} order by sku_id`.execute(
        t.db,
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700001801', '好评小店'));
    await t.services.identity.provision('13900001801', 'operator', 'ops');
    operator = await t.signIn('13900001801', 'operator');
  });
  afterAll(async () => t?.close());

  it('default reviews: after the operator’s window, once, not for lines refunded in full, walking forward', async () => {
    const product = await createApparel(t, merchant, { title: '默认好评衫', sizes: ['S', 'M', 'L'] });
    const sku = (size: string) => product.skus.get(`${size}|黑色`) as string;
    const put = await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 5, followUpDays: 30 });
    expect(put.statusCode, put.body).toBe(200);
    const buyer = await newBuyer();
    const first = await buyOrder(t, buyer, merchant, [sku('S'), sku('M'), sku('L')]);
    // One line refunded in full (refund only), one reviewed by its buyer, one left silent.
    const asked = await askRefundOnly(t, buyer, first, sku('L'));
    await approveAftersale(t, merchant, asked.id);
    await review(buyer, first, { skuId: sku('M'), rating: 2, body: '一般' });

    t.clock.advance(4 * DAY);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(0);
    t.clock.advance(1 * DAY + 60_000);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(1);
    const rows = await reviewsOf(first);
    const bySku = new Map(rows.map((r) => [r.sku_id, r]));
    expect(bySku.get(sku('S'))).toMatchObject({ is_default: true, rating: 5, body: '' });
    expect(bySku.get(sku('M'))).toMatchObject({ is_default: false, rating: 2 });
    expect(bySku.has(sku('L'))).toBe(false);
    // Not twice, however often it runs.
    expect(await t.services.reviews.defaultReviewsDue()).toBe(0);
    t.clock.advance(DAY);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(0);
    expect(await reviewsOf(first)).toHaveLength(2);

    // Published like a written one, marked default; the buyer sees it as theirs, without text.
    const published = await sql<{ payload: { isDefault: boolean; rating: number; fit: null } }>`
      select payload from outbox where topic = 'review.created' and subscriber = 'sizing.learn-from-review'
        and payload->>'orderId' = ${first} and (payload->>'isDefault')::boolean`.execute(t.db);
    expect(published.rows.map((r) => r.payload)).toMatchObject([{ isDefault: true, rating: 5, fit: null }]);
    await signInAgain();
    const again = await t.signIn('13618000001');
    const lines = await api('GET', `/orders/${first}/reviews`, again);
    const silent = lines.json().lines.find((l: { skuId: string }) => l.skuId === sku('S'));
    expect(silent).toMatchObject({ reviewable: false, review: { isDefault: true, body: '', rating: 5 } });

    // An order delivered later is read on a later run, from where the cursor stopped.
    const buyer2 = await newBuyer();
    const second = await buyOrder(t, buyer2, merchant, [sku('S')]);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(0);
    const cursor = await sql<{ order_id: string }>`select order_id from review_default_cursor`.execute(t.db);
    expect(cursor.rows[0]?.order_id).toBe(first);
    t.clock.advance(5 * DAY + 60_000);
    expect(await t.services.reviews.defaultReviewsDue()).toBe(1);
    expect(await reviewsOf(second)).toMatchObject([{ is_default: true }]);
    const moved = await sql<{ order_id: string }>`select order_id from review_default_cursor`.execute(t.db);
    expect(moved.rows[0]?.order_id).toBe(second);
    // The task the workers run every minute, draining a backlog.
    const tasks = reviewsModule.tasks?.(t.services as never, {} as never) ?? [];
    expect(tasks.map((k) => [k.name, k.intervalMs, k.drain])).toEqual([
      ['reviews.default-reviews', 60_000, true],
    ]);
    expect(await tasks[0]?.run()).toBe(0);
    await deliverEvents(t);
    await signInAgain();
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 15, followUpDays: 30 });
    expect(await keptStats(t.db)).toEqual(await recountStats(t.db));
  });

  it('the product page: with photos first, then written, then default; newest first in each; filters; paging', async () => {
    const product = await createApparel(t, merchant, { title: '排序测试衫', sizes: ['S', 'M', 'L'] });
    const sku = (size: string) => product.skus.get(`${size}|黑色`) as string;
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 1, followUpDays: 30 });
    // A default review first (oldest), then written ones with and without photos, interleaved in time.
    const silentBuyer = await newBuyer();
    const silent = await buyOrder(t, silentBuyer, merchant, [sku('L')]);
    t.clock.advance(DAY + 60_000);
    await t.services.reviews.defaultReviewsDue();
    const [defaultReview] = await reviewsOf(silent);
    expect(defaultReview?.is_default).toBe(true);
    await signInAgain();

    const written: Array<{ id: string; photos: boolean; size: string; rating: number }> = [];
    const plan = [
      { size: 'S', rating: 5, photos: false },
      { size: 'M', rating: 4, photos: true },
      { size: 'S', rating: 3, photos: false },
      { size: 'M', rating: 5, photos: true },
      { size: 'L', rating: 1, photos: false },
    ];
    for (const p of plan) {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, merchant, [sku(p.size)]);
      t.clock.advance(60_000);
      const photos = p.photos ? [await photo(buyer)] : [];
      const r = await review(buyer, orderId, {
        skuId: sku(p.size),
        rating: p.rating,
        body: `${p.size}码`,
        photos,
      });
      written.push({ id: r.id, photos: p.photos, size: p.size, rating: p.rating });
    }
    const newestFirst = [...written].reverse();
    const defaultId = (
      await sql<{ id: string }>`select id from reviews where order_id = ${silent}`.execute(t.db)
    ).rows[0]?.id;
    const expected = [
      ...newestFirst.filter((w) => w.photos).map((w) => w.id),
      ...newestFirst.filter((w) => !w.photos).map((w) => w.id),
      defaultId,
    ];
    const all = await listAll(product.productId);
    expect(all.map((r) => r.id)).toEqual(expected);
    const one = await api('GET', `/products/${product.productId}/reviews?limit=50`);
    expect(one.json().items.map((r: Listed) => r.id)).toEqual(expected);
    expect(one.json().nextCursor).toBeNull();
    expect(one.json().items.at(-1)).toMatchObject({ isDefault: true, body: '', rating: 5 });

    expect((await listAll(product.productId, '&withPhotos=true')).map((r) => r.id)).toEqual(
      newestFirst.filter((w) => w.photos).map((w) => w.id),
    );
    expect((await listAll(product.productId, '&size=S')).map((r) => r.id)).toEqual(
      newestFirst.filter((w) => w.size === 'S').map((w) => w.id),
    );
    expect((await listAll(product.productId, '&rating=5')).map((r) => r.id)).toEqual([
      ...newestFirst.filter((w) => w.rating === 5 && w.photos).map((w) => w.id),
      ...newestFirst.filter((w) => w.rating === 5 && !w.photos).map((w) => w.id),
      defaultId,
    ]);
    expect(await listAll(product.productId, '&size=M&rating=1')).toEqual([]);
    for (const bad of ['rating=6', 'rating=4.5', 'withPhotos=yes', 'limit=0', 'cursor=%7B%7D', 'size=']) {
      const res = await api('GET', `/products/${product.productId}/reviews?${bad}`);
      expect(res.statusCode, `${bad} → ${res.body}`).toBe(400);
    }
    const nobody = await api('GET', '/products/00000000-0000-4000-8000-000000000000/reviews');
    expect(nobody.json()).toEqual({ items: [], nextCursor: null });

    // The summary, from the kept aggregates.
    const summary = await api('GET', `/products/${product.productId}/review-summary`);
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({
      productId: product.productId,
      count: 6,
      ratingSum: 5 + 4 + 3 + 5 + 1 + 5,
      average: 3.8,
      ratingCounts: { '1': 1, '2': 0, '3': 1, '4': 1, '5': 3 },
      withPhotos: 2,
      defaultCount: 1,
      sizes: [
        { size: 'L', count: 2 },
        { size: 'M', count: 2 },
        { size: 'S', count: 2 },
      ],
      fit: { small: 0, trueToSize: 0, large: 0, verdict: null },
    });
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 15, followUpDays: 30 });
  });

  it('the summary: tag counts (most first) and the fit verdict when one answer has more than half of three or more', async () => {
    const product = await createApparel(t, merchant, { title: '偏小测试衫', sizes: ['M'] });
    const skuId = product.skus.get('M|黑色') as string;
    const answers: Array<{ fit: string; tags: string[] }> = [
      { fit: 'small', tags: ['quality_good', 'nice_fabric'] },
      { fit: 'small', tags: ['quality_good'] },
    ];
    for (const a of answers) {
      const buyer = await newBuyer();
      const orderId = await buyOrder(t, buyer, merchant, [skuId]);
      await review(buyer, orderId, { skuId, rating: 4, fit: a.fit, tags: a.tags });
    }
    // Two answers: not enough for a verdict.
    let summary = (await api('GET', `/products/${product.productId}/review-summary`)).json();
    expect(summary.fit).toEqual({ small: 2, trueToSize: 0, large: 0, verdict: null });
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [skuId]);
    await review(buyer, orderId, { skuId, rating: 2, fit: 'fit', tags: ['poor_quality'] });
    summary = (await api('GET', `/products/${product.productId}/review-summary`)).json();
    expect(summary.fit).toEqual({ small: 2, trueToSize: 1, large: 0, verdict: 'runs_small' });
    expect(summary.tags).toEqual([
      { tag: 'quality_good', count: 2 },
      { tag: 'nice_fabric', count: 1 },
      { tag: 'poor_quality', count: 1 },
    ]);
    expect(summary.average).toBe(3.3);
    // The verdict rule on its own.
    expect(fitVerdict({ small: 1, trueToSize: 1, large: 1 })).toBeNull();
    expect(fitVerdict({ small: 1, trueToSize: 2, large: 1 })).toBeNull(); // 2 of 4 is not more than half
    expect(fitVerdict({ small: 0, trueToSize: 3, large: 0 })).toBe('true_to_size');
    expect(fitVerdict({ small: 1, trueToSize: 0, large: 2 })).toBe('runs_large');
    expect(fitVerdict({ small: 0, trueToSize: 2, large: 0 })).toBeNull();
    // An unknown product: zeros, no average.
    const none = (await api('GET', '/products/00000000-0000-4000-8000-000000000000/review-summary')).json();
    expect(none).toMatchObject({ count: 0, average: null, fit: { verdict: null }, tags: [], sizes: [] });
  });

  it('the store summary: count, average and the share of 4–5 star reviews, equal to a recount', async () => {
    const res = await api('GET', `/stores/${storeId}/review-summary`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    const recount = await sql<{ n: number; sum: number; positive: number }>`
      select count(*)::int as n, sum(rating)::int as sum, (count(*) filter (where rating >= 4))::int as positive
      from reviews where store_id = ${storeId} and status = 'visible'`.execute(t.db);
    const r = recount.rows[0] as { n: number; sum: number; positive: number };
    expect(s.count).toBe(r.n);
    expect(s.average).toBe(Math.round((r.sum / r.n) * 10) / 10);
    expect(s.positiveRate).toBe(Math.round((r.positive / r.n) * 1000) / 1000);
    expect(
      s.ratingCounts['1'] +
        s.ratingCounts['2'] +
        s.ratingCounts['3'] +
        s.ratingCounts['4'] +
        s.ratingCounts['5'],
    ).toBe(r.n);
    const empty = (await api('GET', '/stores/00000000-0000-4000-8000-000000000000/review-summary')).json();
    expect(empty).toMatchObject({ count: 0, average: null, positiveRate: null });
    expect(await keptStats(t.db)).toEqual(await recountStats(t.db));
  });

  it('default reviews: none for a line with an open after-sale request, even once it is refunded', async () => {
    await signInAgain();
    const product = await createApparel(t, merchant, { title: '售后中衫', sizes: ['S', 'M'] });
    const sku = (size: string) => product.skus.get(`${size}|黑色`) as string;
    const put = await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 5, followUpDays: 30 });
    expect(put.statusCode, put.body).toBe(200);
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S'), sku('M')]);
    t.clock.advance(DAY);
    const asked = await askRefundOnly(t, buyer, orderId, sku('S'));
    expect(['requested', 'review']).toContain(asked.status);
    // The window passes while the request is open: the other line gets its default review, this one none.
    t.clock.advance(4 * DAY + 60_000);
    await t.services.reviews.defaultReviewsDue();
    const after = await reviewsOf(orderId);
    expect(after.map((r) => [r.sku_id, r.is_default])).toEqual([[sku('M'), true]]);
    // Refunded in full later: still no review of it, so nothing counted to take back.
    await signInAgain();
    await approveAftersale(t, merchant, asked.id);
    t.clock.advance(DAY);
    await t.services.reviews.defaultReviewsDue();
    expect((await reviewsOf(orderId)).map((r) => r.sku_id)).toEqual([sku('M')]);
    await deliverEvents(t);
    await signInAgain();
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 15, followUpDays: 30 });
    expect(await keptStats(t.db)).toEqual(await recountStats(t.db));
  });

  it('a cursor with a date PostgreSQL cannot read is 400 invalid_cursor', async () => {
    const product = await createApparel(t, merchant, { title: '游标衫', sizes: ['S'] });
    const id = '00000000-0000-4000-8000-000000000001';
    for (const at of [
      '0000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00Z',
    ]) {
      const cursor = Buffer.from(JSON.stringify([0, at, id])).toString('base64url');
      const res = await api('GET', `/products/${product.productId}/reviews?cursor=${cursor}`);
      expect(res.statusCode, at).toBe(400);
      expect(res.json().error?.code ?? res.json().code, at).toBe('invalid_cursor');
    }
    const fine = Buffer.from(JSON.stringify([0, '0001-01-01T00:00:00.000Z', id])).toString('base64url');
    expect((await api('GET', `/products/${product.productId}/reviews?cursor=${fine}`)).statusCode).toBe(200);
  });
});
