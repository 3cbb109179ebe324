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

  it('has nothing to decide without sizes', () => {
    expect(decideSize([])).toEqual({ code: 'none' });
  });
});
