import { armPosterior, type ClickModel } from './click-model.ts';
import { cdfOnGrid, rateGrid, thompsonRankProbabilities } from './thompson-rank-probabilities.ts';

/**
 * Our ranking policy on the OBD widget: Thompson sampling over the click model's Beta posteriors
 * (the feed engine's exploration rule), every item draws a click rate, the widget's slots 1/2/3 get
 * the items of draw rank 1/2/3 (three distinct items, as the real widget shows).
 * π(a | x, position k) = P(item a has draw rank k), computed exactly by numerical integration
 * (thompson-rank-probabilities.ts), never sampled, so importance weights are exact.
 * The context x is the user's set of previously clicked items (affinity > 0): users with the same
 * set share one distribution, so it is computed once per set.
 */
export interface RankingPolicy {
  /** π[a][k] for this user. */
  actionDistribution(affinityItems: readonly number[]): number[][];
  /** How many distinct user contexts have been computed so far. */
  contextsComputed(): number;
}

export function createThompsonRankingPolicy(model: ClickModel, gridPoints = 3000): RankingPolicy {
  const grid = rateGrid(gridPoints);
  const itemCdfs = model.items.map((p) => cdfOnGrid(p, grid));
  const affinityCdf = cdfOnGrid(model.affinity, grid);
  const byContext = new Map<string, number[][]>();
  return {
    actionDistribution(affinityItems) {
      const key = affinityItems.join(' ');
      let pi = byContext.get(key);
      if (!pi) {
        const cdfs = itemCdfs.map((cdf, a) =>
          armPosterior(model, affinityItems, a) === model.affinity ? affinityCdf : cdf,
        );
        pi = thompsonRankProbabilities(cdfs, model.slots);
        byContext.set(key, pi);
      }
      return pi;
    },
    contextsComputed: () => byContext.size,
  };
}

/**
 * Thompson sampling with the affinity signal made deterministic: the items this user clicked
 * before fill the first slots (in uniformly random order among themselves, as they share one
 * posterior), the remaining slots get the other items by Thompson draw rank. π is exact: 1/s for
 * each of the s previously clicked items in each of the first min(s, slots) slots, and the
 * integrated Thompson rank probabilities of the other items for the slots after.
 */
export function createAffinityFirstThompsonPolicy(model: ClickModel, gridPoints = 3000): RankingPolicy {
  const grid = rateGrid(gridPoints);
  const itemCdfs = model.items.map((p) => cdfOnGrid(p, grid));
  const byContext = new Map<string, number[][]>();
  return {
    actionDistribution(affinityItems) {
      const key = affinityItems.join(' ');
      let pi = byContext.get(key);
      if (!pi) {
        const K = model.slots;
        const liked = [...new Set(affinityItems)].filter((a) => a >= 0 && a < model.nItems);
        const s = liked.length;
        const dist = Array.from({ length: model.nItems }, () => new Array<number>(K).fill(0));
        for (const a of liked) for (let k = 0; k < Math.min(s, K); k++) dist[a][k] = 1 / s;
        if (s < K) {
          const others = itemCdfs.map((_, a) => a).filter((a) => !liked.includes(a));
          const rest = thompsonRankProbabilities(
            others.map((a) => itemCdfs[a]),
            K - s,
          );
          others.forEach((a, j) => {
            for (let k = s; k < K; k++) dist[a][k] = rest[j][k - s];
          });
        }
        pi = dist;
        byContext.set(key, pi);
      }
      return pi;
    },
    contextsComputed: () => byContext.size,
  };
}
