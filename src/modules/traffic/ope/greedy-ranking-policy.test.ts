import { describe, expect, it } from 'vitest';
import { fitClickModel } from './click-model.ts';
import {
  createGreedyRankingPolicy,
  greedyRanking,
  mixRankingPolicies,
  uniformRankingPolicy,
} from './greedy-ranking-policy.ts';
import { createAffinityFirstThompsonPolicy, createThompsonRankingPolicy } from './ranking-policy.ts';
import { generateSyntheticLog } from './synthetic-bandit-log.ts';

const log = generateSyntheticLog({
  nItems: 6,
  slots: 3,
  rounds: 20_000,
  seed: 9,
  affinityShare: 0.1,
  clickProb: (a, _k, before) => (before ? 0.2 : 0.005 + 0.004 * a),
});
const model = fitClickModel(log, 6, 3);

const columnSums = (pi: number[][]) => [0, 1, 2].map((k) => pi.reduce((s, row) => s + row[k], 0));

describe('greedy ranking policy (deterministic)', () => {
  const greedy = createGreedyRankingPolicy(model);

  it('has an exact 0/1 π: one distinct item per slot, ranked by posterior mean', () => {
    const pi = greedy.actionDistribution([]);
    for (const row of pi) for (const p of row) expect(p === 0 || p === 1).toBe(true);
    expect(columnSums(pi)).toEqual([1, 1, 1]);
    for (const row of pi) expect(row.reduce((s, p) => s + p, 0)).toBeLessThanOrEqual(1);
    const ranking = greedyRanking(model, []);
    for (let k = 0; k < 3; k++) expect(pi[ranking[k]][k]).toBe(1);
    // The truth rises with the item index; with 20,000 rounds the top three are 3, 4 and 5.
    expect([...ranking.slice(0, 3)].sort()).toEqual([3, 4, 5]);
  });

  it('puts an item the user clicked before first', () => {
    const pi = greedy.actionDistribution([0]);
    const ranking = greedyRanking(model, []);
    expect(pi[0][0]).toBe(1);
    expect(pi[ranking[0]][1]).toBe(1);
    expect(pi[ranking[1]][2]).toBe(1);
  });
});

describe('mixtures of ranking policies', () => {
  it('π is the weighted sum of the parts, exactly', () => {
    const greedy = createGreedyRankingPolicy(model);
    const uniform = uniformRankingPolicy(6, 3);
    const eps = mixRankingPolicies([
      { weight: 0.9, policy: greedy },
      { weight: 0.1, policy: uniform },
    ]);
    const pi = eps.actionDistribution([]);
    const g = greedy.actionDistribution([]);
    for (let a = 0; a < 6; a++)
      for (let k = 0; k < 3; k++) expect(pi[a][k]).toBeCloseTo(0.9 * g[a][k] + 0.1 / 6, 14);
    for (const s of columnSums(pi)) expect(s).toBeCloseTo(1, 12);
    expect(() => mixRankingPolicies([{ weight: 0, policy: greedy }])).toThrow(/weights/);
  });
});

describe('affinity-first Thompson policy', () => {
  const policy = createAffinityFirstThompsonPolicy(model);

  it('without past clicks, it is Thompson sampling', () => {
    const pi = policy.actionDistribution([]);
    const ts = createThompsonRankingPolicy(model).actionDistribution([]);
    for (let a = 0; a < 6; a++) for (let k = 0; k < 3; k++) expect(pi[a][k]).toBeCloseTo(ts[a][k], 12);
  });

  it('previously clicked items fill the first slots with exact π, the rest are Thompson ranks', () => {
    const one = policy.actionDistribution([2]);
    expect(one[2]).toEqual([1, 0, 0]);
    for (const s of columnSums(one)) expect(s).toBeCloseTo(1, 12);
    const two = policy.actionDistribution([1, 4]);
    expect(two[1].slice(0, 2)).toEqual([0.5, 0.5]);
    expect(two[4].slice(0, 2)).toEqual([0.5, 0.5]);
    expect(two[1][2] + two[4][2]).toBe(0);
    for (const s of columnSums(two)) expect(s).toBeCloseTo(1, 12);
    const four = policy.actionDistribution([0, 1, 2, 3]);
    for (const a of [0, 1, 2, 3]) expect(four[a]).toEqual([0.25, 0.25, 0.25]);
    expect(four[4]).toEqual([0, 0, 0]);
  });
});
