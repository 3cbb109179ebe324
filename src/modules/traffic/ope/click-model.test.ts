import { describe, expect, it } from 'vitest';
import { armPosterior, expectedClick, fitClickModel } from './click-model.ts';

const round = (item: number, position: number, click: number, affinityItems: number[] = []) => ({
  item,
  position,
  click,
  affinityItems,
});

describe('fitClickModel', () => {
  const train = [
    ...Array.from({ length: 98 }, (_, i) => round(i % 2, i % 3, 0)),
    round(0, 1, 1),
    round(1, 1, 1, [1]),
  ];
  const m = fitClickModel(train, 3, 3);

  it('Beta-smooths per item with a one-pseudo-click prior at the training rate', () => {
    expect(m.trainRounds).toBe(100);
    expect(m.trainClicks).toBe(2);
    expect(m.baseCtr).toBeCloseTo(3 / 102, 12);
    expect(m.prior).toEqual({ alpha: 1, beta: 102 / 3 - 1 });
    expect(m.items[0]).toEqual({ alpha: 2, beta: m.prior.beta + 49 });
    expect(m.items[1]).toEqual({ alpha: 1, beta: m.prior.beta + 49 }); // the affinity round is not item 1's
    expect(m.items[2]).toEqual(m.prior); // never shown: the prior
    expect(m.affinity).toEqual({ alpha: 2, beta: m.prior.beta });
    expect([m.affinityRounds, m.affinityClicks]).toEqual([1, 1]);
  });

  it('uses the affinity arm for items the user clicked before, and lifts by position', () => {
    expect(armPosterior(m, [2], 2)).toBe(m.affinity);
    expect(armPosterior(m, [2], 0)).toBe(m.items[0]);
    expect(m.positionLift[1]).toBeGreaterThan(m.positionLift[0]);
    const q = expectedClick(m, [], 0, 1);
    expect(q).toBeCloseTo((2 / (2 + m.prior.beta + 49)) * m.positionLift[1], 12);
  });
});
