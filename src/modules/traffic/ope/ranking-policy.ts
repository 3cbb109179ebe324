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
