import { describe, expect, it } from 'vitest';
import { BETWEEN_MARGIN, decideSize } from './size-decision.ts';

const run = (pFits: Record<string, number>) => Object.entries(pFits).map(([size, pFit]) => ({ size, pFit }));

describe('size decision', () => {
  it('calls M at 54% beside S at 51% and L at 53% a choice between M and L', () => {
    expect(decideSize(run({ S: 0.51, M: 0.54, L: 0.53, XL: 0.2 }))).toEqual({
      code: 'between',
      smaller: 'M',
      larger: 'L',
      pick: 'M',
      preference: null,
    });
  });

  it('leans on the buyer’s fit preference between two close sizes', () => {
    const sizes = run({ S: 0.2, M: 0.54, L: 0.53 });
    expect(decideSize(sizes, 'snug')).toMatchObject({ code: 'between', pick: 'M', preference: 'snug' });
    expect(decideSize(sizes, 'loose')).toMatchObject({ code: 'between', pick: 'L', preference: 'loose' });
  });

  it('is firm when the best size leads its neighbours by more than the margin', () => {
    expect(decideSize(run({ S: 0.3, M: 0.8, L: 0.8 - BETWEEN_MARGIN - 0.01 }))).toEqual({
      code: 'firm',
      size: 'M',
    });
    expect(decideSize(run({ M: 0.6 }))).toEqual({ code: 'firm', size: 'M' });
  });

  it('only pairs neighbouring sizes: a close size two steps away keeps the answer firm', () => {
    expect(decideSize(run({ S: 0.6, M: 0.2, L: 0.59 }))).toEqual({ code: 'firm', size: 'S' });
  });

  it('says when even the smallest size is likely loose, or even the largest likely tight', () => {
    const plusSizes = [
      { size: 'XL', pSmall: 0.03, pFit: 0.37, pLarge: 0.6 },
      { size: '2XL', pSmall: 0.02, pFit: 0.25, pLarge: 0.73 },
      { size: '3XL', pSmall: 0.01, pFit: 0.15, pLarge: 0.84 },
    ];
    expect(decideSize(plusSizes)).toEqual({ code: 'beyond', size: 'XL', direction: 'large' });
    const petite = [
      { size: 'XS', pSmall: 0.85, pFit: 0.14, pLarge: 0.01 },
      { size: 'S', pSmall: 0.6, pFit: 0.38, pLarge: 0.02 },
    ];
    expect(decideSize(petite)).toEqual({ code: 'beyond', size: 'S', direction: 'small' });
    // At the end of the range but likelier to fit than not: an ordinary answer.
    expect(decideSize([{ size: 'S', pSmall: 0.1, pFit: 0.6, pLarge: 0.3 }, { ...plusSizes[0] }])).toEqual({
      code: 'firm',
      size: 'S',
    });
  });

  it('has nothing to decide without sizes', () => {
    expect(decideSize([])).toEqual({ code: 'none' });
  });
});
