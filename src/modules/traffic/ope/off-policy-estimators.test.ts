import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, estimate, meanWeight, percentile, roundTerms } from './off-policy-estimators.ts';
import { generateSyntheticLog } from './synthetic-bandit-log.ts';

// A known world: 8 items, 3 slots (uniform), a NON-uniform logging policy π_b(a) ∝ a + 1, known
// click probabilities p(a, k) and a known evaluation policy π_e(·|k); the true value is
// V = (1/3) Σ_k Σ_a π_e(a|k) p(a, k).
const K = 8;
const SLOTS = 3;
const p = (a: number, k: number) => 0.02 + 0.01 * a + 0.015 * k;
const logging = () => Array.from({ length: K }, (_, a) => a + 1);
const piB = (a: number) => (a + 1) / ((K * (K + 1)) / 2);
const piE = (k: number) => Array.from({ length: K }, (_, a) => 0.4 / K + (a === K - 1 - 2 * k ? 0.6 : 0));
let trueValue = 0;
for (let k = 0; k < SLOTS; k++) for (let a = 0; a < K; a++) trueValue += (piE(k)[a] * p(a, k)) / SLOTS;

/** Var(w r) ≤ E[(w r)²] = (1/3) Σ_k Σ_a π_b(a) (π_e(a|k)/π_b(a))² p(a,k): bounds the error by count. */
let secondMoment = 0;
for (let k = 0; k < SLOTS; k++)
  for (let a = 0; a < K; a++) secondMoment += (piB(a) * (piE(k)[a] / piB(a)) ** 2 * p(a, k)) / SLOTS;
const tolerance = (n: number) => 4 * Math.sqrt(secondMoment / n);

function world(n: number, seed: number) {
  return generateSyntheticLog({
    nItems: K,
    slots: SLOTS,
    rounds: n,
    seed,
    clickProb: p,
    loggingWeights: logging,
  });
}

function terms(n: number, seed: number, q: (a: number, k: number) => number) {
  const log = world(n, seed);
  return roundTerms(
    log,
    (i) => piE(log[i].position),
    (i) => Array.from({ length: K }, (_, a) => q(a, log[i].position)),
  );
}

describe('off-policy estimators on a synthetic log with a known answer', () => {
  it('the generator logs the stated propensities', () => {
    const log = world(2000, 3);
    for (const r of log) expect(r.propensity).toBeCloseTo(piB(r.item), 12);
  });

  it('IPW, SNIPW and DR recover the true policy value within 4 standard errors (n = 40,000)', () => {
    const n = 40_000;
    const good = estimate(terms(n, 11, p));
    const wrongModel = estimate(terms(n, 11, () => 0.3));
    expect(trueValue).toBeGreaterThan(0.05);
    expect(Math.abs(good.ipw - trueValue)).toBeLessThan(tolerance(n));
    expect(Math.abs(good.snipw - trueValue)).toBeLessThan(tolerance(n));
    expect(Math.abs(good.dr - trueValue)).toBeLessThan(tolerance(n));
    // DR stays unbiased with a badly wrong reward model (its IPW correction), DM does not.
    expect(Math.abs(wrongModel.dr - trueValue)).toBeLessThan(2 * tolerance(n));
    expect(Math.abs(wrongModel.dm - 0.3)).toBeLessThan(1e-12);
    // With the true reward model DM is right and DR's correction is only noise around it.
    expect(Math.abs(good.dm - trueValue)).toBeLessThan(tolerance(n));
  });

  it('DR with the true reward model has a smaller error spread than IPW across seeds', () => {
    let ipwSq = 0;
    let drSq = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const e = estimate(terms(3000, seed, p));
      ipwSq += (e.ipw - trueValue) ** 2;
      drSq += (e.dr - trueValue) ** 2;
    }
    expect(drSq).toBeLessThan(ipwSq);
  });

  it('the logging policy evaluated on its own log gives its own mean click (weights 1)', () => {
    const log = world(5000, 5);
    const t = roundTerms(
      log,
      () => Array.from({ length: K }, (_, a) => piB(a)),
      () => new Array(K).fill(0),
    );
    const mean = log.reduce((s, r) => s + r.click, 0) / log.length;
    const e = estimate(t);
    expect(e.ipw).toBeCloseTo(mean, 12);
    expect(e.snipw).toBeCloseTo(mean, 12);
    expect(e.dr).toBeCloseTo(mean, 12);
    expect(meanWeight(t)).toBeCloseTo(1, 12);
  });

  it('bootstrap CIs are seeded, cover the truth and narrow like 1/√n', () => {
    const small = terms(5000, 21, p);
    const large = terms(20_000, 22, p);
    const a = bootstrapIntervals(small, { resamples: 1000, seed: 7 });
    expect(bootstrapIntervals(small, { resamples: 1000, seed: 7 })).toEqual(a);
    const b = bootstrapIntervals(large, { resamples: 1000, seed: 7 });
    for (const ci of [a.ipw, a.dr, b.ipw, b.dr, b.snipw]) {
      expect(ci[0]).toBeLessThan(trueValue);
      expect(ci[1]).toBeGreaterThan(trueValue);
    }
    const ratio = (b.ipw[1] - b.ipw[0]) / (a.ipw[1] - a.ipw[0]);
    expect(ratio).toBeGreaterThan(0.35);
    expect(ratio).toBeLessThan(0.65);
  });

  it('percentile interpolates between order statistics', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5]);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 0.5)).toBe(3);
    expect(percentile(s, 0.125)).toBeCloseTo(1.5, 12);
    expect(percentile(s, 1)).toBe(5);
  });
});
