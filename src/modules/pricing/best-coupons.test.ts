import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestCoupons, type CouponCandidate } from './best-coupons.ts';

const store = (id: string, discountFen: number, thresholdFen = 0, storeId = 's1'): CouponCandidate => ({
  couponId: id,
  claimId: null,
  kind: 'store_coupon',
  storeId,
  discountFen,
  thresholdFen,
});
const platform = (id: string, discountFen: number, thresholdFen = 0): CouponCandidate => ({
  couponId: id,
  claimId: null,
  kind: 'platform_coupon',
  storeId: null,
  discountFen,
  thresholdFen,
});
const ids = (c: ReturnType<typeof bestCoupons>) => ({
  store: [...c.store.entries()].map(([s, x]) => `${s}:${x.candidate.couponId}:${x.fen}`).sort(),
  platform: c.platform ? `${c.platform.candidate.couponId}:${c.platform.fen}` : null,
  total: c.totalFen,
});

describe('bestCoupons: the most money off, ≤ 1 store coupon per store + ≤ 1 platform coupon', () => {
  it('picks the biggest store coupon whose threshold (满X减Y) is reached, and a platform coupon on top', () => {
    const choice = bestCoupons(
      [{ storeId: 's1', payableFen: 15_000, lines: 1 }],
      [store('a', 1000), store('b', 3000, 20_000), store('c', 2000, 15_000), platform('p', 500)],
    );
    expect(ids(choice)).toEqual({ store: ['s1:c:2000'], platform: 'p:500', total: 2500 });
  });

  it('gives up a store coupon when that keeps a bigger platform coupon reachable', () => {
    // Store coupon 100 takes 10000 below the platform threshold of 10000; the platform coupon is worth 3000.
    const choice = bestCoupons(
      [{ storeId: 's1', payableFen: 10_000, lines: 1 }],
      [store('a', 100), platform('p', 3000, 10_000)],
    );
    expect(ids(choice)).toEqual({ store: [], platform: 'p:3000', total: 3000 });
  });

  it('one store coupon per store, each store its own', () => {
    const choice = bestCoupons(
      [
        { storeId: 's1', payableFen: 5000, lines: 2 },
        { storeId: 's2', payableFen: 8000, lines: 1 },
      ],
      [store('a', 500), store('b', 700), store('c', 600, 0, 's2'), store('d', 9000, 0, 's2')],
    );
    // d caps at 8000 − 1 so the line still pays 1 fen
    expect(ids(choice)).toEqual({ store: ['s1:b:700', 's2:d:7999'], platform: null, total: 8699 });
  });

  it('a coupon of another store or a follow coupon of this store counts as this store’s one coupon', () => {
    const follow: CouponCandidate = { ...store('f', 800), kind: 'follow_coupon' };
    const choice = bestCoupons(
      [{ storeId: 's1', payableFen: 5000, lines: 1 }],
      [store('x', 5000, 0, 's9'), follow, store('a', 700)],
    );
    expect(ids(choice)).toEqual({ store: ['s1:f:800'], platform: null, total: 800 });
  });

  it('nothing usable: nothing chosen', () => {
    const choice = bestCoupons(
      [{ storeId: 's1', payableFen: 1, lines: 1 }],
      [store('a', 100), platform('p', 5)],
    );
    expect(ids(choice)).toEqual({ store: [], platform: null, total: 0 });
  });

  it('is never beaten by any valid combination (property, against brute force)', () => {
    const arbStore = fc.record({
      payableFen: fc.integer({ min: 1, max: 20_000 }),
      lines: fc.integer({ min: 1, max: 3 }),
    });
    const arbCoupon = fc.record({
      store: fc.integer({ min: -1, max: 2 }),
      discountFen: fc.integer({ min: 1, max: 5000 }),
      thresholdFen: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    });
    fc.assert(
      fc.property(
        fc.array(arbStore, { minLength: 1, maxLength: 3 }),
        fc.array(arbCoupon, { maxLength: 7 }),
        (storeSpecs, couponSpecs) => {
          const stores = storeSpecs
            .map((s, i) => ({ storeId: `s${i}`, ...s }))
            .filter((s) => s.payableFen >= s.lines);
          if (stores.length === 0) return;
          const candidates = couponSpecs.map((c, i) =>
            c.store < 0
              ? platform(`p${i}`, c.discountFen, c.thresholdFen)
              : store(`c${i}`, c.discountFen, c.thresholdFen, `s${c.store}`),
          );
          const got = bestCoupons(stores, candidates);
          // every choice is valid
          const total = stores.reduce((s, x) => s + x.payableFen, 0);
          const lines = stores.reduce((s, x) => s + x.lines, 0);
          let storeFen = 0;
          for (const [sid, c] of got.store) {
            const s = stores.find((x) => x.storeId === sid);
            expect(s).toBeDefined();
            expect(c.candidate.storeId).toBe(sid);
            expect(s?.payableFen).toBeGreaterThanOrEqual(c.candidate.thresholdFen);
            expect(c.fen).toBeLessThanOrEqual(
              Math.min(c.candidate.discountFen, (s?.payableFen ?? 0) - (s?.lines ?? 0)),
            );
            storeFen += c.fen;
          }
          if (got.platform) {
            expect(total - storeFen).toBeGreaterThanOrEqual(got.platform.candidate.thresholdFen);
            expect(got.platform.fen).toBeLessThanOrEqual(total - storeFen - lines);
          }
          // brute force: no combination gives more
          let best = 0;
          const options = stores.map((s) => [
            null,
            ...candidates.filter((c) => c.storeId === s.storeId && s.payableFen >= c.thresholdFen),
          ]);
          const walk = (i: number, fen: number) => {
            if (i === stores.length) {
              let p = 0;
              for (const c of candidates.filter((x) => x.storeId === null))
                if (total - fen >= c.thresholdFen)
                  p = Math.max(p, Math.min(c.discountFen, total - fen - lines));
              best = Math.max(best, fen + Math.max(0, p));
              return;
            }
            const s = stores[i] as (typeof stores)[number];
            for (const o of options[i] ?? [])
              walk(i + 1, fen + (o ? Math.max(0, Math.min(o.discountFen, s.payableFen - s.lines)) : 0));
          };
          walk(0, 0);
          expect(got.totalFen).toBe(best);
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });
});
