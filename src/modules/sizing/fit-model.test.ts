import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateBody } from './body-estimate.ts';
import { typicalChart } from './fit-charts.ts';
import { applyFeedback } from './fit-feedback.ts';
import { defaultCorrections, type FitCorrections, recommendSize } from './fit-model.ts';
import { fitLevel, zoneReason } from './fit-zone-reason.ts';
import type { SizeChart } from './schemas.ts';

const bodyOf = (chest: number, waist: number, hip: number) => ({
  sex: 'female' as const,
  estimates: {
    chest: { cm: chest, sdCm: 3 },
    waist: { cm: waist, sdCm: 3 },
    hip: { cm: hip, sdCm: 3 },
    shoulder: { cm: 37, sdCm: 1.5 },
    inseam: { cm: 78, sdCm: 2 },
  },
});

const LABELS = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const chartArb = fc
  .record({
    chest: fc.integer({ min: 70, max: 100 }),
    waist: fc.integer({ min: 55, max: 85 }),
    hip: fc.integer({ min: 80, max: 105 }),
    steps: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: LABELS.length, maxLength: LABELS.length }),
  })
  .map(({ chest, waist, hip, steps }) => {
    const chart: SizeChart = {};
    let add = 0;
    LABELS.forEach((l, i) => {
      add += i === 0 ? 0 : steps[i];
      chart[l] = { chest: chest + add, waist: waist + add, hip: hip + add };
    });
    return chart;
  });
const offsetsArb = fc.record({
  product: fc.double({ min: -2, max: 2, noNaN: true }),
  brand: fc.double({ min: -2, max: 2, noNaN: true }),
  buyer: fc.double({ min: -2, max: 2, noNaN: true }),
  w: fc.double({ min: 0, max: 1, noNaN: true }),
});
const correctionsFor = (o: { product: number; brand: number; buyer: number; w: number }): FitCorrections => {
  const c = defaultCorrections();
  c.product.p1 = o.product;
  c.brand.b1 = o.brand;
  c.buyer.u1 = o.buyer;
  c.weights.dresses.hip = o.w;
  c.buyerWidth.u1 = o.w - 0.5;
  return c;
};

