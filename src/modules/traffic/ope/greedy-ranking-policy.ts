import { betaMean } from './beta-distribution.ts';
import { armPosterior, type ClickModel } from './click-model.ts';
import type { RankingPolicy } from './ranking-policy.ts';

/**
 * The exploit policy: a deterministic ranking by the click model's posterior mean (an item the
 * user clicked before gets the shared affinity arm's mean, so it comes first), slot k shows the
 * item of rank k; ties go to the lower item index. π(a | x, k) is 1 for that item and 0 for every
 * other, exactly. With a uniform logging policy only about 1 in nItems logged rounds matches it,
 * so IPW rests on those few rows and DR leans on q̂ for the rest.
 */
export function createGreedyRankingPolicy(model: ClickModel): RankingPolicy {
  const byContext = new Map<string, number[][]>();
  return {
    actionDistribution(affinityItems) {
      const key = affinityItems.join(' ');
      let pi = byContext.get(key);
      if (!pi) {
        pi = greedyDistribution(greedyRanking(model, affinityItems), model.nItems, model.slots);
        byContext.set(key, pi);
      }
      return pi;
    },
    contextsComputed: () => byContext.size,
  };
}

/** Items sorted by posterior mean, descending (ties: lower index first). */
export function greedyRanking(model: ClickModel, affinityItems: readonly number[]): number[] {
  const score = Array.from({ length: model.nItems }, (_, a) =>
    betaMean(armPosterior(model, affinityItems, a)),
  );
  return score.map((_, a) => a).sort((a, b) => score[b] - score[a] || a - b);
}

function greedyDistribution(ranking: readonly number[], nItems: number, slots: number): number[][] {
  const pi = Array.from({ length: nItems }, () => new Array<number>(slots).fill(0));
  for (let k = 0; k < slots; k++) pi[ranking[k]][k] = 1;
  return pi;
}

/**
 * A mixture: with probability w_j the round is ranked by policy j. π is the weighted sum of the
 * parts' π, exactly (the uniform part, `uniformRankingPolicy`, shows a uniformly random set of
 * distinct items: π = 1/nItems in every slot).
 */
export function mixRankingPolicies(
  parts: readonly { weight: number; policy: RankingPolicy }[],
): RankingPolicy {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0) || parts.some((p) => p.weight < 0))
    throw new Error('mixture weights must be ≥ 0, sum > 0');
  const byContext = new Map<string, number[][]>();
  return {
    actionDistribution(affinityItems) {
      const key = affinityItems.join(' ');
      let pi = byContext.get(key);
      if (!pi) {
        const dists = parts.map((p) => p.policy.actionDistribution(affinityItems));
        pi = dists[0].map((row, a) =>
          row.map((_, k) => dists.reduce((s, d, j) => s + (parts[j].weight / total) * d[a][k], 0)),
        );
        byContext.set(key, pi);
      }
      return pi;
    },
    contextsComputed: () => byContext.size,
  };
}

export function uniformRankingPolicy(nItems: number, slots: number): RankingPolicy {
  const pi = Array.from({ length: nItems }, () => new Array<number>(slots).fill(1 / nItems));
  return { actionDistribution: () => pi, contextsComputed: () => 1 };
}
