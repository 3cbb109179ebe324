import { describe, expect, it } from 'vitest';
import { betaCdf, betaMean, lnGamma } from './beta-distribution.ts';

describe('Beta distribution helpers', () => {
  it('lnGamma matches factorials', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(101)).toBeCloseTo(363.73937555556347, 8);
  });

  it('betaCdf matches closed forms', () => {
    for (const x of [0.001, 0.1, 0.37, 0.9]) {
      expect(betaCdf(x, { alpha: 1, beta: 1 })).toBeCloseTo(x, 12);
      expect(betaCdf(x, { alpha: 2, beta: 1 })).toBeCloseTo(x * x, 12);
      expect(betaCdf(x, { alpha: 1, beta: 250 })).toBeCloseTo(1 - (1 - x) ** 250, 10);
      expect(betaCdf(x, { alpha: 0.5, beta: 1 })).toBeCloseTo(Math.sqrt(x), 10);
    }
    expect(betaCdf(0.5, { alpha: 7.3, beta: 7.3 })).toBeCloseTo(0.5, 12);
    expect(betaCdf(0, { alpha: 3, beta: 300 })).toBe(0);
    expect(betaCdf(1, { alpha: 3, beta: 300 })).toBe(1);
    expect(betaMean({ alpha: 3, beta: 297 })).toBeCloseTo(0.01, 12);
  });
});
