import { mulberry32 } from '../../../platform/random.ts';

/**
 * Off-policy estimators of an evaluation policy's expected click per logged round (slot), as
 * defined by Saito et al. 2020 (Open Bandit Pipeline, arXiv:2008.07146), per round i with logged
 * item a_i at position k_i, click r_i, logged propensity p_i = π_b(a_i | x_i, k_i):
 *   w_i = π_e(a_i | x_i, k_i) / p_i
 *   IPW   = mean(w_i r_i)
 *   SNIPW = Σ w_i r_i / Σ w_i
 *   DM    = mean(Σ_a π_e(a | x_i, k_i) q̂(x_i, a, k_i))
 *   DR    = mean(Σ_a π_e(a | x_i, k_i) q̂(x_i, a, k_i) + w_i (r_i − q̂(x_i, a_i, k_i)))
 */
export interface RoundTerms {
  /** r_i */
  click: Float64Array;
  /** w_i */
  weight: Float64Array;
  /** q̂(x_i, a_i, k_i) */
  qLogged: Float64Array;
  /** Σ_a π_e(a | x_i, k_i) q̂(x_i, a, k_i) */
  qPolicy: Float64Array;
}

export type EstimatorName = 'ipw' | 'snipw' | 'dm' | 'dr';
export const ESTIMATORS: readonly EstimatorName[] = ['ipw', 'snipw', 'dm', 'dr'];

export interface EvaluationRound {
  item: number;
  position: number;
  click: number;
  propensity: number;
}

/** Builds the per-round terms from the evaluation policy's π_e(·|x_i,k_i) and q̂(x_i,·,k_i). */
export function roundTerms(
  rounds: readonly EvaluationRound[],
  policyAt: (i: number) => ArrayLike<number>,
  rewardModelAt: (i: number) => ArrayLike<number>,
): RoundTerms {
  const n = rounds.length;
  const t: RoundTerms = {
    click: new Float64Array(n),
    weight: new Float64Array(n),
    qLogged: new Float64Array(n),
    qPolicy: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rounds[i];
    const pi = policyAt(i);
    const q = rewardModelAt(i);
    t.click[i] = r.click;
    t.weight[i] = pi[r.item] / r.propensity;
    t.qLogged[i] = q[r.item];
    let v = 0;
    for (let a = 0; a < pi.length; a++) v += pi[a] * q[a];
    t.qPolicy[i] = v;
  }
  return t;
}

interface Sums {
  n: number;
  wr: number;
  w: number;
  dm: number;
  dr: number;
}

function finish(s: Sums): Record<EstimatorName, number> {
  return {
    ipw: s.wr / s.n,
    snipw: s.w > 0 ? s.wr / s.w : 0,
    dm: s.dm / s.n,
    dr: s.dr / s.n,
  };
}

function add(s: Sums, t: RoundTerms, i: number): void {
  const w = t.weight[i];
  s.n++;
  s.wr += w * t.click[i];
  s.w += w;
  s.dm += t.qPolicy[i];
  s.dr += t.qPolicy[i] + w * (t.click[i] - t.qLogged[i]);
}

export function estimate(t: RoundTerms): Record<EstimatorName, number> {
  const s: Sums = { n: 0, wr: 0, w: 0, dm: 0, dr: 0 };
  for (let i = 0; i < t.click.length; i++) add(s, t, i);
  return finish(s);
}

/** The mean importance weight (1 in expectation when π_e is a distribution): a sanity check. */
export function meanWeight(t: RoundTerms): number {
  let s = 0;
  for (let i = 0; i < t.weight.length; i++) s += t.weight[i];
  return s / t.weight.length;
}

export type Interval = [low: number, high: number];

/**
 * Percentile bootstrap over evaluation rounds: `resamples` resamples of n rounds with replacement
 * (seeded mulberry32), the same resample for every estimator; the (α/2, 1−α/2) percentiles.
 */
export function bootstrapIntervals(
  t: RoundTerms,
  options: { resamples: number; seed: number; alpha?: number },
): Record<EstimatorName, Interval> {
  const n = t.click.length;
  const rng = mulberry32(options.seed);
  const draws: Record<EstimatorName, Float64Array> = {
    ipw: new Float64Array(options.resamples),
    snipw: new Float64Array(options.resamples),
    dm: new Float64Array(options.resamples),
    dr: new Float64Array(options.resamples),
  };
  for (let b = 0; b < options.resamples; b++) {
    const s: Sums = { n: 0, wr: 0, w: 0, dm: 0, dr: 0 };
    for (let j = 0; j < n; j++) add(s, t, Math.floor(rng() * n));
    const e = finish(s);
    for (const name of ESTIMATORS) draws[name][b] = e[name];
  }
  const alpha = options.alpha ?? 0.05;
  const out = {} as Record<EstimatorName, Interval>;
  for (const name of ESTIMATORS) {
    const sorted = draws[name].sort();
    out[name] = [percentile(sorted, alpha / 2), percentile(sorted, 1 - alpha / 2)];
  }
  return out;
}

/** Linear interpolation between order statistics (numpy's default percentile). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
