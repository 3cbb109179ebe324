import { describe, expect, it } from 'vitest';
import { buildAvatar } from '../../../../src/modules/sizing/avatar.ts';
import type { AvatarData } from '../../shared/sizing-api.ts';
import { avatarGeometry, garmentKind } from './avatar-geometry.ts';

/** The x extent of an SVG path's coordinates (pairs of numbers). */
function widthOf(path: string): number {
  const numbers = (path.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  const xs = numbers.filter((_, i) => i % 2 === 0);
  return Math.max(...xs) - Math.min(...xs);
}

// The server's avatar data for a T-shirt at two sizes, fed to the web's drawing code.
const avatar = {
  ...buildAvatar({
    heightCm: 165,
    body: { chest: 86, waist: 70, hip: 93, shoulder: 37 },
    sizes: [
      {
        size: 'S',
        row: { chest: 88, waist: 80, shoulder: 36 },
        levels: { chest: 'tight', waist: 'slightly tight', shoulder: 'slightly tight' },
      },
      {
        size: 'L',
        row: { chest: 104, waist: 96, shoulder: 40 },
        levels: { chest: 'just right', waist: 'just right', shoulder: 'just right' },
      },
    ],
  }),
  note: { zh: '', en: '' },
} as unknown as AvatarData;

describe('try-on geometry', () => {
  it('tells tops, dresses and bottoms apart by the zones a chart measures', () => {
    expect(garmentKind(['chest', 'waist', 'shoulder'])).toBe('top');
    expect(garmentKind(['chest', 'waist', 'hip'])).toBe('dress');
    expect(garmentKind(['waist', 'hip', 'inseam'])).toBe('bottoms');
  });

  it('draws a larger size wider, on the same body', () => {
    const small = avatarGeometry(avatar, 'S');
    const large = avatarGeometry(avatar, 'L');
    expect(small.kind).toBe('top');
    expect(small.front.body).toBe(large.front.body);
    expect(widthOf(large.front.garment)).toBeGreaterThan(widthOf(small.front.garment));
    expect(widthOf(large.side.garment)).toBeGreaterThanOrEqual(widthOf(small.side.garment));
  });

  it('colours each zone by the fit level of the chosen size', () => {
    const levels = (size: string) =>
      Object.fromEntries(avatarGeometry(avatar, size).front.bands.map((b) => [b.zone, b.level]));
    expect(levels('S')).toMatchObject({ chest: 'tight', waist: 'slightly tight' });
    expect(levels('L')).toMatchObject({ chest: 'just right', waist: 'just right' });
  });
});

describe('try-on: each size drawn at its chart measurements over the body', () => {
  // a T-shirt sold S to XXL on a body with an 86 cm chest and 37 cm shoulders
  const chart: Record<string, { chest: number; shoulder: number; length: number }> = {
    S: { chest: 92, shoulder: 38, length: 60 },
    M: { chest: 96, shoulder: 39, length: 62 },
    L: { chest: 100, shoulder: 40, length: 64 },
    XL: { chest: 104, shoulder: 41, length: 66 },
    XXL: { chest: 108, shoulder: 42, length: 68 },
  };
  const body = { chest: 86, waist: 70, hip: 93, shoulder: 37 };
  const tee = {
    ...buildAvatar({
      heightCm: 164,
      body,
      sizes: [
        {
          size: 'XS',
          row: { chest: 80, shoulder: 35 },
          levels: { chest: 'tight', shoulder: 'tight' },
          lengthCm: 58,
        },
        ...Object.entries(chart).map(([size, row]) => ({
          size,
          row: { chest: row.chest, shoulder: row.shoulder },
          levels: { chest: 'just right' as const, shoulder: 'just right' as const },
          lengthCm: row.length,
        })),
      ],
    }),
  } as unknown as AvatarData;

  it('widens the chest by half the ease over the body, and hangs lower with the chart length', () => {
    const s = avatarGeometry(tee, 'S');
    const xxl = avatarGeometry(tee, 'XXL');
    for (const size of Object.keys(chart)) {
      const g = avatarGeometry(tee, size);
      const ease = chart[size].chest - body.chest;
      // front half-width: the body's plus a quarter of the ease (half of it widens the whole front)
      expect((g.garmentHalf?.chest as number) - g.bodyHalf.chest).toBeCloseTo(ease / 4, 0);
      expect(g.garmentHalf?.shoulder).toBeCloseTo(chart[size].shoulder / 2, 0);
    }
    // 16 cm more girth from S to XXL: 8 cm wider in front, and 8 cm longer
    expect(2 * ((xxl.garmentHalf?.chest as number) - (s.garmentHalf?.chest as number))).toBeCloseTo(8, 0);
    expect((s.garmentHalf?.hemY as number) - (xxl.garmentHalf?.hemY as number)).toBeCloseTo(8, 0);
    expect(widthOf(xxl.front.garment) - widthOf(s.front.garment)).toBeGreaterThan(8);
  });

  it('draws a size smaller than the body skin-tight and strained, a large one with folds', () => {
    const xs = avatarGeometry(tee, 'XS');
    expect(xs.garmentHalf?.chest).toBeCloseTo(xs.bodyHalf.chest, 0);
    expect(xs.front.creases).not.toBe('');
    const loose = {
      ...tee,
      sizes: tee.sizes.map((s) => ({
        ...s,
        zones: s.zones.map((z) => ({ ...z, level: s.size === 'XXL' ? ('loose' as const) : z.level })),
      })),
    };
    expect(avatarGeometry(loose, 'XXL').front.creases).not.toBe('');
    expect(avatarGeometry(tee, 'M').front.creases).toBe('');
  });
});
