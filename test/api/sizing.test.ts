import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeOrdinal } from '../../src/modules/sizing/index.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import {
  apiOf,
  apparelMerchant,
  buyOrder,
  createApparel,
  TEE_CHART,
  TEE_SIZES,
} from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const answers = { heightCm: 165, weightKg: 58, age: 30, sex: 'female' as const };

describe('size assistant API: profiles, recommend, fit feedback, insights, metrics', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let otherMerchant: string;
  let operator: string;
  let buyer: string;
  let otherBuyer: string;
  let tee: { productId: string; skus: Map<string, string> };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700000001', '引力服饰'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13700000002', '别家服饰'));
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    operator = await t.signIn('13900000000', 'operator');
    buyer = await t.signIn('13600000001');
    otherBuyer = await t.signIn('13600000002');
    tee = await createApparel(t, merchant, {
      sizeChart: TEE_CHART,
      sizes: TEE_SIZES,
      colors: ['黑色', '白色', '灰色'],
    });
  });
  afterAll(async () => t?.close());

  describe('size profiles', () => {
    it('creates, lists, corrects with measurements and deletes; only the owner sees a profile', async () => {
      const created = await api('POST', '/size/profiles', buyer, { label: 'self', name: '我', answers });
      expect(created.statusCode, created.body).toBe(201);
      const profile = created.json().profile;
      // '我' is only the default name: stored as none, shown by label in the reader's language
      expect(profile).toMatchObject({ label: 'self', name: null, answers, measurements: {} });
      for (const zone of ['chest', 'waist', 'hip', 'shoulder', 'inseam']) {
        expect(profile.estimate.zones[zone].cm).toBeGreaterThan(20);
        expect(profile.estimate.zones[zone].sdCm).toBeGreaterThan(0);
        expect(profile.body[zone].source).toBe('estimate');
      }
      const list = await api('GET', '/size/profiles', buyer);
      expect(list.json().profiles.map((p: { id: string }) => p.id)).toEqual([profile.id]);

      // real measurements override the estimate zone by zone; the rest stays estimated
      const patched = await api('PATCH', `/size/profiles/${profile.id}`, buyer, {
        measurements: { chest: 91 },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().profile.body.chest).toMatchObject({ cm: 91, source: 'measured' });
      expect(patched.json().profile.body.waist.source).toBe('estimate');

      // another buyer, a merchant, an anonymous caller: no access
      expect((await api('GET', `/size/profiles/${profile.id}`, otherBuyer)).statusCode).toBe(404);
      expect((await api('PATCH', `/size/profiles/${profile.id}`, otherBuyer, { name: 'x' })).statusCode).toBe(
        404,
      );
      expect((await api('DELETE', `/size/profiles/${profile.id}`, otherBuyer)).statusCode).toBe(404);
      expect((await api('GET', '/size/profiles', merchant)).statusCode).toBe(403);
      expect((await api('GET', '/size/profiles')).statusCode).toBe(401);
      expect((await api('GET', '/size/profiles', otherBuyer)).json().profiles).toEqual([]);

      // bad input: 400 and nothing changed
      const before = await dbFingerprint(t.db);
      for (const bad of [
        { label: 'self', name: '我', answers: { ...answers, heightCm: -170 } },
        { label: 'pet', name: '猫', answers },
        { label: 'self', name: '', answers },
        { label: 'self', name: '我', answers, measurements: { chest: 500 } },
        { label: 'self', name: '我', answers: { weightKg: 60 } },
      ]) {
        const res = await api('POST', '/size/profiles', buyer, bad);
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
      }
      const badPatch = await api('PATCH', `/size/profiles/${profile.id}`, buyer, {
        measurements: { waist: -3 },
      });
      expect(badPatch.statusCode).toBe(400);
      expect(await dbFingerprint(t.db)).toEqual(before);

      const child = await api('POST', '/size/profiles', buyer, {
        label: 'child',
        name: '小宝',
        answers: { heightCm: 130, weightKg: 28, age: 8 },
      });
      expect(child.statusCode, child.body).toBe(201);
      expect((await api('DELETE', `/size/profiles/${child.json().profile.id}`, buyer)).statusCode).toBe(200);
      expect((await api('GET', `/size/profiles/${child.json().profile.id}`, buyer)).statusCode).toBe(404);
    });

    it('tells how the body was estimated as codes, also for profiles saved with English notes', async () => {
      const guess = { heightCm: 230, weightKg: 90, braSize: 'XYZ' };
      const created = await api('POST', '/size/profiles', buyer, { label: 'other', answers: guess });
      expect(created.statusCode, created.body).toBe(201);
      const { id, estimate } = created.json().profile;
      expect(estimate.notes).toEqual(
        expect.arrayContaining([
          { code: 'sex_unknown', params: {} },
          { code: 'age_unknown', params: {} },
          { code: 'bra_size_unknown', params: { braSize: 'XYZ' } },
          {
            code: 'outside_survey_range',
            params: { measure: 'height', value: 230, min: expect.any(Number), max: expect.any(Number) },
          },
        ]),
      );
      // a profile saved while notes were sentences
      await sql`update size_profiles set estimate = jsonb_set(estimate, '{notes}',
        '["sex unknown: averaged the female and male models", "age unknown: survey median used"]'::jsonb)
        where id = ${id}`.execute(t.db);
      const legacy = await api('GET', `/size/profiles/${id}`, buyer);
      expect(legacy.json().profile.estimate.notes).toEqual(estimate.notes);
      expect((await api('DELETE', `/size/profiles/${id}`, buyer)).statusCode).toBe(200);
    });
  });

  describe('recommend', () => {
    it('gives P(small/fit/large) per size, a recommendation, reasons as codes, and the avatar', async () => {
      const res = await api('POST', '/size/recommend', undefined, { productId: tee.productId, answers });
      expect(res.statusCode, res.body).toBe(200);
      const rec = res.json().recommendation;
      expect(rec.chartSource).toBe('product');
      expect(rec.sizes.map((s: { size: string }) => s.size)).toEqual(TEE_SIZES);
      for (const s of rec.sizes) {
        expect(s.pSmall + s.pFit + s.pLarge).toBeCloseTo(1, 6);
        expect(s.reasons.map((r: { zone: string }) => r.zone).sort()).toEqual(['chest', 'shoulder']);
      }
      expect(TEE_SIZES).toContain(rec.recommendedSize);
      const best = rec.sizes.find((s: { size: string }) => s.size === rec.recommendedSize);
      expect(rec.confidence).toBeCloseTo(best.pFit, 9);
      expect(Math.max(...rec.sizes.map((s: { pFit: number }) => s.pFit))).toBeCloseTo(rec.confidence, 9);
      // smaller sizes are more likely too small
      const pSmall = rec.sizes.map((s: { pSmall: number }) => s.pSmall);
      expect([...pSmall].sort((a, b) => b - a)).toEqual(pSmall);
      // codes the app words in the reader's language, no sentence
      expect(rec.reasons[0]).toEqual({
        zone: expect.stringMatching(/^(chest|shoulder)$/),
        easeCm: expect.any(Number),
        level: expect.stringMatching(/^(tight|slightly tight|just right|slightly loose|loose)$/),
      });
      expect(rec.notes).toEqual([]);
      // avatar: the body, and the garment at every size with a fit level per judged zone
      expect(rec.avatar.heightCm).toBe(165);
      expect(rec.avatar.sizes.map((s: { size: string }) => s.size)).toEqual(TEE_SIZES);
      const chestAt = (size: string) =>
        rec.avatar.sizes
          .find((s: { size: string }) => s.size === size)
          .zones.find((z: { zone: string }) => z.zone === 'chest');
      expect(chestAt('S').frontCm).toBeLessThan(chestAt('XL').frontCm);
      expect(chestAt('M').valueCm).toBe(96);
      expect(['tight', 'slightly tight', 'just right', 'slightly loose', 'loose']).toContain(
        chestAt('M').level,
      );
      const bodyChest = rec.avatar.body.find((z: { zone: string }) => z.zone === 'chest');
      expect(bodyChest.frontCm).toBeGreaterThan(bodyChest.sideCm);
    });

    it('never recommends a smaller size to a larger body on the same chart', async () => {
      let last = Number.NEGATIVE_INFINITY;
      for (const weightKg of [45, 55, 65, 80, 95]) {
        const res = await api('POST', '/size/recommend', undefined, {
          productId: tee.productId,
          answers: { ...answers, weightKg },
        });
        const ord = sizeOrdinal(res.json().recommendation.recommendedSize) as number;
        expect(ord).toBeGreaterThanOrEqual(last);
        last = ord;
      }
    });

    it("falls back to the category's typical chart and says so", async () => {
      const plain = await createApparel(t, merchant, {
        title: '无尺码表T恤',
        sizes: ['S', 'M', 'L'],
        sizeChart: null,
      });
      const res = await api('POST', '/size/recommend', undefined, { productId: plain.productId, answers });
      expect(res.statusCode, res.body).toBe(200);
      const rec = res.json().recommendation;
      expect(rec.chartSource).toBe('category');
      expect(rec.sizes.map((s: { size: string }) => s.size)).toEqual(['S', 'M', 'L']);
    });

    it('answers bad input with a clear 400 and logs nothing', async () => {
      const food = await apparelMerchant(t, '13700000003', '引力食品');
      const rice = await api('POST', '/merchant/products', food.cookie, {
        title: '东北大米',
        categoryId: 'food-rice',
        images: ['https://example.com/rice.png'],
        skus: [{ size: '5kg', color: '', priceFen: 5000, stock: 10 }],
      });
      expect(rice.statusCode, rice.body).toBe(201);
      const lengthOnly = await createApparel(t, merchant, {
        title: '只有衣长',
        sizes: ['M'],
        sizeChart: { M: { length: 60 } },
      });
      const before = await dbFingerprint(t.db);
      const cases: Array<[unknown, string]> = [
        [{ productId: tee.productId, answers: { ...answers, heightCm: -165 } }, 'validation_failed'],
        [{ productId: '00000000-0000-4000-8000-000000000000', answers }, 'unknown_product'],
        [{ productId: 'not-a-product', answers }, 'unknown_product'],
        [{ productId: rice.json().product.id, answers }, 'not_apparel'],
        [{ productId: lengthOnly.productId, answers }, 'empty_size_chart'],
        [{ productId: tee.productId }, 'body_required'],
        [{ productId: tee.productId, answers: { heightCm: 165 } }, 'validation_failed'],
      ];
      for (const [payload, code] of cases) {
        const res = await api('POST', '/size/recommend', buyer, payload);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.code).toBe(code);
      }
      expect(await dbFingerprint(t.db)).toEqual(before);
      // another buyer's profile is not found
      const mine = (await api('GET', '/size/profiles', buyer)).json().profiles[0];
      const res = await api('POST', '/size/recommend', otherBuyer, {
        productId: tee.productId,
        profileId: mine.id,
      });
      expect(res.statusCode).toBe(404);
    });

    it('a refused recommendation for one of my profiles changes nothing (not even its last use)', async () => {
      const mine = (await api('GET', '/size/profiles', buyer)).json().profiles[0];
      expect(mine).toBeDefined();
      const before = await dbFingerprint(t.db);
      const res = await api('POST', '/size/recommend', buyer, {
        productId: '00000000-0000-4000-8000-000000000000',
        profileId: mine.id,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('unknown_product');
      expect(await dbFingerprint(t.db)).toEqual(before);
    });

    it('logs each recommendation a signed-in buyer is shown, and no anonymous one', async () => {
      const count = async () =>
        (
          await sql<{ mine: number; anon: number }>`
          select count(*) filter (where account_id is not null)::int as mine,
                 count(*) filter (where account_id is null)::int as anon
          from size_recommendations where product_id = ${tee.productId}`.execute(t.db)
        ).rows[0];
      const before = await count();
      const profile = (await api('GET', '/size/profiles', buyer)).json().profiles[0];
      const res = await api('POST', '/size/recommend', buyer, {
        productId: tee.productId,
        profileId: profile.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().recommendation.profileId).toBe(profile.id);
      // the measured chest (91 cm) is what the recommendation used
      expect(res.json().recommendation.body.chest.cm).toBe(91);
      await api('POST', '/size/recommend', undefined, { productId: tee.productId, answers });
      expect(await count()).toEqual({ mine: (before?.mine ?? 0) + 1, anon: before?.anon ?? 0 });
      expect((await api('GET', '/size/profiles', buyer)).json().profiles[0].lastUsedAt).not.toBeNull();
    });
  });

  describe('fit feedback', () => {
    it('"too small" feedback moves the recommendation up, never down, through the API', async () => {
      const shopper = await t.signIn('13600000003');
      const recommend = async () => {
        const res = await api('POST', '/size/recommend', shopper, { productId: tee.productId, answers });
        expect(res.statusCode, res.body).toBe(200);
        return res.json().recommendation;
      };
      const first = await recommend();
      const lines = ['黑色', '白色', '灰色'].flatMap((c) =>
        ['M', 'L'].map((s) => tee.skus.get(`${s}|${c}`) as string),
      );
      // not delivered yet: 409, and nothing learned
      const paidOnly = await buyOrder(t, shopper, merchant, [lines[0] as string], 'paid');
      const early = await api('POST', `/orders/${paidOnly}/fit-feedback`, shopper, {
        skuId: lines[0],
        fit: 'small',
      });
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe('not_delivered');

      const orderId = await buyOrder(t, shopper, merchant, lines);
      let prev = first;
      for (const skuId of lines) {
        const res = await api('POST', `/orders/${orderId}/fit-feedback`, shopper, { skuId, fit: 'small' });
        expect(res.statusCode, res.body).toBe(201);
        const next = await recommend();
        expect(sizeOrdinal(next.recommendedSize)).toBeGreaterThanOrEqual(
          sizeOrdinal(prev.recommendedSize) as number,
        );
        const pSmall = (r: typeof first, size: string) =>
          r.sizes.find((s: { size: string }) => s.size === size).pSmall as number;
        expect(pSmall(next, first.recommendedSize)).toBeGreaterThan(pSmall(prev, first.recommendedSize));
        prev = next;
      }
      expect(sizeOrdinal(prev.recommendedSize)).toBeGreaterThan(sizeOrdinal(first.recommendedSize) as number);
      // the learned corrections are stored, one step per outcome
      const stored = await sql<{ value: number; n: number }>`
        select value, n from size_corrections where level = 'product' and key = ${tee.productId}`.execute(
        t.db,
      );
      expect(stored.rows[0]?.n).toBe(lines.length);
      expect(stored.rows[0]?.value).toBeLessThan(0);

      // once per order line; other people's orders and unknown lines are not found
      const again = await api('POST', `/orders/${orderId}/fit-feedback`, shopper, {
        skuId: lines[0],
        fit: 'fit',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('feedback_exists');
      // the answers can be read back (another device shows them), by this buyer only
      const told = await api('GET', `/orders/${orderId}/fit-feedback`, shopper);
      expect(told.statusCode).toBe(200);
      expect(
        told
          .json()
          .items.map((i: { skuId: string; fit: string }) => [i.skuId, i.fit])
          .sort(),
      ).toEqual(lines.map((skuId) => [skuId, 'small']).sort());
      expect((await api('GET', `/orders/${orderId}/fit-feedback`, otherBuyer)).statusCode).toBe(404);
      const before = await dbFingerprint(t.db);
      expect(
        (await api('POST', `/orders/${orderId}/fit-feedback`, otherBuyer, { skuId: lines[0], fit: 'fit' }))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await api('POST', `/orders/${orderId}/fit-feedback`, shopper, {
            skuId: tee.skus.get('XL|黑色'),
            fit: 'fit',
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await api('POST', `/orders/${orderId}/fit-feedback`, shopper, { skuId: lines[1], fit: 'huge' }))
          .statusCode,
      ).toBe(400);
      expect(
        (await api('POST', `/orders/${orderId}/fit-feedback`, merchant, { skuId: lines[1], fit: 'fit' }))
          .statusCode,
      ).toBe(403);
      expect(await dbFingerprint(t.db)).toEqual(before);
    });
  });

  describe('merchant insights and operator metrics', () => {
    it("shows the merchant's products with feedback counts, verdict and chart correction; only their own", async () => {
      const res = await api('GET', '/merchant/size-insights', merchant);
      expect(res.statusCode, res.body).toBe(200);
      const item = res.json().items.find((i: { productId: string }) => i.productId === tee.productId);
      expect(item.feedback).toEqual({ small: 6, fit: 0, large: 0, total: 6 });
      expect(item.verdict).toBe('runs_small');
      expect(item.purchasedLines).toBe(7);
      expect(item.sizeRefunds).toBe(0);
      expect(item.sizeRefundRate).toBe(0);
      expect(item.suggestedChartCorrectionCm.chest).toBeLessThan(0);
      expect(Object.keys(item.suggestedChartCorrectionCm).sort()).toEqual(['chest', 'shoulder']);
      // a product without enough outcomes gets no verdict
      const plain = res.json().items.find((i: { title: string }) => i.title === '无尺码表T恤');
      expect(plain).toMatchObject({
        verdict: 'not_enough_data',
        suggestedChartCorrectionCm: null,
        hasChart: false,
      });

      const other = await api('GET', '/merchant/size-insights', otherMerchant);
      expect(other.json().items).toEqual([]);
      expect((await api('GET', '/merchant/size-insights', buyer)).statusCode).toBe(403);
    });

    it('tells the operator the share of apparel lines with a recommendation, with a daily series', async () => {
      const res = await api('GET', '/ops/size-metrics?days=30', operator);
      expect(res.statusCode, res.body).toBe(200);
      const m = res.json();
      // 7 purchased apparel lines, all by a buyer who had seen a recommendation for the product first
      expect(m.apparelLines).toBe(7);
      expect(m.linesWithRecommendation).toBe(7);
      expect(m.recommendationShare).toBe(1);
      expect(m.sizeRefundRate).toEqual({ withRecommendation: 0, withoutRecommendation: null });
      expect(m.fitOutcomes).toEqual({ small: 6, fit: 0, large: 0 });
      expect(m.recommendationsShown).toBeGreaterThan(5);
      expect(m.daily.reduce((n: number, d: { lines: number }) => n + d.lines, 0)).toBe(7);
      expect(m.daily[0].day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((await api('GET', '/ops/size-metrics', merchant)).statusCode).toBe(403);
      expect((await api('GET', '/ops/size-metrics?days=0', operator)).statusCode).toBe(400);
    });

    it('lists every route in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      for (const path of [
        '/api/v1/size/profiles',
        '/api/v1/size/profiles/{id}',
        '/api/v1/size/recommend',
        '/api/v1/orders/{id}/fit-feedback',
        '/api/v1/merchant/size-insights',
        '/api/v1/ops/size-metrics',
      ]) {
        expect(doc.paths[path], path).toBeDefined();
      }
      expect(doc.paths['/api/v1/size/recommend'].post.tags).toEqual(['sizing']);
    });
  });

  describe('abuse: a public, CPU-heavy route', () => {
    const recommendFrom = (remoteAddress: string, cookie?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/size/recommend',
        remoteAddress,
        headers: cookie ? { cookie } : {},
        payload: { productId: tee.productId, answers },
      });

    it('answers the 61st anonymous recommendation of a minute from one address with 429, and no one else', async () => {
      const limit = 60; // the default per address and minute
      for (let i = 0; i < limit; i += 1) {
        const res = await recommendFrom('203.0.113.7');
        expect(res.statusCode, res.body).toBe(200);
      }
      const refused = await recommendFrom('203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.any(String) } });
      // another address, and a signed-in buyer at the same address, are counted apart
      expect((await recommendFrom('203.0.113.8')).statusCode).toBe(200);
      const shopper = await t.signIn('13600000077');
      expect((await recommendFrom('203.0.113.7', shopper)).statusCode).toBe(200);
      // the next window is open again
      t.clock.advance(60_000);
      expect((await recommendFrom('203.0.113.7')).statusCode).toBe(200);
    });

    it('limits a signed-in buyer per account, whatever address they come from', async () => {
      const limit = 120; // the default per account and minute
      const shopper = await t.signIn('13600000078');
      for (let i = 0; i < limit; i += 1) {
        const res = await recommendFrom(`198.51.100.${i % 200}`, shopper);
        expect(res.statusCode, res.body).toBe(200);
      }
      const refused = await recommendFrom('198.51.100.250', shopper);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
    });

    it('writes nothing for an anonymous recommendation; a signed-in one is logged; the metrics count both', async () => {
      const shown = async () =>
        (await api('GET', '/ops/size-metrics?days=1', operator)).json().recommendationsShown as number;
      const logged = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from size_recommendations`.execute(t.db)).rows[0]
          ?.n;
      const shownBefore = await shown();
      const loggedBefore = await logged();
      const before = await dbFingerprint(t.db);
      for (let i = 0; i < 3; i += 1) expect((await recommendFrom('192.0.2.10')).statusCode).toBe(200);
      expect(await dbFingerprint(t.db)).toEqual(before);
      expect(await shown()).toBe(shownBefore + 3);

      const shopper = await t.signIn('13600000079');
      expect((await recommendFrom('192.0.2.10', shopper)).statusCode).toBe(200);
      expect(await logged()).toBe((loggedBefore ?? 0) + 1);
      expect(await shown()).toBe(shownBefore + 4);
    });
  });

  describe('what a new user meets (issue 9)', () => {
    const recommend = (body: object) => api('POST', '/size/recommend', otherBuyer, body);

    it('says "between" when two neighbouring sizes are about as likely to fit, and leans by fit preference', async () => {
      let between: { smaller: string; larger: string; weightKg: number } | undefined;
      for (const weightKg of [45, 50, 55, 60, 65, 70, 75, 80]) {
        const rec = (await recommend({ productId: tee.productId, answers: { ...answers, weightKg } })).json()
          .recommendation;
        const pFit = (size: string) => rec.sizes.find((s: { size: string }) => s.size === size).pFit;
        // Firm, or (at the light and heavy ends) beyond the range: either way one size, the one recommended.
        if (rec.decision.code === 'firm' || rec.decision.code === 'beyond') {
          expect(rec.decision.size).toBe(rec.recommendedSize);
          continue;
        }
        expect(rec.decision.code).toBe('between');
        const { smaller, larger, pick } = rec.decision;
        expect(TEE_SIZES.indexOf(larger) - TEE_SIZES.indexOf(smaller)).toBe(1);
        expect(Math.abs(pFit(smaller) - pFit(larger))).toBeLessThanOrEqual(0.05);
        expect(pick).toBe(rec.recommendedSize);
        between ??= { smaller, larger, weightKg };
      }
      expect(between).toBeDefined();
      const leaning = async (fitPreference: string) =>
        (
          await recommend({
            productId: tee.productId,
            answers: { ...answers, weightKg: between?.weightKg, fitPreference },
          })
        ).json().recommendation;
      const snug = await leaning('snug');
      if (snug.decision.code === 'between') expect(snug.recommendedSize).toBe(snug.decision.smaller);
      const loose = await leaning('loose');
      if (loose.decision.code === 'between') expect(loose.recommendedSize).toBe(loose.decision.larger);
    });

    it('tells a slim buyer that even the smallest size of a plus-size range will likely be loose', async () => {
      const plus = await createApparel(t, merchant, {
        title: '大码宽松T恤',
        categoryId: 'women-tshirt',
        sizes: ['XL', '2XL', '3XL', '4XL'],
        sizeChart: {
          XL: { chest: 124, waist: 118, shoulder: 46 },
          '2XL': { chest: 130, waist: 124, shoulder: 47.5 },
          '3XL': { chest: 136, waist: 130, shoulder: 49 },
          '4XL': { chest: 142, waist: 136, shoulder: 50.5 },
        },
      });
      const slim = (
        await recommend({ productId: plus.productId, answers: { ...answers, heightCm: 160, weightKg: 45 } })
      ).json().recommendation;
      expect(slim.decision).toEqual({ code: 'beyond', size: 'XL', direction: 'large' });
      expect(slim.recommendedSize).toBe('XL');
      const xl = slim.sizes.find((s: { size: string }) => s.size === 'XL');
      expect(xl.pLarge).toBeGreaterThan(xl.pFit);
    });

    it('asks for a child’s profile instead of recommending a children’s size to a grown-up', async () => {
      const kidsTee = await createApparel(t, merchant, {
        title: '儿童T恤',
        categoryId: 'kids-tshirt',
        sizes: ['110', '120', '130', '140'],
        sizeChart: {
          '110': { chest: 64, shoulder: 28 },
          '120': { chest: 68, shoulder: 29.5 },
          '130': { chest: 72, shoulder: 31 },
          '140': { chest: 76, shoulder: 32.5 },
        },
      });
      const adult = await recommend({ productId: kidsTee.productId, answers });
      expect(adult.statusCode, adult.body).toBe(422);
      expect(adult.json().error).toMatchObject({
        code: 'child_profile_needed',
        details: { sizeRangeCm: [110, 140], heightCm: 165 },
      });
      const child = await recommend({
        productId: kidsTee.productId,
        answers: { heightCm: 125, weightKg: 24, age: 7, sex: 'male' },
      });
      expect(child.statusCode, child.body).toBe(200);
      expect(['110', '120', '130', '140']).toContain(child.json().recommendation.recommendedSize);
    });

    it('flags 219 cm and 40 kg for a second look, and still refuses impossible values', async () => {
      const odd = await recommend({ productId: tee.productId, answers: { heightCm: 219, weightKg: 40 } });
      expect(odd.statusCode, odd.body).toBe(200);
      expect(odd.json().recommendation.bodyCheck).toEqual(['bmi_low', 'height_high']);
      const usual = await recommend({ productId: tee.productId, answers });
      expect(usual.json().recommendation.bodyCheck).toEqual([]);
      const profile = await api('POST', '/size/profiles', otherBuyer, {
        label: 'other',
        answers: { heightCm: 219, weightKg: 40 },
      });
      expect(profile.json().profile.bodyCheck).toEqual(['bmi_low', 'height_high']);
      await api('DELETE', `/size/profiles/${profile.json().profile.id}`, otherBuyer);
      const impossible = await recommend({
        productId: tee.productId,
        answers: { heightCm: 300, weightKg: 40 },
      });
      expect(impossible.statusCode).toBe(400);
    });

    it('stores the default profile name as none, shown by label in any language; own names are kept', async () => {
      const unnamed = (await api('POST', '/size/profiles', otherBuyer, { label: 'self', answers })).json()
        .profile;
      expect(unnamed.name).toBeNull();
      const english = (
        await api('POST', '/size/profiles', otherBuyer, { label: 'self', name: 'Me', answers })
      ).json().profile;
      expect(english.name).toBeNull();
      const named = await api('PATCH', `/size/profiles/${english.id}`, otherBuyer, { name: '小王' });
      expect(named.json().profile.name).toBe('小王');
      const reset = await api('PATCH', `/size/profiles/${english.id}`, otherBuyer, { name: null });
      expect(reset.json().profile.name).toBeNull();
      // a row written before names could be null still reads as the default name
      await sql`update size_profiles set name = '我' where id = ${unnamed.id}`.execute(t.db);
      expect((await api('GET', `/size/profiles/${unnamed.id}`, otherBuyer)).json().profile.name).toBeNull();
      for (const p of [unnamed, english]) await api('DELETE', `/size/profiles/${p.id}`, otherBuyer);
    });
  });
});
