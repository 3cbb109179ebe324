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
