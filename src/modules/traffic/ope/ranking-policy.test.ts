import { describe, expect, it } from 'vitest';
import { fitClickModel } from './click-model.ts';
import { createThompsonRankingPolicy } from './ranking-policy.ts';
import { generateSyntheticLog } from './synthetic-bandit-log.ts';

describe('Thompson ranking policy', () => {
  const log = generateSyntheticLog({
    nItems: 6,
    slots: 3,
    rounds: 20_000,
    seed: 9,
    affinityShare: 0.1,
    clickProb: (a, _k, before) => (before ? 0.2 : 0.005 + 0.004 * a),
  });
  const policy = createThompsonRankingPolicy(fitClickModel(log, 6, 3));

  it('gives a distribution per slot, favouring the items that clicked more', () => {
    const pi = policy.actionDistribution([]);
    for (let k = 0; k < 3; k++) expect(pi.reduce((s, r) => s + r[k], 0)).toBeCloseTo(1, 12);
    expect(pi[5][0]).toBeGreaterThan(pi[0][0]);
    expect(pi[5][0]).toBeGreaterThan(1 / 6);
  });

  it('puts an item the user clicked before first, and computes each user context once', () => {
    const pi = policy.actionDistribution([1]);
    expect(pi[1][0]).toBeGreaterThan(0.9);
    policy.actionDistribution([1]);
    expect(policy.contextsComputed()).toBe(2);
  });
});
