import { describe, expect, it } from 'vitest';
import { buildAvatar, ellipsePerimeter, sectionOf } from './avatar.ts';
import { estimateBody } from './body-estimate.ts';
import { chartCorrection, productShift, verdictOf } from './insights.ts';
import { usableChart } from './product-chart.ts';
import { effectiveBody } from './profiles.ts';

describe('avatar geometry', () => {
  it('turns a circumference into an ellipse with that perimeter and the zone ratio', () => {
    const s = sectionOf(100, 1.35);
    expect(s.frontCm / s.sideCm).toBeCloseTo(1.35, 9);
    expect(ellipsePerimeter(s.frontCm / 2, s.sideCm / 2)).toBeCloseTo(100, 6);
    // a circle: perimeter 2πr
    expect(ellipsePerimeter(10, 10)).toBeCloseTo(20 * Math.PI, 6);
  });

  it('draws the garment wider at larger sizes and keeps the fit level of each zone', () => {
    const a = buildAvatar({
      heightCm: 170,
      body: { chest: 92, shoulder: 38 },
      sizes: [
        {
          size: 'M',
          row: { chest: 100, shoulder: 39 },
          levels: { chest: 'just right', shoulder: 'slightly tight' },
        },
        {
          size: 'L',
          row: { chest: 106, shoulder: 40 },
          levels: { chest: 'slightly loose', shoulder: 'just right' },
        },
      ],
    });
    const chest = (i: number) => a.sizes[i]?.zones.find((z) => z.zone === 'chest');
    expect(chest(0)?.frontCm).toBeLessThan(chest(1)?.frontCm as number);
    expect(chest(0)).toMatchObject({ easeCm: 8, level: 'just right', valueCm: 100 });
    expect(a.body.find((z) => z.zone === 'shoulder')).toMatchObject({ frontCm: 38, yCm: 139.1 });
  });
});

describe('merchant insights', () => {
  const product = {
    productId: 'p',
    category: 'women-tshirt',
    fitType: 'regular' as const,
    chart: {
      S: { chest: 90, shoulder: 36 },
      M: { chest: 96, shoulder: 37 },
      L: { chest: 102, shoulder: 38 },
    },
  };
  const body = effectiveBody(estimateBody({ heightCm: 165, weightKg: 58, sex: 'female' }), {});

  it('reads "too small" outcomes as a product that runs small, and "too large" as large', () => {
    const small = productShift(
      product,
      Array.from({ length: 8 }, () => ({ size: 'M', fit: 'small' as const, body })),
    );
    const large = productShift(
      product,
      Array.from({ length: 8 }, () => ({ size: 'M', fit: 'large' as const, body })),
    );
    expect(small).toBeLessThan(0);
    expect(large).toBeGreaterThan(0);
    expect(verdictOf(8, small * 5)).toBe('runs_small');
    expect(verdictOf(8, large * 5)).toBe('runs_large');
    expect(verdictOf(3, small * 5)).toBe('not_enough_data');
    expect(chartCorrection('runs_small', -3.2, ['chest', 'shoulder'])).toEqual({ chest: -3, shoulder: -3 });
    expect(chartCorrection('true_to_size', 0.4, ['chest'])).toBeNull();
  });

  it('keeps chart sizes in the order the product sells them and drops zones the model does not judge', () => {
    const chart = usableChart({
      sizeChart: { XL: { chest: 108 }, M: { chest: 96, length: 62 }, S: { length: 60 } },
      sizes: ['S', 'M', 'XL'],
    });
    expect(Object.keys(chart ?? {})).toEqual(['M', 'XL']);
    expect(chart?.M).toEqual({ chest: 96 });
  });
});
