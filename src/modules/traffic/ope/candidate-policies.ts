import type { ClickModel } from './click-model.ts';
import {
  createGreedyRankingPolicy,
  mixRankingPolicies,
  uniformRankingPolicy,
} from './greedy-ranking-policy.ts';
import {
  createAffinityFirstThompsonPolicy,
  createThompsonRankingPolicy,
  type RankingPolicy,
} from './ranking-policy.ts';

/**
 * The fixed, small set of policies the model-selection step chooses from (on the training part
 * only). Fixed in code before any selection ran; the order breaks ties (the first, Thompson
 * sampling as in the feed engine, is the incumbent).
 */
export interface CandidatePolicy {
  name: string;
  description: string;
  build(model: ClickModel): RankingPolicy;
}

export const CANDIDATE_POLICIES: readonly CandidatePolicy[] = [
  {
    name: 'thompson',
    description: 'Thompson sampling over the Beta posteriors (the feed engine rule); π exact by integration',
    build: (model) => createThompsonRankingPolicy(model),
  },
  {
    name: 'affinity-first',
    description: 'previously clicked items in the first slots, Thompson sampling for the rest; π exact',
    build: (model) => createAffinityFirstThompsonPolicy(model),
  },
  {
    name: 'greedy',
    description: 'deterministic top-3 by posterior mean, previously clicked items first; π is 0/1',
    build: (model) => createGreedyRankingPolicy(model),
  },
  {
    name: 'greedy-thompson-50',
    description: 'half the rounds greedy, half Thompson; π = the exact mixture',
    build: (model) =>
      mixRankingPolicies([
        { weight: 0.5, policy: createGreedyRankingPolicy(model) },
        { weight: 0.5, policy: createThompsonRankingPolicy(model) },
      ]),
  },
  {
    name: 'epsilon-greedy-10',
    description: '90% greedy, 10% uniformly random items; π = the exact mixture',
    build: (model) =>
      mixRankingPolicies([
        { weight: 0.9, policy: createGreedyRankingPolicy(model) },
        { weight: 0.1, policy: uniformRankingPolicy(model.nItems, model.slots) },
      ]),
  },
];
