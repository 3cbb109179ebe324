import type { LoggedRound } from './bandit-log-csv.ts';
import { type BetaPosterior, betaMean } from './beta-distribution.ts';

/**
 * Beta-smoothed click-through, the feed engine's idea applied to the OBD logs: one posterior per
 * item, one for "the shown item is one this user clicked before" (the log's user-item affinity > 0;
 * that arm replaces the item's own for such a user), and a smoothed lift per slot position.
 *
 * Prior (fixed before looking at any evaluation data): worth one expected click at the training
 * log's overall rate p0, i.e. Beta(1, 1/p0 − 1); every posterior shrinks towards p0.
 */
export interface ClickModel {
  nItems: number;
  slots: number;
  /** Overall click rate of the training rounds (with one pseudo-click on two pseudo-rounds). */
  baseCtr: number;
  prior: BetaPosterior;
  /** Per item, from training rounds whose user had no past click on the shown item. */
  items: BetaPosterior[];
  /** From training rounds whose user had clicked the shown item before (affinity > 0). */
  affinity: BetaPosterior;
  /** Smoothed click rate at each position ÷ baseCtr (same for every item). */
  positionLift: number[];
  trainRounds: number;
  trainClicks: number;
  affinityRounds: number;
  affinityClicks: number;
}

type TrainingRound = Pick<LoggedRound, 'item' | 'position' | 'click' | 'affinityItems'>;

export function fitClickModel(train: readonly TrainingRound[], nItems: number, slots: number): ClickModel {
  let clicks = 0;
  for (const r of train) clicks += r.click;
  const baseCtr = (clicks + 1) / (train.length + 2);
  const prior = { alpha: 1, beta: Math.max(1, 1 / baseCtr - 1) };
  const itemClicks = new Array<number>(nItems).fill(0);
  const itemShown = new Array<number>(nItems).fill(0);
  const posClicks = new Array<number>(slots).fill(0);
  const posShown = new Array<number>(slots).fill(0);
  let affinityRounds = 0;
  let affinityClicks = 0;
  for (const r of train) {
    if (r.position < slots) {
      posShown[r.position]++;
      posClicks[r.position] += r.click;
    }
    if (r.affinityItems.includes(r.item)) {
      affinityRounds++;
      affinityClicks += r.click;
    } else {
      itemShown[r.item]++;
      itemClicks[r.item] += r.click;
    }
  }
  const posterior = (c: number, n: number): BetaPosterior => ({
    alpha: prior.alpha + c,
    beta: prior.beta + n - c,
  });
  return {
    nItems,
    slots,
    baseCtr,
    prior,
    items: itemClicks.map((c, i) => posterior(c, itemShown[i])),
    affinity: posterior(affinityClicks, affinityRounds),
    positionLift: posClicks.map((c, p) => betaMean(posterior(c, posShown[p])) / baseCtr),
    trainRounds: train.length,
    trainClicks: clicks,
    affinityRounds,
    affinityClicks,
  };
}

/** The posterior of item a's click rate for a user with past clicks on `affinityItems`. */
export function armPosterior(model: ClickModel, affinityItems: readonly number[], a: number): BetaPosterior {
  return affinityItems.includes(a) ? model.affinity : model.items[a];
}

/** q̂(x, a, position): the reward model used by the doubly robust estimator (posterior mean × lift). */
export function expectedClick(
  model: ClickModel,
  affinityItems: readonly number[],
  a: number,
  position: number,
): number {
  const lift = model.positionLift[position] ?? 1;
  return Math.min(1, betaMean(armPosterior(model, affinityItems, a)) * lift);
}
