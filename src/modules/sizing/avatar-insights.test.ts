import { describe, expect, it } from 'vitest';
import {
  buildAvatar,
  EASE_TO_FRONT,
  EASE_TO_SIDE,
  ellipsePerimeter,
  SECTION_RATIO,
  sectionOf,
} from './avatar.ts';
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

  it('draws each size at its chart measurements relative to the body: ease widens it, a small size hugs the body', () => {
    // a T-shirt sold S to XXL (chest 92 … 108 cm) on a body with an 86 cm chest
    const chart = { S: 92, M: 96, L: 100, XL: 104, XXL: 108 };
    const body = { chest: 86, shoulder: 37 };
    const a = buildAvatar({
      heightCm: 164,
      body,
      sizes: Object.entries(chart).map(([size, chest]) => ({
        size,
        row: { chest, shoulder: 34 + chest / 16 },
        levels: { chest: 'just right' as const, shoulder: 'just right' as const },
      })),
    });
    const bodyChest = sectionOf(body.chest, SECTION_RATIO.chest);
    const chestOf = (size: string) =>
      a.sizes.find((s) => s.size === size)?.zones.find((z) => z.zone === 'chest');
    for (const [size, girth] of Object.entries(chart)) {
      const drawn = chestOf(size);
      // the width over the body grows by half the ease, the depth by a quarter
      expect(drawn?.frontCm).toBeCloseTo(bodyChest.frontCm + EASE_TO_FRONT * (girth - body.chest), 0);
      expect(drawn?.sideCm).toBeCloseTo(bodyChest.sideCm + EASE_TO_SIDE * (girth - body.chest), 0);
    }
    // S to XXL: 16 cm more girth shows as 8 cm more width, not the 6 cm of a bigger ellipse
    expect((chestOf('XXL')?.frontCm as number) - (chestOf('S')?.frontCm as number)).toBeCloseTo(8, 0);

    // smaller than the body: stretched to it, never drawn narrower
    const tight = buildAvatar({
      heightCm: 164,
      body,
      sizes: [{ size: 'XS', row: { chest: 80 }, levels: { chest: 'tight' }, lengthCm: 56 }],
    });
    expect(tight.sizes[0]?.zones[0]?.frontCm).toBeCloseTo(bodyChest.frontCm, 0);
    expect(tight.sizes[0]?.lengthCm).toBe(56);
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
