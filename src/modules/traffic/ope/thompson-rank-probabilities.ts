import { type BetaPosterior, betaCdf } from './beta-distribution.ts';

/**
 * Exact (to numerical-integration accuracy, not sampled) probabilities of Thompson-sampling ranking:
 * every arm draws θ_a ~ Beta(α_a, β_a) independently, arms are sorted by θ descending, and slot k
 * (0-based) gets the arm of rank k. π[a][k] = P(exactly k other arms draw above θ_a)
 *   = ∫ P_{b≠a}(#{θ_b > x} = k) dF_a(x),
 * integrated on a fixed grid over [0, 1] in CDF space (so Beta densities with α < 1, which are
 * unbounded at 0, are handled), with the Poisson-binomial count of "others above x" from prefix
 * and suffix products over the arms.
 */

/** Grid over [0, 1], dense near 0 where click rates live: x_i = (i/G)^3. */
export function rateGrid(points = 3000): Float64Array {
  const g = new Float64Array(points + 1);
  for (let i = 0; i <= points; i++) g[i] = (i / points) ** 3;
  return g;
}

/** An arm's CDF on the grid; computed once per distinct posterior and shared between contexts. */
export function cdfOnGrid(posterior: BetaPosterior, grid: Float64Array): Float64Array {
  const f = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) f[i] = betaCdf(grid[i], posterior);
  f[0] = 0;
  f[grid.length - 1] = 1;
  return f;
}

/**
 * π[a][k] for `slots` slots, from each arm's CDF on a shared grid. Columns are renormalised to sum
 * to exactly 1 (`renormalise: false` shows the integration error; the tests bound it).
 */
export function thompsonRankProbabilities(
  cdfs: readonly Float64Array[],
  slots: number,
  options: { renormalise?: boolean } = {},
): number[][] {
  const n = cdfs.length;
  if (slots > n) throw new Error(`${slots} slots need at least as many arms (have ${n})`);
  const G = cdfs[0].length - 1;
  const K = slots;
  const pi = Array.from({ length: n }, () => new Array<number>(K).fill(0));
  const s = new Float64Array(n); // P(θ_b > x) at the interval's midpoint
  const prefix = new Float64Array((n + 1) * K); // prefix[(a)*K + j]: P(j of arms < a above x)
  const suffix = new Float64Array((n + 1) * K); // suffix[(a)*K + j]: P(j of arms ≥ a above x)
  for (let i = 0; i < G; i++) {
    let anyMass = false;
    for (let b = 0; b < n; b++) {
      if (cdfs[b][i + 1] - cdfs[b][i] > 0) anyMass = true;
      s[b] = 1 - 0.5 * (cdfs[b][i] + cdfs[b][i + 1]);
    }
    if (!anyMass) continue;
    prefix.fill(0, 0, K);
    prefix[0] = 1;
    for (let b = 0; b < n; b++) {
      const from = b * K;
      const to = (b + 1) * K;
      for (let j = 0; j < K; j++)
        prefix[to + j] = prefix[from + j] * (1 - s[b]) + (j > 0 ? prefix[from + j - 1] * s[b] : 0);
    }
    suffix.fill(0, n * K, (n + 1) * K);
    suffix[n * K] = 1;
    for (let b = n - 1; b >= 0; b--) {
      const from = (b + 1) * K;
      const to = b * K;
      for (let j = 0; j < K; j++)
        suffix[to + j] = suffix[from + j] * (1 - s[b]) + (j > 0 ? suffix[from + j - 1] * s[b] : 0);
    }
    for (let a = 0; a < n; a++) {
      const dF = cdfs[a][i + 1] - cdfs[a][i];
      if (dF <= 0) continue;
      for (let k = 0; k < K; k++) {
        let others = 0; // P(exactly k arms other than a above x)
        for (let j = 0; j <= k; j++) others += prefix[a * K + j] * suffix[(a + 1) * K + k - j];
        pi[a][k] += others * dF;
      }
    }
  }
  if (options.renormalise === false) return pi;
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let a = 0; a < n; a++) sum += pi[a][k];
    for (let a = 0; a < n; a++) pi[a][k] /= sum;
  }
  return pi;
}
