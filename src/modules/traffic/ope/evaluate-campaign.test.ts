import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from './evaluate-campaign.ts';
import { opeJson } from './ope-report.ts';
import { generateSyntheticLog } from './synthetic-bandit-log.ts';

describe('evaluateCampaign (honest protocol on a synthetic world)', () => {
  // Items differ strongly; a policy learned from the first 70% should beat uniform random, and the
  // estimators should see it on the last 30%.
  const clickProb = (a: number, k: number) => (a < 2 ? 0.08 : 0.01) * (k === 0 ? 1.2 : 1);
  const random = {
    file: 'random.csv',
    nItems: 10,
    rounds: generateSyntheticLog({ nItems: 10, slots: 3, rounds: 30_000, seed: 1, clickProb }),
  };
  const bts = {
    file: 'bts.csv',
    nItems: 10,
    rounds: generateSyntheticLog({
      nItems: 10,
      slots: 3,
      rounds: 5000,
      seed: 2,
      clickProb,
      loggingWeights: () => [5, 5, 1, 1, 1, 1, 1, 1, 1, 1],
    }),
  };
  const report = evaluateCampaign(random, bts, { seed: 3, resamples: 500, trainShare: 0.7, fitShare: 0.5 });

  it('learns from the first 70% and estimates on the last 30%', () => {
    expect(report.train.rounds).toBe(21_000);
    expect(report.evaluation.rounds).toBe(9000);
    expect(report.train.to < report.evaluation.from).toBe(true);
    expect(report.model.trainRounds).toBe(21_000);
    // Model selection: fitted on the first 50% of the log, validated on the next 20%.
    expect(report.selection.fit.rounds).toBe(15_000);
    expect(report.selection.validation.rounds).toBe(6000);
    expect(report.selection.candidates.map((c) => c.name)).toContain(report.selection.chosen.name);
  });

  it('rejects logs it cannot evaluate with a data error', () => {
    const few = { ...random, rounds: random.rounds.slice(0, 5) };
    expect(() => evaluateCampaign(few, bts)).toThrow(/too few rounds/);
    const narrow = { ...random, nItems: 2, rounds: random.rounds.map((r) => ({ ...r, item: r.item % 2 })) };
    expect(() => evaluateCampaign(narrow, bts)).toThrow(/2 items cannot fill 3 positions/);
  });

  it('finds the better policy: estimates above the random rate, CIs around DR', () => {
    const e = report.estimates;
    expect(e.dr.value).toBeGreaterThan(report.evaluation.ctr * 1.5);
    expect(e.ipw.value).toBeGreaterThan(report.evaluation.ctr * 1.5);
    expect(e.dr.ci[0]).toBeLessThan(e.dr.value);
    expect(e.dr.ci[1]).toBeGreaterThan(e.dr.value);
    const json = opeJson(report);
    expect(Object.keys(json)).toEqual([
      'rounds',
      'ourCtrIpw',
      'ourCtrDr',
      'ciLow',
      'ciHigh',
      'randomCtr',
      'btsCtr',
    ]);
    expect(json.rounds).toBe(9000);
    expect(json.btsCtr).toBeCloseTo(report.btsOverall.ctr, 6);
  });
});
