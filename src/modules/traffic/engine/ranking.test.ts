import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../platform/random.ts';
import { fitBand, fitLifts, meanValue, pooledRate, posterior, sampleBeta, sampledValue } from './ranking.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Beta posteriors and draws', () => {
  it('posterior adds successes and failures to the prior', () => {
    expect(posterior({ mean: 0.1, strength: 10 }, 3, 10)).toEqual({ a: 4, b: 16 });
  });

  it('draws have the Beta mean, exact and approximate, small and large', () => {
    const random = mulberry32(1);
    for (const [a, b] of [
      [2, 5],
      [0.5, 3],
      [5, 95],
      [30, 270],
    ]) {
      const draws = Array.from({ length: 4000 }, () => sampleBeta(a, b, random));
      expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
      expect(mean(draws)).toBeCloseTo(a / (a + b), 2);
    }
  });

  it('draws of an uncertain rate spread more than of a well-known one (Thompson explores the new)', () => {
    const random = mulberry32(2);
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    const fresh = Array.from({ length: 2000 }, () => sampleBeta(5, 95, random));
    const known = Array.from({ length: 2000 }, () => sampleBeta(500, 9500, random));
    expect(sd(fresh)).toBeGreaterThan(3 * sd(known));
  });

  it('pooled rates shrink little data toward the parent', () => {
    const parent = { mean: 0.05, strength: 100 };
    expect(pooledRate(1, 1, parent, 10).mean).toBeLessThan(0.07);
    expect(pooledRate(5000, 10000, parent, 10).mean).toBeGreaterThan(0.49);
  });
});

describe('expected value per impression', () => {
  const priors = { ctrPrior: { mean: 0.05, strength: 100 }, cvrPrior: { mean: 0.1, strength: 20 } };
  it('is click-through × conversion × price, scaled by the fit lift', () => {
    const counts = { impressions: 0, clicks: 0, orders: 0 };
    expect(meanValue({ counts, ...priors, priceFen: 10000, lift: 1 })).toBeCloseTo(50, 6);
    expect(meanValue({ counts, ...priors, priceFen: 10000, lift: 2 })).toBeCloseTo(100, 6);
  });

  it('learns from outcomes: an item that sells is worth more than one that does not', () => {
    const good = meanValue({
      counts: { impressions: 1000, clicks: 100, orders: 30 },
      ...priors,
      priceFen: 5000,
      lift: 1,
    });
    const bad = meanValue({
      counts: { impressions: 1000, clicks: 10, orders: 0 },
      ...priors,
      priceFen: 5000,
      lift: 1,
    });
    expect(good).toBeGreaterThan(10 * bad);
  });

  it('Thompson draws average to the posterior mean', () => {
    const random = mulberry32(3);
    const v = { counts: { impressions: 200, clicks: 12, orders: 2 }, ...priors, priceFen: 8000, lift: 1 };
    const draws = Array.from({ length: 5000 }, () => sampledValue(v, random));
    expect(mean(draws) / meanValue(v)).toBeGreaterThan(0.9);
    expect(mean(draws) / meanValue(v)).toBeLessThan(1.1);
  });
});

describe('fit lifts', () => {
  it('bands cover [-1, 1]', () => {
    expect(fitBand(-1)).toBe(0);
    expect(fitBand(1)).toBe(7);
    expect(fitBand(0)).toBe(4);
  });

  it('are above 1 where buyers who fit click more, 1 with no data', () => {
    expect(fitLifts(Array.from({ length: 8 }, () => ({ impressions: 0, clicks: 0 })))).toEqual(
      new Array(8).fill(1),
    );
    const bands = Array.from({ length: 8 }, (_, i) => ({ impressions: 10000, clicks: 100 * (i + 1) }));
    const lifts = fitLifts(bands);
    expect(lifts[7]).toBeGreaterThan(1.5);
    expect(lifts[0]).toBeLessThan(0.5);
  });
});
