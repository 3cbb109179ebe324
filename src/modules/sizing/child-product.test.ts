import { describe, expect, it } from 'vitest';
import { childProfileNeeded, heightRange } from './child-product.ts';

const kidsTee = { categoryId: 'kids-tshirt', sizes: ['90', '100', '110', '120', '130', '140', '150', '160'] };

describe('a grown-up on a children’s product', () => {
  it('needs a child’s profile when far taller than the largest size', () => {
    expect(childProfileNeeded(kidsTee, { heightCm: 175, age: 30 })).toEqual({
      sizeRangeCm: [90, 160],
      heightCm: 175,
    });
  });

  it('is fine for a child, or a small adult who fits the largest size', () => {
    expect(childProfileNeeded(kidsTee, { heightCm: 128, age: 7 })).toBeNull();
    expect(childProfileNeeded(kidsTee, { heightCm: 158, age: 35 })).toBeNull();
  });

  it('never applies to grown-ups’ categories', () => {
    expect(
      childProfileNeeded({ categoryId: 'women-tshirt', sizes: ['S', 'M'] }, { heightCm: 175 }),
    ).toBeNull();
  });

  it('uses the age when the sizes are not heights', () => {
    const letters = { categoryId: 'kids-coat', sizes: ['S', 'M', 'L'] };
    expect(childProfileNeeded(letters, { heightCm: 170, age: 30 })).toEqual({
      sizeRangeCm: null,
      heightCm: 170,
    });
    expect(childProfileNeeded(letters, { heightCm: 150, age: 12 })).toBeNull();
    expect(heightRange(['S', '120'])).toBeUndefined();
  });
});
