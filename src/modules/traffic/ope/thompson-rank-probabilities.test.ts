import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../platform/random.ts';
import type { BetaPosterior } from './beta-distribution.ts';
import { cdfOnGrid, rateGrid, thompsonRankProbabilities } from './thompson-rank-probabilities.ts';

/** Gamma(shape ≥ 1) by Marsaglia–Tsang; Beta(α, β) = X / (X + Y). */
function gammaDraw(rng: () => number, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-300))) * Math.cos(2 * Math.PI * rng());
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(Math.max(rng(), 1e-300)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function betaDraw(rng: () => number, b: BetaPosterior): number {
  const x = gammaDraw(rng, b.alpha);
  return x / (x + gammaDraw(rng, b.beta));
}

describe('thompsonRankProbabilities', () => {
  const arms: BetaPosterior[] = [
    { alpha: 1, beta: 240 },
    { alpha: 3, beta: 250 },
    { alpha: 2, beta: 180 },
    { alpha: 1, beta: 120 },
    { alpha: 4, beta: 200 },
  ];
  const grid = rateGrid(3000);
  const cdfs = arms.map((a) => cdfOnGrid(a, grid));

  it('integrates to a distribution per slot and per arm before renormalising', () => {
    const raw = thompsonRankProbabilities(cdfs, 3, { renormalise: false });
    for (let k = 0; k < 3; k++) expect(Math.abs(raw.reduce((s, r) => s + r[k], 0) - 1)).toBeLessThan(1e-3);
    for (const row of raw) expect(row.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1 + 1e-3);
    const pi = thompsonRankProbabilities(cdfs, 3);
    for (let k = 0; k < 3; k++) expect(pi.reduce((s, r) => s + r[k], 0)).toBeCloseTo(1, 12);
  });

  it('matches a seeded Monte Carlo of Thompson ranking (60,000 draws; 4.5 standard errors)', () => {
    const pi = thompsonRankProbabilities(cdfs, 3);
    const rng = mulberry32(42);
    const draws = 60_000;
    const counts = arms.map(() => [0, 0, 0]);
    for (let d = 0; d < draws; d++) {
      const theta = arms.map((b) => betaDraw(rng, b));
      const order = theta.map((t, a) => ({ t, a })).sort((x, y) => y.t - x.t);
      for (let k = 0; k < 3; k++) counts[order[k].a][k]++;
    }
    for (let a = 0; a < arms.length; a++)
      for (let k = 0; k < 3; k++) {
        const mc = counts[a][k] / draws;
        const se = Math.sqrt((pi[a][k] * (1 - pi[a][k])) / draws);
        expect(Math.abs(mc - pi[a][k])).toBeLessThan(4.5 * se + 1e-3);
      }
  });

  it('identical arms are ranked uniformly; a far better arm takes the first slot', () => {
    const same = Array.from({ length: 4 }, () => cdfOnGrid({ alpha: 2, beta: 300 }, grid));
    for (const row of thompsonRankProbabilities(same, 3)) for (const x of row) expect(x).toBeCloseTo(0.25, 3);
    const best = thompsonRankProbabilities([cdfOnGrid({ alpha: 60, beta: 240 }, grid), ...same], 3);
    expect(best[0][0]).toBeGreaterThan(0.999);
  });

  it('needs as many arms as slots', () => {
    expect(() => thompsonRankProbabilities(cdfs.slice(0, 2), 3)).toThrow(/at least/);
  });
});
