import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptStats, recountStats } from '../../src/modules/reviews/stats.ts';
import type { ReviewsDb } from '../../src/modules/reviews/tables.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The merchant's side of reviews (its store's list, one reply, one report) and the operators' (the queue,
 * hide with a reason the buyer sees, dismiss, restore). Reviews are written through the buyer's route;
 * the aggregates must equal a full recount after every hide/restore.
 */

let t: TestApp;
let api: ReturnType<typeof apiOf>;
let merchantA: string;
let merchantB: string;
let storeA: string;
let buyer1: string;
let buyer2: string;
let operator: string;
let productA: string;
let skusA: Map<string, string>;
let skusB: Map<string, string>;
let productB: string;

interface Written {
  id: string;
  orderId: string;
  skuId: string;
}

/** One delivered order of these SKUs by the buyer, and one review per line with the given input. */
async function reviewed(
  buyer: string,
  merchant: string,
  lines: Array<{ skuId: string; rating: number; body?: string; anonymous?: boolean; tags?: string[] }>,
): Promise<Written[]> {
  const orderId = await buyOrder(
    t,
    buyer,
    merchant,
    lines.map((l) => l.skuId),
    'delivered',
  );
  const out: Written[] = [];
  for (const l of lines) {
    const res = await api('POST', `/orders/${orderId}/reviews`, buyer, {
      skuId: l.skuId,
      rating: l.rating,
      body: l.body ?? '',
      tags: l.tags ?? [],
      photos: [],
      anonymous: l.anonymous ?? false,
    });
    expect(res.statusCode, res.body).toBe(201);
    out.push({ id: res.json().review.id, orderId, skuId: l.skuId });
  }
  return out;
}

async function statsMatchRecount() {
  const db = t.db as unknown as ReviewsDb;
  expect(await keptStats(db)).toEqual(await recountStats(db));
}

async function summary(productId: string) {
  const res = await api('GET', `/products/${productId}/review-summary`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { count: number; ratingSum: number; ratingCounts: Record<string, number> };
}

async function publicIds(productId: string): Promise<string[]> {
  const res = await api('GET', `/products/${productId}/reviews?limit=50`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<{ id: string }>).map((r) => r.id);
}

async function queue(state: 'pending' | 'resolved' = 'pending') {
  const res = await api('GET', `/ops/reviews/moderation?state=${state}&limit=50`, operator);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: Array<{
      id: string;
      storeId: string;
      storeName: string;
      buyerPhone: string;
      flags: string[];
      moderation: string;
      status: string;
      report: { reason: string; resolution: string | null } | null;
    }>;
    pendingCount: number;
    nextCursor: string | null;
  };
}

let a1: Written; // store A, 5★, written by buyer1
let a2: Written; // store A, 1★, buyer1
let a3: Written; // store A, 4★, buyer2, anonymous
let b1: Written; // store B, 2★, buyer2

beforeAll(async () => {
  t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
  api = apiOf(t);
  ({ cookie: merchantA, storeId: storeA } = await apparelMerchant(t, '13700000271', '评价甲店'));
  ({ cookie: merchantB } = await apparelMerchant(t, '13700000272', '评价乙店'));
  ({ productId: productA, skus: skusA } = await createApparel(t, merchantA, {
    title: '甲店T恤',
    sizes: ['S', 'M', 'L', 'XL'],
  }));
  ({ productId: productB, skus: skusB } = await createApparel(t, merchantB, {
    title: '乙店T恤',
    sizes: ['M'],
  }));
  buyer1 = await t.signIn('13600000271');
  buyer2 = await t.signIn('13600000272');
  await t.services.identity.provision('13900000271', 'operator', 'moderation');
  operator = await t.signIn('13900000271', 'operator');
  [a1, a2] = (await reviewed(buyer1, merchantA, [
    { skuId: skusA.get('S|黑色') as string, rating: 5, body: '质量很好', tags: ['quality_good'] },
    { skuId: skusA.get('M|黑色') as string, rating: 1, body: '很差' },
  ])) as [Written, Written];
  [a3] = (await reviewed(buyer2, merchantA, [
    { skuId: skusA.get('L|黑色') as string, rating: 4, body: '还行', anonymous: true },
  ])) as [Written];
  [b1] = (await reviewed(buyer2, merchantB, [
    { skuId: skusB.get('M|黑色') as string, rating: 2, body: '一般' },
  ])) as [Written];
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('the merchant', () => {
  it("sees its own store's reviews only, newest first, with counts, the author as shown publicly", async () => {
    const res = await api('GET', '/merchant/reviews', merchantA);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    const ids = list.items.map((r: { id: string }) => r.id);
    expect(new Set(ids)).toEqual(new Set([a1.id, a2.id, a3.id]));
    expect(ids).not.toContain(b1.id);
    expect(list.counts).toEqual({ all: 3, unreplied: 3, lowRating: 1 });
    const anon = list.items.find((r: { id: string }) => r.id === a3.id);
    expect(anon.author).toEqual({ anonymous: true, name: null });
    expect(anon.productTitle).toBe('甲店T恤');
    const named = list.items.find((r: { id: string }) => r.id === a1.id);
    expect(named.author).toEqual({ anonymous: false, name: '136****0271' });
    expect(named).not.toHaveProperty('buyerPhone');
    expect(JSON.stringify(list)).not.toContain('13600000271');
    const other = await api('GET', '/merchant/reviews', merchantB);
    expect(other.json().items.map((r: { id: string }) => r.id)).toEqual([b1.id]);
  });

  it('filters by rating and product, and pages with a keyset cursor', async () => {
    const low = await api('GET', '/merchant/reviews?rating=1', merchantA);
    expect(low.json().items.map((r: { id: string }) => r.id)).toEqual([a2.id]);
    const byProduct = await api('GET', `/merchant/reviews?productId=${productB}`, merchantA);
    expect(byProduct.json().items).toEqual([]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/merchant/reviews?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api('GET', url, merchantA);
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().items.map((r: { id: string }) => r.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    const bad = await api('GET', '/merchant/reviews?cursor=not-a-cursor', merchantA);
    expect(bad.statusCode).toBe(400);
  });

  it("replies once; the reply shows on the product page; another store's review is 404", async () => {
    const res = await api('POST', `/merchant/reviews/${a1.id}/reply`, merchantA, { body: '  感谢支持！ ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().review.reply.body).toBe('感谢支持！');
    expect(res.json().review.moderation).toBe('none');
    const again = await api('POST', `/merchant/reviews/${a1.id}/reply`, merchantA, { body: '再次感谢' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('reply_exists');
    const page = await api('GET', `/products/${productA}/reviews?limit=50`);
    const shown = page.json().items.find((r: { id: string }) => r.id === a1.id);
    expect(shown.reply.body).toBe('感谢支持！');

    const foreign = await api('POST', `/merchant/reviews/${b1.id}/reply`, merchantA, { body: '你好' });
    expect(foreign.statusCode).toBe(404);
    const foreignReport = await api('POST', `/merchant/reviews/${b1.id}/report`, merchantA, {
      reason: 'spam',
    });
    expect(foreignReport.statusCode).toBe(404);

    const replied = await api('GET', '/merchant/reviews?replied=true', merchantA);
    expect(replied.json().items.map((r: { id: string }) => r.id)).toEqual([a1.id]);
    const unreplied = await api('GET', '/merchant/reviews?replied=false', merchantA);
    expect(new Set(unreplied.json().items.map((r: { id: string }) => r.id))).toEqual(new Set([a2.id, a3.id]));
    expect(unreplied.json().counts.unreplied).toBe(2);
  });

  it("a reply with a phone number is flagged and goes to the operators' queue", async () => {
    const res = await api('POST', `/merchant/reviews/${a3.id}/reply`, merchantA, {
      body: '有问题请打 138 1234 5678',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().review.flags).toContain('phone');
    expect(res.json().review.moderation).toBe('pending');
    const q = await queue();
    const item = q.items.find((r) => r.id === a3.id);
    expect(item?.flags).toContain('phone');
    expect(item?.storeName).toBe('评价甲店');
    expect(item?.buyerPhone).toBe('13600000272');
    // Dismissed: the review and the reply stay.
    const dismissed = await api('POST', `/ops/reviews/${a3.id}/dismiss`, operator);
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json().review).toMatchObject({
      status: 'visible',
      moderation: 'resolved',
      report: null,
    });
    const again = await api('POST', `/ops/reviews/${a3.id}/dismiss`, operator);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('not_pending');
    expect((await queue()).items.map((r) => r.id)).not.toContain(a3.id);
    expect((await queue('resolved')).items.map((r) => r.id)).toContain(a3.id);
  });

  it('reports a review once: it is pending in the queue with the report', async () => {
    const before = (await queue()).pendingCount;
    const res = await api('POST', `/merchant/reviews/${a2.id}/report`, merchantA, {
      reason: 'abusive',
      note: '辱骂客服',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().review.report).toMatchObject({ reason: 'abusive', note: '辱骂客服', resolution: null });
    expect(res.json().review.moderation).toBe('pending');
    const again = await api('POST', `/merchant/reviews/${a2.id}/report`, merchantA, { reason: 'spam' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_reported');
    const q = await queue();
    expect(q.pendingCount).toBe(before + 1);
    expect(q.items.find((r) => r.id === a2.id)).toMatchObject({
      storeId: storeA,
      storeName: '评价甲店',
      buyerPhone: '13600000271',
      report: { reason: 'abusive', resolution: null },
    });
  });

  it('has no route to edit or delete a review', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const res = await api(method, `/merchant/reviews/${a1.id}`, merchantA, { body: 'x' });
      expect(res.statusCode, `${method}`).toBe(404);
    }
  });
});

describe('the operators', () => {
  it('see a review with a link in its body in the queue', async () => {
    const [flagged] = (await reviewed(buyer1, merchantA, [
      { skuId: skusA.get('XL|黑色') as string, rating: 3, body: '更便宜的在 www.cheap-tees.com' },
    ])) as [Written];
    const q = await queue();
    const item = q.items.find((r) => r.id === flagged.id);
    expect(item?.flags).toContain('link');
    expect(item?.moderation).toBe('pending');
    expect(item?.report).toBeNull();
  });

  it('hide with a reason the buyer sees; the review leaves the product page and the counts; restore brings it back', async () => {
    const before = await summary(productA);
    expect(await publicIds(productA)).toContain(a2.id);
    const hidden = await api('POST', `/ops/reviews/${a2.id}/hide`, operator, { reason: '含有辱骂内容' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.json().review).toMatchObject({
      status: 'hidden',
      hiddenReason: '含有辱骂内容',
      moderation: 'resolved',
      report: { reason: 'abusive', resolution: 'hidden' },
    });
    await statsMatchRecount();
    const after = await summary(productA);
    expect(after.count).toBe(before.count - 1);
    expect(after.ratingSum).toBe(before.ratingSum - 1);
    expect(after.ratingCounts['1']).toBe((before.ratingCounts['1'] ?? 0) - 1);
    expect(await publicIds(productA)).not.toContain(a2.id);
    const store = await api('GET', `/stores/${storeA}/review-summary`);
    expect(store.json().count).toBe(after.count);

    const mine = await api('GET', '/me/reviews?limit=50', buyer1);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.find((r: { id: string }) => r.id === a2.id)).toMatchObject({
      status: 'hidden',
      hiddenReason: '含有辱骂内容',
    });
    // The merchant still sees it, hidden.
    const merchantView = await api('GET', '/merchant/reviews?rating=1', merchantA);
    expect(merchantView.json().items[0]).toMatchObject({
      id: a2.id,
      status: 'hidden',
      hiddenReason: '含有辱骂内容',
    });
    // Reported again? It is hidden already.
    const again = await api('POST', `/ops/reviews/${a2.id}/hide`, operator, { reason: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_hidden');
    const dismiss = await api('POST', `/ops/reviews/${a2.id}/dismiss`, operator);
    expect(dismiss.json().error.code).toBe('not_pending');
    await statsMatchRecount();

    const restored = await api('POST', `/ops/reviews/${a2.id}/restore`, operator);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().review).toMatchObject({ status: 'visible', hiddenReason: null });
    expect(await summary(productA)).toEqual(before);
    expect(await publicIds(productA)).toContain(a2.id);
    await statsMatchRecount();
    const notHidden = await api('POST', `/ops/reviews/${a2.id}/restore`, operator);
    expect(notHidden.statusCode).toBe(409);
    expect(notHidden.json().error.code).toBe('not_hidden');
    const mineAgain = await api('GET', '/me/reviews?limit=50', buyer1);
    expect(mineAgain.json().items.find((r: { id: string }) => r.id === a2.id)).toMatchObject({
      status: 'visible',
      hiddenReason: null,
    });
  });

  it('keep the aggregates equal to a full recount through hide/restore sequences, and two hides at once uncount once', async () => {
    const before = await summary(productA);
    const steps: Array<[string, 'hide' | 'restore']> = [
      [a1.id, 'hide'],
      [a1.id, 'restore'],
      [a3.id, 'hide'],
      [a1.id, 'hide'],
      [a1.id, 'restore'],
    ];
    for (const [id, action] of steps) {
      const res = await api(
        'POST',
        `/ops/reviews/${id}/${action}`,
        operator,
        action === 'hide' ? { reason: '测试' } : undefined,
      );
      expect(res.statusCode, `${action} ${res.body}`).toBe(200);
      await statsMatchRecount();
    }
    const [x, y] = await Promise.all([
      api('POST', `/ops/reviews/${a1.id}/hide`, operator, { reason: '并发一' }),
      api('POST', `/ops/reviews/${a1.id}/hide`, operator, { reason: '并发二' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    await statsMatchRecount();
    const [r1, r2] = await Promise.all([
      api('POST', `/ops/reviews/${a1.id}/restore`, operator),
      api('POST', `/ops/reviews/${a1.id}/restore`, operator),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    t.clock.advance(1000);
    const r3 = await api('POST', `/ops/reviews/${a3.id}/restore`, operator);
    expect(r3.statusCode, r3.body).toBe(200);
    await statsMatchRecount();
    expect(await summary(productA)).toEqual(before);
  });

  it('page the resolved queue newest decision first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/ops/reviews/moderation?state=resolved&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api('GET', url, operator);
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().items.map((r: { id: string }) => r.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe(a3.id); // restored last
  });
});

describe('reports after a decision', () => {
  it('a dismissed report leaves the review visible and counted; a hidden review cannot be reported', async () => {
    const before = await summary(productA);
    const reported = await api('POST', `/merchant/reviews/${a3.id}/report`, merchantA, {
      reason: 'irrelevant',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(reported.json().review.moderation).toBe('pending');
    const dismissed = await api('POST', `/ops/reviews/${a3.id}/dismiss`, operator);
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json().review).toMatchObject({
      status: 'visible',
      moderation: 'resolved',
      report: { reason: 'irrelevant', resolution: 'dismissed' },
    });
    expect(await summary(productA)).toEqual(before);
    expect(await publicIds(productA)).toContain(a3.id);
    await statsMatchRecount();

    const hidden = await api('POST', `/ops/reviews/${a1.id}/hide`, operator, { reason: '广告' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    const report = await api('POST', `/merchant/reviews/${a1.id}/report`, merchantA, { reason: 'spam' });
    expect(report.statusCode).toBe(409);
    expect(report.json().error.code).toBe('already_hidden');
    expect((await api('POST', `/ops/reviews/${a1.id}/restore`, operator)).statusCode).toBe(200);
    await statsMatchRecount();
  });
});

describe('roles and bad input', () => {
  it('buyers cannot moderate, merchants cannot hide, and nobody anonymous gets in', async () => {
    const storeless = await t.signIn('13700000279', 'merchant'); // a merchant account without a store
    const cases: Array<[string, string, string | undefined, unknown, number]> = [
      ['GET', '/ops/reviews/moderation', buyer1, undefined, 403],
      ['GET', '/ops/reviews/moderation', merchantA, undefined, 403],
      ['GET', '/merchant/reviews', buyer1, undefined, 403],
      ['GET', '/merchant/reviews', operator, undefined, 403],
      ['POST', `/merchant/reviews/${a1.id}/reply`, buyer1, { body: '我自己回复' }, 403],
      ['POST', `/merchant/reviews/${a1.id}/report`, buyer2, { reason: 'spam' }, 403],
      ['POST', `/ops/reviews/${a1.id}/hide`, merchantA, { reason: '商家想隐藏' }, 403],
      ['POST', `/ops/reviews/${a1.id}/hide`, buyer1, { reason: '买家想隐藏' }, 403],
      ['POST', `/ops/reviews/${a1.id}/dismiss`, merchantA, undefined, 403],
      ['POST', `/ops/reviews/${a2.id}/restore`, merchantA, undefined, 403],
      ['POST', `/ops/reviews/${a1.id}/remove-reply`, merchantA, { reason: '商家想删' }, 403],
      ['POST', `/ops/reviews/${a1.id}/remove-reply`, buyer1, { reason: '买家想删' }, 403],
      ['POST', `/ops/reviews/${a1.id}/remove-reply`, undefined, { reason: 'x' }, 401],
      ['GET', '/merchant/reviews', undefined, undefined, 401],
      ['GET', '/merchant/reviews', storeless, undefined, 403],
      ['POST', `/merchant/reviews/${a1.id}/reply`, storeless, { body: '你好' }, 403],
      ['POST', `/ops/reviews/${a1.id}/hide`, undefined, { reason: 'x' }, 401],
    ];
    const before = await dbFingerprint(t.db);
    for (const [method, url, cookie, body, status] of cases) {
      const res = await api(method as 'GET' | 'POST', url, cookie, body);
      expect(res.statusCode, `${method} ${url}`).toBe(status);
    }
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const fresh = (
      await reviewed(buyer2, merchantA, [{ skuId: skusA.get('S|黑色') as string, rating: 3 }])
    )[0]?.id as string;
    const cases: Array<[string, string, unknown]> = [
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: '' }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: '   ' }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: 'x'.repeat(501) }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: '谢谢\u0000' }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: '谢谢\u202e' }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: 5 }],
      [`/merchant/reviews/${fresh}/reply`, merchantA, { body: '谢谢', extra: 1 }],
      ['/merchant/reviews/not-a-uuid/reply', merchantA, { body: '谢谢' }],
      [`/merchant/reviews/${fresh}/report`, merchantA, { reason: 'boring' }],
      [`/merchant/reviews/${fresh}/report`, merchantA, { reason: 'spam', note: 'x'.repeat(201) }],
      [`/merchant/reviews/${fresh}/report`, merchantA, {}],
      [`/ops/reviews/${fresh}/hide`, operator, { reason: '' }],
      [`/ops/reviews/${fresh}/hide`, operator, { reason: 'x'.repeat(201) }],
      [`/ops/reviews/${fresh}/hide`, operator, { reason: '原因\u200b' }],
      [`/ops/reviews/${fresh}/hide`, operator, {}],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, {}],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '' }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '   ' }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: 'x'.repeat(201) }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '第一行\n第二行' }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '原因\u0007' }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '原因\u202e' }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: 5 }],
      [`/ops/reviews/${a1.id}/remove-reply`, operator, { reason: '含联系方式', extra: 1 }],
      ['/ops/reviews/not-a-uuid/remove-reply', operator, { reason: '含联系方式' }],
    ];
    const before = await dbFingerprint(t.db);
    for (const [url, cookie, body] of cases) {
      const res = await api('POST', url, cookie, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
    }
    for (const url of [
      '/merchant/reviews?rating=6',
      '/merchant/reviews?rating=abc',
      '/merchant/reviews?limit=0',
      '/merchant/reviews?limit=51',
      '/merchant/reviews?replied=maybe',
      '/merchant/reviews?productId=xyz',
      '/merchant/reviews?cursor=%00',
    ]) {
      const res = await api('GET', url, merchantA);
      expect(res.statusCode, url).toBe(400);
    }
    for (const url of ['/ops/reviews/moderation?state=all', '/ops/reviews/moderation?cursor=abc']) {
      const res = await api('GET', url, operator);
      expect(res.statusCode, url).toBe(400);
    }
    const unknown = await api('POST', '/ops/reviews/00000000-0000-4000-8000-000000000000/hide', operator, {
      reason: '不存在',
    });
    expect(unknown.statusCode).toBe(404);
    expect(await dbFingerprint(t.db)).toBe(before);
  });
});

describe("the operators remove a store's reply", () => {
  let buyer3: string;
  beforeAll(async () => {
    buyer3 = await t.signIn('13600000273');
  });

  /** What the merchant's list says of a review. */
  async function merchantSees(id: string) {
    const res = await api('GET', '/merchant/reviews?limit=50', merchantA);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.find((r: { id: string }) => r.id === id);
  }

  it('removes a reply with contact details from every view; the review, its rating and the aggregates stay', async () => {
    const [r] = await reviewed(buyer3, merchantA, [
      { skuId: skusA.get('XL|黑色') as string, rating: 2, body: '尺码偏小' },
    ]);
    const id = (r as Written).id;
    const replied = await api('POST', `/merchant/reviews/${id}/reply`, merchantA, {
      body: '加微信 wx13579abc 给你退差价',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json().review).toMatchObject({ moderation: 'pending', flags: ['wechat'] });
    const before = await summary(productA);
    const storeBefore = (await api('GET', `/stores/${storeA}/review-summary`)).json();
    await statsMatchRecount();

    t.clock.advance(1000);
    const removed = await api('POST', `/ops/reviews/${id}/remove-reply`, operator, {
      reason: '  回复含站外联系方式 ',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().review).toMatchObject({
      id,
      status: 'visible',
      hiddenReason: null,
      rating: 2,
      body: '尺码偏小',
      reply: null,
      replyRemoved: { reason: '回复含站外联系方式' },
      removedReplyBody: '加微信 wx13579abc 给你退差价',
      moderation: 'resolved',
      report: null,
    });

    // The product page: the review is there, without the reply.
    const page = await api('GET', `/products/${productA}/reviews?limit=50`);
    const shown = page.json().items.find((x: { id: string }) => x.id === id);
    expect(shown).toMatchObject({ body: '尺码偏小', reply: null });
    expect(page.body).not.toContain('wx13579abc');
    // The buyer: the review stands, not hidden, no reply and no removal reason.
    const mine = await api('GET', '/me/reviews?limit=50', buyer3);
    const my = mine.json().items.find((x: { id: string }) => x.id === id);
    expect(my).toMatchObject({ status: 'visible', hiddenReason: null, reply: null });
    expect(mine.body).not.toContain('wx13579abc');
    expect(mine.body).not.toContain('回复含站外联系方式');
    // The merchant: the reply is gone, and it sees that it was removed and why; it cannot reply again.
    const seen = await merchantSees(id);
    expect(seen).toMatchObject({ reply: null, replyRemoved: { reason: '回复含站外联系方式' } });
    expect(seen.replyRemoved.removedAt).toEqual(expect.any(String));
    expect(seen).not.toHaveProperty('removedReplyBody');
    const list = await api('GET', '/merchant/reviews?limit=50', merchantA);
    expect(list.body).not.toContain('wx13579abc');
    const again = await api('POST', `/merchant/reviews/${id}/reply`, merchantA, { body: '谢谢支持' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('reply_exists');
    const unreplied = await api('GET', '/merchant/reviews?replied=false&limit=50', merchantA);
    expect(unreplied.json().items.map((x: { id: string }) => x.id)).not.toContain(id);

    // Aggregates untouched, and equal to a full recount.
    expect(await summary(productA)).toEqual(before);
    expect((await api('GET', `/stores/${storeA}/review-summary`)).json()).toEqual(storeBefore);
    await statsMatchRecount();
    // Out of the queue, among the decisions.
    expect((await queue()).items.map((x) => x.id)).not.toContain(id);
    expect((await queue('resolved')).items.map((x) => x.id)).toContain(id);

    // Removed already: 409, nothing changes.
    const fingerprint = await dbFingerprint(t.db);
    const twice = await api('POST', `/ops/reviews/${id}/remove-reply`, operator, { reason: '再次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('no_reply');
    // A review without a reply: 409; an unknown one: 404.
    const none = await api('POST', `/ops/reviews/${a2.id}/remove-reply`, operator, { reason: '没有回复' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('no_reply');
    const unknown = await api(
      'POST',
      '/ops/reviews/00000000-0000-4000-8000-000000000000/remove-reply',
      operator,
      { reason: '不存在' },
    );
    expect(unknown.statusCode).toBe(404);
    expect(await dbFingerprint(t.db)).toBe(fingerprint);
  });

  it("leaves a report on the buyer's text, and the buyer's own flagged text, pending", async () => {
    const [reported, linked] = (await reviewed(buyer3, merchantA, [
      { skuId: skusA.get('S|黑色') as string, rating: 1, body: '垃圾店' },
      { skuId: skusA.get('M|黑色') as string, rating: 3, body: '更便宜的在 www.cheap-shirts.com' },
    ])) as [Written, Written];
    expect(
      (await api('POST', `/merchant/reviews/${reported.id}/report`, merchantA, { reason: 'abusive' }))
        .statusCode,
    ).toBe(201);
    for (const w of [reported, linked]) {
      const res = await api('POST', `/merchant/reviews/${w.id}/reply`, merchantA, {
        body: '请致电 139 8765 4321',
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const before = await summary(productA);
    t.clock.advance(1000);
    const a = await api('POST', `/ops/reviews/${reported.id}/remove-reply`, operator, { reason: '含手机号' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().review).toMatchObject({
      status: 'visible',
      reply: null,
      moderation: 'pending',
      report: { reason: 'abusive', resolution: null },
    });
    const b = await api('POST', `/ops/reviews/${linked.id}/remove-reply`, operator, { reason: '含手机号' });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().review).toMatchObject({ status: 'visible', reply: null, moderation: 'pending' });
    const pending = (await queue()).items.map((x) => x.id);
    expect(pending).toContain(reported.id);
    expect(pending).toContain(linked.id);
    expect(await summary(productA)).toEqual(before);
    await statsMatchRecount();
    // The operator then decides on the buyer's text as before.
    const dismissed = await api('POST', `/ops/reviews/${reported.id}/dismiss`, operator);
    expect(dismissed.json().review).toMatchObject({
      moderation: 'resolved',
      report: { resolution: 'dismissed' },
      reply: null,
      replyRemoved: { reason: '含手机号' },
    });
    const hidden = await api('POST', `/ops/reviews/${linked.id}/hide`, operator, { reason: '站外链接' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    await statsMatchRecount();
  });

  it('two removals at once: one 200, one 409', async () => {
    const [r] = (await reviewed(buyer3, merchantA, [
      { skuId: skusA.get('L|黑色') as string, rating: 5, body: '很好' },
    ])) as [Written];
    expect(
      (await api('POST', `/merchant/reviews/${r.id}/reply`, merchantA, { body: 'QQ 12345678 领券' }))
        .statusCode,
    ).toBe(200);
    const [x, y] = await Promise.all([
      api('POST', `/ops/reviews/${r.id}/remove-reply`, operator, { reason: '一' }),
      api('POST', `/ops/reviews/${r.id}/remove-reply`, operator, { reason: '二' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    await statsMatchRecount();
  });
});

describe('restoring a review', () => {
  it('keeps it pending when something was queued while it was hidden (a follow-up with a phone number)', async () => {
    const buyer4 = await t.signIn('13600000274');
    const [r] = (await reviewed(buyer4, merchantA, [
      { skuId: skusA.get('M|黑色') as string, rating: 4, body: '不错' },
    ])) as [Written];
    const hidden = await api('POST', `/ops/reviews/${r.id}/hide`, operator, { reason: '误判测试' });
    expect(hidden.json().review).toMatchObject({ status: 'hidden', moderation: 'resolved' });
    t.clock.advance(1000);
    const followUp = await api('POST', `/reviews/${r.id}/follow-up`, buyer4, {
      body: '有事打我 138 0000 1111',
      photos: [],
    });
    expect(followUp.statusCode, followUp.body).toBe(200);
    t.clock.advance(1000);
    const restored = await api('POST', `/ops/reviews/${r.id}/restore`, operator);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().review).toMatchObject({
      status: 'visible',
      hiddenReason: null,
      moderation: 'pending',
      flags: ['phone'],
    });
    expect((await queue()).items.map((x) => x.id)).toContain(r.id);
    await statsMatchRecount();
    // Dismissing it is the decision that takes it out of the queue.
    const dismissed = await api('POST', `/ops/reviews/${r.id}/dismiss`, operator);
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json().review.moderation).toBe('resolved');
    // Hidden and restored with nothing waiting: resolved.
    expect((await api('POST', `/ops/reviews/${r.id}/hide`, operator, { reason: '再测' })).statusCode).toBe(
      200,
    );
    const again = await api('POST', `/ops/reviews/${r.id}/restore`, operator);
    expect(again.json().review).toMatchObject({ status: 'visible', moderation: 'resolved' });
    await statsMatchRecount();
  });
});
