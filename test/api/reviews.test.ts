import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptStats, recountStats } from '../../src/modules/reviews/stats.ts';
import { deliverEvents } from '../support/events.ts';
import {
  apiOf,
  apparelMerchant,
  approveAftersale,
  askRefundOnly,
  buyOrder,
  createApparel,
  TEE_CHART,
  TEE_SIZES,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** A 1×1 PNG, a real one (its magic number is checked). */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const DAY = 86_400_000;

/** The buyer's side of reviews: who may review what, once; photos; text; ratings; fit; follow-ups; limits. */
describe('reviews: writing', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let operator: string;
  let tee: { productId: string; skus: Map<string, string> };
  let phoneSeq = 0;
  let lastPhone = '';
  const newBuyer = () => {
    phoneSeq += 1;
    lastPhone = `136170${String(phoneSeq).padStart(5, '0')}`;
    return t.signIn(lastPhone);
  };
  /** Sessions end after a long move of the clock: sign the shared accounts in again. */
  const signInAgain = async () => {
    merchant = await t.signIn('13700001701', 'merchant');
    operator = await t.signIn('13900001701', 'operator');
  };
  const sku = (key = 'M|黑色') => tee.skus.get(key) as string;
  const review = (buyer: string, orderId: string, body: Record<string, unknown>) =>
    api('POST', `/orders/${orderId}/reviews`, buyer, body);
  const count = async (orderId: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from reviews where order_id = ${orderId}`.execute(
        t.db,
      )
    ).rows[0]?.n;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700001701', '评价服饰'));
    await t.services.identity.provision('13900001701', 'operator', 'ops');
    operator = await t.signIn('13900001701', 'operator');
    tee = await createApparel(t, merchant, {
      sizeChart: TEE_CHART,
      sizes: TEE_SIZES,
      colors: ['黑色', '白色'],
    });
  });
  afterAll(async () => t?.close());

  it('only the buyer of a delivered line reviews it, once (409 twice, and under two racing requests)', async () => {
    const buyer = await newBuyer();
    const other = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('M|黑色'), sku('L|黑色'), sku('S|黑色')]);
    // Another buyer's order, an unknown order, a line not in the order: 404, nothing written.
    expect((await review(other, orderId, { skuId: sku('M|黑色'), rating: 5 })).statusCode).toBe(404);
    const unknown = await review(buyer, '00000000-0000-4000-8000-000000000000', {
      skuId: sku('M|黑色'),
      rating: 5,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await review(buyer, orderId, { skuId: sku('XL|白色'), rating: 5 })).statusCode).toBe(404);
    // A merchant or an operator cannot write one.
    expect((await review(merchant, orderId, { skuId: sku('M|黑色'), rating: 5 })).statusCode).toBe(403);
    expect(await count(orderId)).toBe(0);

    const first = await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 4, body: '不错' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().review).toMatchObject({
      orderId,
      skuId: sku('M|黑色'),
      productId: tee.productId,
      productTitle: '纯棉T恤',
      rating: 4,
      body: '不错',
      size: 'M',
      color: '黑色',
      isDefault: false,
      status: 'visible',
      hiddenReason: null,
      followUp: null,
      reply: null,
    });
    const second = await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('review_exists');

    const racing = await Promise.all([
      review(buyer, orderId, { skuId: sku('L|黑色'), rating: 5 }),
      review(buyer, orderId, { skuId: sku('L|黑色'), rating: 3 }),
    ]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(racing.find((r) => r.statusCode === 409)?.json().error.code).toBe('review_exists');
    expect(await count(orderId)).toBe(2);

    // The order's lines: reviewed ones carry their review, the third one may still be reviewed.
    const lines = await api('GET', `/orders/${orderId}/reviews`, buyer);
    expect(lines.statusCode, lines.body).toBe(200);
    const bySku = new Map(
      (lines.json().lines as Array<{ skuId: string; reviewable: boolean; review: unknown }>).map((l) => [
        l.skuId,
        l,
      ]),
    );
    expect(bySku.get(sku('S|黑色'))).toMatchObject({ reviewable: true, review: null, size: 'S' });
    expect(bySku.get(sku('M|黑色'))).toMatchObject({ reviewable: false, review: { rating: 4 } });
    expect((await api('GET', `/orders/${orderId}/reviews`, other)).statusCode).toBe(404);
  });

  it('an order not delivered yet cannot be reviewed (409 not_delivered)', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku()], 'paid');
    const res = await review(buyer, orderId, { skuId: sku(), rating: 5 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'not_delivered', details: { status: 'paid' } });
    const lines = await api('GET', `/orders/${orderId}/reviews`, buyer);
    expect(lines.json().lines[0]).toMatchObject({ reviewable: false, review: null });
    expect(await count(orderId)).toBe(0);
  });

  it('a line refunded without a return (the order refunded in full after delivery) may still be reviewed', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('XL|白色')]);
    const asked = await askRefundOnly(t, buyer, orderId, sku('XL|白色'));
    await approveAftersale(t, merchant, asked.id);
    const order = await api('GET', `/orders/${orderId}`, buyer);
    expect(order.json().order.status).toBe('refunded');
    const res = await review(buyer, orderId, {
      skuId: sku('XL|白色'),
      rating: 1,
      body: '质量差',
      fit: 'large',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().review).toMatchObject({ rating: 1, fit: 'large' });
    // The size assistant's subscriber (delivered or completed orders only) is not handed what it refuses.
    await deliverEvents(t);
    const dead = await sql<{ n: number }>`
      select count(*)::int as n from outbox_dead_letters where topic = 'review.created'`.execute(t.db);
    expect(dead.rows[0]?.n).toBe(0);
  });

  it('ratings are whole stars 1–5; tags from the list, each once; text by the platform rule', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku()]);
    const bad: Array<Record<string, unknown>> = [
      { rating: 4.5 },
      { rating: '5' },
      { rating: 0 },
      { rating: 6 },
      { rating: null },
      {},
      { rating: 5, tags: ['not_a_tag'] },
      { rating: 5, tags: ['quality_good', 'quality_good'] },
      { rating: 5, body: 'a\u0000b' },
      { rating: 5, body: '好\u0007' },
      { rating: 5, body: '看\u202e这里' },
      { rating: 5, body: 'x'.repeat(501) },
      { rating: 5, fit: 'tight' },
      { rating: 5, anonymous: 'yes' },
      { rating: 5, extra: 1 },
      { rating: 5, photos: ['https://evil.example/x.png'] },
    ];
    for (const body of bad) {
      const res = await review(buyer, orderId, { skuId: sku(), ...body });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect(await count(orderId)).toBe(0);
    // Lines and tabs are kept; white space at the ends is trimmed; 500 characters is the cap.
    const ok = await review(buyer, orderId, {
      skuId: sku(),
      rating: 5,
      body: `  第一行\n第二行\t<b>粗</b>${'好'.repeat(480)}  `,
      tags: ['quality_good', 'comfortable'],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().review.body).toBe(`第一行\n第二行\t<b>粗</b>${'好'.repeat(480)}`);
    expect(ok.json().review.tags).toEqual(['quality_good', 'comfortable']);
  });

  it('text with links or contact details is flagged and goes to moderation (body and follow-up)', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|白色'), sku('M|白色')]);
    const flagged = await review(buyer, orderId, {
      skuId: sku('S|白色'),
      rating: 5,
      body: '加微信 abc12345 返现',
    });
    expect(flagged.statusCode).toBe(201);
    const clean = await review(buyer, orderId, { skuId: sku('M|白色'), rating: 5, body: '很好' });
    const state = async (id: string) =>
      (
        await sql<{ flags: string[]; moderation: string }>`
          select flags, moderation from reviews where id = ${id}`.execute(t.db)
      ).rows[0];
    expect(await state(flagged.json().review.id)).toEqual({ flags: ['wechat'], moderation: 'pending' });
    expect(await state(clean.json().review.id)).toEqual({ flags: [], moderation: 'none' });
    const follow = await api('POST', `/reviews/${clean.json().review.id}/follow-up`, buyer, {
      body: '详情见 www.shop-cheap.com',
    });
    expect(follow.statusCode, follow.body).toBe(200);
    expect(await state(clean.json().review.id)).toEqual({ flags: ['link'], moderation: 'pending' });
  });

  it('photos: PNG/JPEG/WebP up to 2 MB, only my own unused uploads, each used once', async () => {
    const buyer = await newBuyer();
    const other = await newBuyer();
    const gif = await api('POST', '/reviews/photos', buyer, {
      dataUrl: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
    });
    expect(gif.statusCode).toBe(400);
    expect(gif.json().error.code).toBe('unsupported_image');
    const fake = await api('POST', '/reviews/photos', buyer, {
      dataUrl: `data:image/png;base64,${Buffer.from('not a png at all').toString('base64')}`,
    });
    expect(fake.statusCode).toBe(400);
    const huge = await api('POST', '/reviews/photos', buyer, {
      dataUrl: `data:image/png;base64,${Buffer.alloc(2 * 1024 * 1024 + 16, 1).toString('base64')}`,
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('image_too_large');
    expect((await api('POST', '/reviews/photos', merchant, { dataUrl: PNG })).statusCode).toBe(403);
    expect((await api('POST', '/reviews/photos', undefined, { dataUrl: PNG })).statusCode).toBe(401);

    const upload = async (who: string) => {
      const res = await api('POST', '/reviews/photos', who, { dataUrl: PNG });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().url as string;
    };
    const [mine1, mine2, mine3] = [await upload(buyer), await upload(buyer), await upload(buyer)];
    const theirs = await upload(other);
    expect(mine1).toMatch(/^\/media\/[0-9a-f-]{36}\.png$/);
    const served = await t.app.inject({ method: 'GET', url: mine1 });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');

    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色'), sku('M|黑色'), sku('L|黑色')]);
    // Another buyer's upload, a file nobody uploaded, the same photo twice: refused, nothing written.
    for (const photos of [
      [mine1, theirs],
      ['/media/00000000-0000-4000-8000-000000000000.png'],
      [mine1, mine1],
    ]) {
      const res = await review(buyer, orderId, { skuId: sku('S|黑色'), rating: 5, photos });
      expect(res.statusCode, res.body).toBe(400);
      expect(['invalid_photo', 'validation_failed']).toContain(res.json().error.code);
    }
    expect(await count(orderId)).toBe(0);
    const unused = await sql<{ n: number }>`
      select count(*)::int as n from review_photo_uploads where used_by is null and url = ${mine1}`.execute(
      t.db,
    );
    expect(unused.rows[0]?.n).toBe(1);

    const withPhotos = await review(buyer, orderId, {
      skuId: sku('S|黑色'),
      rating: 5,
      photos: [mine1, mine2],
    });
    expect(withPhotos.statusCode, withPhotos.body).toBe(201);
    expect(withPhotos.json().review.photos).toEqual([mine1, mine2]);
    // Used once: not again, in a review or a follow-up.
    const reused = await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 5, photos: [mine2] });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('invalid_photo');
    expect(await count(orderId)).toBe(1);
    const followReuse = await api('POST', `/reviews/${withPhotos.json().review.id}/follow-up`, buyer, {
      body: '再晒一张',
      photos: [mine1],
    });
    expect(followReuse.statusCode).toBe(400);
    expect(followReuse.json().error.code).toBe('invalid_photo');
    const follow = await api('POST', `/reviews/${withPhotos.json().review.id}/follow-up`, buyer, {
      body: '再晒一张',
      photos: [mine3],
    });
    expect(follow.statusCode, follow.body).toBe(200);
    expect(follow.json().review.followUp).toMatchObject({ body: '再晒一张', photos: [mine3] });
    // Ten photos: too many.
    const ten = Array.from({ length: 10 }, (_, i) => `/media/00000000-0000-4000-8000-00000000000${i}.png`);
    expect((await review(buyer, orderId, { skuId: sku('L|黑色'), rating: 5, photos: ten })).statusCode).toBe(
      400,
    );
  });

  it('the size assistant skips a review whose order was refunded in full before the event ran (no dead letter)', async () => {
    await deliverEvents(t);
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('L|黑色')]);
    const res = await review(buyer, orderId, { skuId: sku('L|黑色'), rating: 2, fit: 'small' });
    expect(res.statusCode, res.body).toBe(201);
    // Refunded in full before the subscriber runs: the order is no longer delivered (409 from sizing).
    const asked = await askRefundOnly(t, buyer, orderId, sku('L|黑色'));
    await approveAftersale(t, merchant, asked.id);
    expect((await api('GET', `/orders/${orderId}`, buyer)).json().order.status).toBe('refunded');
    await deliverEvents(t);
    const row = await sql<{ done: boolean; attempts: number; last_error: string | null }>`
      select done_at is not null as done, attempts, last_error from outbox
      where topic = 'review.created' and subscriber = 'sizing.learn-from-review'
        and payload->>'orderId' = ${orderId}`.execute(t.db);
    expect(row.rows).toMatchObject([{ done: true, last_error: null }]);
    const dead = await sql<{ n: number }>`
      select count(*)::int as n from outbox_dead_letters where topic = 'review.created'
        and payload->>'orderId' = ${orderId}`.execute(t.db);
    expect(dead.rows[0]?.n).toBe(0);
    // The fit stays on the review.
    const mine = await api('GET', `/orders/${orderId}/reviews`, buyer);
    expect(mine.json().lines[0].review).toMatchObject({ fit: 'small' });
  });

  it('fit is asked once: an answer told to the size assistant before is kept; a new one is learned from', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色'), sku('M|黑色')]);
    const told = await api('POST', `/orders/${orderId}/fit-feedback`, buyer, {
      skuId: sku('S|黑色'),
      fit: 'small',
    });
    expect(told.statusCode, told.body).toBe(201);
    const lines = await api('GET', `/orders/${orderId}/reviews`, buyer);
    const fitTold = new Map(
      (lines.json().lines as Array<{ skuId: string; fitTold: string | null }>).map((l) => [
        l.skuId,
        l.fitTold,
      ]),
    );
    expect(fitTold.get(sku('S|黑色'))).toBe('small');
    expect(fitTold.get(sku('M|黑色'))).toBeNull();

    const kept = await review(buyer, orderId, { skuId: sku('S|黑色'), rating: 3, fit: 'large' });
    expect(kept.json().review.fit).toBe('small');
    const asked = await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 5, fit: 'fit' });
    expect(asked.json().review.fit).toBe('fit');
    await deliverEvents(t);
    // The size assistant recorded the review's answer as the line's fit, once.
    const feedback = await api('GET', `/orders/${orderId}/fit-feedback`, buyer);
    const bySku = new Map(
      (feedback.json().items as Array<{ skuId: string; fit: string }>).map((i) => [i.skuId, i.fit]),
    );
    expect(bySku).toEqual(
      new Map([
        [sku('S|黑色'), 'small'],
        [sku('M|黑色'), 'fit'],
      ]),
    );
    const payloads = await sql<{ payload: { fit: string | null; isDefault: boolean; rating: number } }>`
      select payload from outbox where topic = 'review.created' and subscriber = 'sizing.learn-from-review'
        and payload->>'orderId' = ${orderId} order by id`.execute(t.db);
    expect(payloads.rows.map((r) => r.payload.fit)).toEqual(['small', 'fit']);
  });

  it('anonymous reviews show no name; others show the masked phone', async () => {
    const phone = '13617099901';
    const buyer = await t.signIn(phone);
    const product = await createApparel(t, merchant, { title: '匿名测试衫', sizes: ['M'] });
    const skuId = product.skus.get('M|黑色') as string;
    const a = await buyOrder(t, buyer, merchant, [skuId]);
    const b = await buyOrder(t, buyer, merchant, [skuId]);
    const anon = await review(buyer, a, { skuId, rating: 5, body: '匿名', anonymous: true });
    expect(anon.json().review.author).toEqual({ anonymous: true, name: null });
    t.clock.advance(1000);
    const named = await review(buyer, b, { skuId, rating: 4, body: '实名' });
    expect(named.json().review.author).toEqual({ anonymous: false, name: '136****9901' });
    const list = await api('GET', `/products/${product.productId}/reviews`);
    expect(list.json().items.map((r: { author: unknown }) => r.author)).toEqual([
      { anonymous: false, name: '136****9901' },
      { anonymous: true, name: null },
    ]);
    expect(list.body).not.toContain(phone);
  });

  it('a follow-up: once, within the policy’s days, only on my own review', async () => {
    let buyer = await newBuyer();
    const buyerPhone = lastPhone;
    const other = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|白色'), sku('L|白色')]);
    const early = (await review(buyer, orderId, { skuId: sku('S|白色'), rating: 5 })).json().review;
    const late = (await review(buyer, orderId, { skuId: sku('L|白色'), rating: 5 })).json().review;
    expect(early.followUpUntil).toBe(new Date(new Date(early.createdAt).getTime() + 30 * DAY).toISOString());
    expect((await api('POST', `/reviews/${early.id}/follow-up`, other, { body: '别人的' })).statusCode).toBe(
      404,
    );
    expect((await api('POST', `/reviews/${early.id}/follow-up`, buyer, { body: '' })).statusCode).toBe(400);
    expect(
      (await api('POST', `/reviews/${early.id}/follow-up`, buyer, { body: 'x'.repeat(501) })).statusCode,
    ).toBe(400);

    t.clock.advance(29 * DAY);
    const added = await api('POST', `/reviews/${early.id}/follow-up`, buyer, {
      body: '穿了一个月，没有变形',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().review).toMatchObject({
      followUp: { body: '穿了一个月，没有变形', photos: [] },
      followUpUntil: null,
    });
    const again = await api('POST', `/reviews/${early.id}/follow-up`, buyer, { body: '再追一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('follow_up_exists');

    t.clock.advance(2 * DAY); // 31 days after the review
    buyer = await t.signIn(buyerPhone);
    await signInAgain();
    const closed = await api('POST', `/reviews/${late.id}/follow-up`, buyer, { body: '太晚了' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('follow_up_closed');
    const mine = await api('GET', '/me/reviews', buyer);
    const lateNow = mine.json().items.find((r: { id: string }) => r.id === late.id);
    expect(lateNow).toMatchObject({ followUp: null, followUpUntil: null });

    // The operator's window applies: 40 days opens it again.
    const put = await api('PUT', '/ops/reviews/policy', operator, {
      defaultReviewDays: 15,
      followUpDays: 40,
    });
    expect(put.statusCode, put.body).toBe(200);
    const reopened = await api('POST', `/reviews/${late.id}/follow-up`, buyer, { body: '窗口放宽了' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 15, followUpDays: 30 });
  });

  it('my reviews: newest first, paged by cursor', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色'), sku('M|黑色'), sku('L|黑色')]);
    const ids: string[] = [];
    for (const key of ['S|黑色', 'M|黑色', 'L|黑色']) {
      t.clock.advance(1000);
      ids.push((await review(buyer, orderId, { skuId: sku(key), rating: 5 })).json().review.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/me/reviews?limit=2${cursor ? `&cursor=${cursor}` : ''}`, buyer);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((r: { id: string }) => r.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    for (const bad of ['nope', Buffer.from('[0,"x","y"]').toString('base64url'), 'a'.repeat(201)]) {
      expect((await api('GET', `/me/reviews?cursor=${bad}`, buyer)).statusCode).toBe(400);
    }
    expect((await api('GET', '/me/reviews?limit=51', buyer)).statusCode).toBe(400);
  });

  it('rate-limited per buyer: 20 tries an hour, then 429 until the hour has passed', async () => {
    const buyer = await newBuyer();
    const orderId = await buyOrder(t, buyer, merchant, [sku('S|黑色'), sku('M|黑色')]);
    expect((await review(buyer, orderId, { skuId: sku('S|黑色'), rating: 5 })).statusCode).toBe(201);
    for (let i = 1; i < 20; i += 1) {
      expect((await review(buyer, orderId, { skuId: sku('S|黑色'), rating: 5 })).statusCode).toBe(409);
    }
    const limited = await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 5 });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count(orderId)).toBe(1);
    // Another buyer is not held back.
    const other = await newBuyer();
    const otherOrder = await buyOrder(t, other, merchant, [sku('M|黑色')]);
    expect((await review(other, otherOrder, { skuId: sku('M|黑色'), rating: 5 })).statusCode).toBe(201);
    t.clock.advance(3601 * 1000);
    await signInAgain();
    expect((await review(buyer, orderId, { skuId: sku('M|黑色'), rating: 5 })).statusCode).toBe(201);
  });

  it('the policy: defaults until saved, validated, operators only', async () => {
    const got = await api('GET', '/ops/reviews/policy', operator);
    expect(got.statusCode).toBe(200);
    expect(got.json().policy).toEqual({ defaultReviewDays: 15, followUpDays: 30 });
    for (const body of [
      { defaultReviewDays: 0, followUpDays: 30 },
      { defaultReviewDays: 61, followUpDays: 30 },
      { defaultReviewDays: 15, followUpDays: 181 },
      { defaultReviewDays: 1.5, followUpDays: 30 },
      { defaultReviewDays: 15 },
      { defaultReviewDays: 15, followUpDays: 30, extra: true },
    ]) {
      expect((await api('PUT', '/ops/reviews/policy', operator, body)).statusCode, JSON.stringify(body)).toBe(
        400,
      );
    }
    const buyer = await newBuyer();
    expect((await api('GET', '/ops/reviews/policy', buyer)).statusCode).toBe(403);
    expect(
      (await api('PUT', '/ops/reviews/policy', merchant, { defaultReviewDays: 5, followUpDays: 5 }))
        .statusCode,
    ).toBe(403);
    const saved = await api('PUT', '/ops/reviews/policy', operator, {
      defaultReviewDays: 7,
      followUpDays: 60,
    });
    expect(saved.json()).toMatchObject({ policy: { defaultReviewDays: 7, followUpDays: 60 } });
    expect(saved.json().updatedAt).toBe(t.clock.now().toISOString());
    expect((await api('GET', '/ops/reviews/policy', operator)).json().policy).toEqual({
      defaultReviewDays: 7,
      followUpDays: 60,
    });
    await api('PUT', '/ops/reviews/policy', operator, { defaultReviewDays: 15, followUpDays: 30 });
  });

  it('the kept aggregates equal a full recount after all of the above', async () => {
    expect(await keptStats(t.db)).toEqual(await recountStats(t.db));
    expect((await recountStats(t.db)).products.length).toBeGreaterThan(0);
  });
});