describe('recommendSize', () => {
  it('recommends M for a typical body on the typical chart, with a reason per zone', () => {
    const body = estimateBody({ heightCm: 175, weightKg: 70, sex: 'male', age: 30 });
    const r = recommendSize({ body, product: { category: 'tops', fitType: 'regular' } });
    expect(r.chartSource).toBe('category');
    expect(['S', 'M']).toContain(r.recommendedSize);
    const chest = r.reasons.find((x) => x.zone === 'chest');
    expect(chest).toEqual({ zone: 'chest', easeCm: expect.any(Number), level: expect.any(String) });
    for (const s of r.sizes) expect(s.pSmall + s.pFit + s.pLarge).toBeCloseTo(1, 6);
    const small = r.sizes.find((s) => s.size === 'XS');
    const large = r.sizes.find((s) => s.size === 'XXL');
    expect(small?.pSmall).toBeGreaterThan(0.5);
    expect(large?.pLarge).toBeGreaterThan(0.5);
  });

  it('uses the product chart when given', () => {
    const chart = { S: { chest: 90 }, M: { chest: 98 }, L: { chest: 106 } };
    const r = recommendSize({ body: bodyOf(88, 70, 95), product: { category: 'tops', chart } });
    expect(r.chartSource).toBe('product');
    expect(r.recommendedSize).toBe('M');
  });

  it('judges zone reasons by ease level', () => {
    expect(zoneReason('chest', 8, 8)).toEqual({ zone: 'chest', easeCm: 8, level: 'just right' });
    expect(zoneReason('waist', -2, 6).level).toBe('tight');
    expect(zoneReason('hip', 12.34, 8)).toEqual({ zone: 'hip', easeCm: 12.3, level: 'slightly loose' });
    expect(fitLevel(-4)).toBe('slightly tight');
    expect(fitLevel(20)).toBe('loose');
  });

  it('property: a larger body never gets a smaller recommended size on the same chart', () => {
    fc.assert(
      fc.property(
        chartArb,
        offsetsArb,
        fc.integer({ min: 70, max: 120 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom('snug', 'regular', 'loose'),
        (chart, o, chest, grow, pref) => {
          const product = {
            category: 'dress',
            chart,
            productId: 'p1',
            brand: 'b1',
            fitType: 'regular' as const,
          };
          const c = correctionsFor(o);
          const a = recommendSize({
            body: bodyOf(chest, chest - 18, chest + 6),
            product,
            corrections: c,
            buyerId: 'u1',
            preference: pref,
          });
          const b = recommendSize({
            body: bodyOf(chest + grow, chest - 18 + grow, chest + 6 + grow),
            product,
            corrections: c,
            buyerId: 'u1',
            preference: pref,
          });
          expect(LABELS.indexOf(b.recommendedSize as string)).toBeGreaterThanOrEqual(
            LABELS.indexOf(a.recommendedSize as string),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: "too small" feedback never moves the recommendation down', () => {
    fc.assert(
      fc.property(
        chartArb,
        offsetsArb,
        fc.integer({ min: 70, max: 120 }),
        fc.constantFrom(...LABELS),
        (chart, o, chest, bought) => {
          const product = {
            category: 'dress',
            chart,
            productId: 'p1',
            brand: 'b1',
            fitType: 'regular' as const,
          };
          const c = correctionsFor(o);
          const body = bodyOf(chest, chest - 18, chest + 6);
          const before = recommendSize({ body, product, corrections: c });
          const after = applyFeedback(c, {
            body: bodyOf(95, 77, 101),
            product,
            size: bought,
            fit: 'small',
            buyerId: 'u2',
          });
          const r = recommendSize({ body, product, corrections: after });
          expect(LABELS.indexOf(r.recommendedSize as string)).toBeGreaterThanOrEqual(
            LABELS.indexOf(before.recommendedSize as string),
          );
          expect(after.product.p1).toBeLessThanOrEqual(c.product.p1);
          expect(c.product.p1).toBe(o.product);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applyFeedback learns a product that runs small', () => {
    let c = defaultCorrections();
    const product = {
      category: 'dress',
      productId: 'tiny',
      brand: 'b',
      chart: typicalChart('dress', 'female'),
    };
    const body = bodyOf(92, 75, 100);
    const before = recommendSize({ body, product, corrections: c }).recommendedSize;
    for (let i = 0; i < 30; i++)
      c = applyFeedback(c, { body, product, size: 'M', fit: 'small', buyerId: `u${i}` });
    const after = recommendSize({ body, product, corrections: c }).recommendedSize;
    expect(['L', 'XL', 'XXL']).toContain(after);
    expect(before).toBe('M');
    expect(JSON.parse(JSON.stringify(c)).product.tiny).toBeLessThan(0);
  });
});

describe('zone reasons follow what was learned about the garment', () => {
  it('shows more ease for a product learned to run large, and the chosen size reads as fitting', () => {
    const chart: SizeChart = {
      S: { chest: 90, waist: 74, hip: 96 },
      M: { chest: 96, waist: 80, hip: 102 },
      L: { chest: 102, waist: 86, hip: 108 },
    };
    const product = { productId: 'runs-large', category: 'tops', fitType: 'regular' as const, chart };
    const body = bodyOf(86, 70, 92);
    const plain = recommendSize({ body, product, corrections: defaultCorrections() });
    const learned = defaultCorrections();
    learned.product['runs-large'] = 1.5;
    const shifted = recommendSize({ body, product, corrections: learned });
    const chestOf = (r: typeof plain, size: string) =>
      r.sizes.find((s) => s.size === size)?.reasons.find((z) => z.zone === 'chest')?.easeCm ?? Number.NaN;
    expect(chestOf(shifted, 'M')).toBeGreaterThan(chestOf(plain, 'M'));
    const chosen = shifted.sizes.find((s) => s.size === shifted.recommendedSize);
    expect(chosen?.reasons.every((z) => z.level !== 'tight' && z.level !== 'loose')).toBe(true);
  });
});
