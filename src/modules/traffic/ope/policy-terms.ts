import type { LoggedRound } from './bandit-log-csv.ts';
import { type ClickModel, expectedClick } from './click-model.ts';
import { type RoundTerms, roundTerms } from './off-policy-estimators.ts';
import type { RankingPolicy } from './ranking-policy.ts';

/**
 * The estimators' per-round terms for a ranking policy on logged rounds: π_e(·|x_i, k_i) at the
 * logged position and q̂(x_i, ·, k_i) from the click model (both fitted on earlier rounds only).
 */
export function policyTerms(
  rounds: readonly LoggedRound[],
  model: ClickModel,
  policy: RankingPolicy,
): RoundTerms {
  const n = model.nItems;
  return roundTerms(
    rounds,
    (i) => {
      const r = rounds[i];
      const pi = policy.actionDistribution(r.affinityItems);
      const dist = new Float64Array(n);
      for (let a = 0; a < n; a++) dist[a] = pi[a][r.position];
      return dist;
    },
    (i) => {
      const r = rounds[i];
      const q = new Float64Array(n);
      for (let a = 0; a < n; a++) q[a] = expectedClick(model, r.affinityItems, a, r.position);
      return q;
    },
  );
}

/** Rounds whose logged item the policy could have shown in that slot (w_i > 0). */
export function matchedRounds(t: RoundTerms): number {
  let m = 0;
  for (let i = 0; i < t.weight.length; i++) if (t.weight[i] > 0) m++;
  return m;
}
