import { describe, expect, it } from 'vitest';
import type { CandidatePolicy } from './candidate-policies.ts';
import { evaluateCampaign } from './evaluate-campaign.ts';
import { createGreedyRankingPolicy, uniformRankingPolicy } from './greedy-ranking-policy.ts';
import { selectPolicy } from './policy-selection.ts';
import { generateSyntheticLog } from './synthetic-bandit-log.ts';

const clickProb = (a: number, k: number, before: boolean) =>
  before ? 0.15 : (a < 2 ? 0.08 : 0.01) * (k === 0 ? 1.2 : 1);
const log = (seed: number, rounds: number) =>
  generateSyntheticLog({ nItems: 10, slots: 3, rounds, seed, clickProb, affinityShare: 0.05 });

describe('policy selection on the training part', () => {
  it('picks the candidate with the best DR on the validation rows', () => {
    const training = log(1, 14_000);
    const candidates: CandidatePolicy[] = [
      { name: 'uniform', description: 'uniform', build: (m) => uniformRankingPolicy(m.nItems, m.slots) },
      { name: 'greedy', description: 'greedy', build: (m) => createGreedyRankingPolicy(m) },
    ];
    const sel = selectPolicy(training, 10, 3, { fitRounds: 10_000, resamples: 200, seed: 1 }, candidates);
    expect(sel.fit.rounds).toBe(10_000);
    expect(sel.validation.rounds).toBe(4000);
    expect(sel.fit.toUs).toBeLessThan(sel.validation.fromUs);
    expect(sel.chosen.name).toBe('greedy');
    const [uniform, greedy] = sel.candidates;
    expect(greedy.estimates.dr).toBeGreaterThan(uniform.estimates.dr);
    // The deterministic policy matches only the logged rows showing its item in that slot.
    expect(greedy.matchedRounds).toBeLessThan(4000 / 3);
    expect(uniform.matchedRounds).toBe(4000);
  });

  it('never reads the evaluation rows: changing them changes the estimates, not the choice', () => {
    const random = { file: 'random.csv', nItems: 10, rounds: log(2, 10_000) };
    const bts = { file: 'bts.csv', nItems: 10, rounds: log(3, 2000) };
    const options = { seed: 5, resamples: 200, trainShare: 0.7, fitShare: 0.5 };
    const before = evaluateCampaign(random, bts, options);
    // Same first 70% (by time); the last 30% rewritten: other items, every click flipped.
    const sorted = [...random.rounds].sort((a, b) => a.timeUs - b.timeUs);
    const changed = sorted.map((r, i) =>
      i < 7000 ? r : { ...r, item: (r.item + 3) % 10, click: 1 - r.click, affinityItems: [] },
    );
    const after = evaluateCampaign({ ...random, rounds: changed }, bts, options);
    expect(after.selection.chosen.name).toBe(before.selection.chosen.name);
    expect(after.selection.candidates).toEqual(before.selection.candidates);
    expect(after.selection.fit).toEqual(before.selection.fit);
    expect(after.selection.validation).toEqual(before.selection.validation);
    expect(after.estimates.dr.value).not.toBeCloseTo(before.estimates.dr.value, 3);
    // Fit = first 50% of the log, validation = the next 20%, both before the evaluation part.
    expect(before.selection.fit.rounds).toBe(5000);
    expect(before.selection.validation.rounds).toBe(2000);
    expect(before.selection.validation.toUs).toBeLessThan(sorted[7000].timeUs);
  });

  it('rejects a split with no fit or no validation rows', () => {
    expect(() => selectPolicy(log(4, 100), 10, 3, { fitRounds: 100, resamples: 100, seed: 1 })).toThrow(
      /fit and validation/,
    );
  });
});
