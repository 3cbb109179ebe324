import type { LoggedRound } from './bandit-log-csv.ts';
import { CANDIDATE_POLICIES, type CandidatePolicy } from './candidate-policies.ts';
import { fitClickModel } from './click-model.ts';
import {
  bootstrapIntervals,
  type EstimatorName,
  estimate,
  type Interval,
  meanWeight,
} from './off-policy-estimators.ts';
import { matchedRounds, policyTerms } from './policy-terms.ts';
import { splitByTimeAt } from './time-split.ts';

export interface CandidateScore {
  name: string;
  description: string;
  estimates: Record<EstimatorName, number>;
  drCi: Interval;
  meanWeight: number;
  /** Validation rounds with w_i > 0 (the rows IPW can use). */
  matchedRounds: number;
}

export interface PolicySelection {
  fit: { rounds: number; clicks: number; fromUs: number; toUs: number };
  validation: { rounds: number; clicks: number; fromUs: number; toUs: number };
  candidates: CandidateScore[];
  /** The candidate with the highest DR on the validation part (ties: the earlier in the list). */
  chosen: CandidatePolicy;
}

const span = (rounds: readonly LoggedRound[]) => ({
  rounds: rounds.length,
  clicks: rounds.reduce((s, r) => s + r.click, 0),
  fromUs: rounds[0]?.timeUs ?? 0,
  toUs: rounds[rounds.length - 1]?.timeUs ?? 0,
});

/**
 * Model selection INSIDE the training part: `training` (the time-sorted first 70% of the log, and
 * nothing else — this function never sees the evaluation rows) is cut again by time after
 * `fitRounds` rounds; every candidate's click model is fitted on the first piece and scored on the
 * second with the same estimators; the highest DR wins.
 */
export function selectPolicy(
  training: readonly LoggedRound[],
  nItems: number,
  slots: number,
  options: { fitRounds: number; resamples: number; seed: number },
  candidates: readonly CandidatePolicy[] = CANDIDATE_POLICIES,
): PolicySelection {
  if (candidates.length === 0) throw new Error('no candidate policies');
  const { train: fit, evaluation: validation } = splitByTimeAt(training, options.fitRounds);
  if (fit.length === 0 || validation.length === 0)
    throw new Error('selection needs fit and validation rounds');
  const model = fitClickModel(fit, nItems, slots);
  const scores: CandidateScore[] = candidates.map((c) => {
    const terms = policyTerms(validation, model, c.build(model));
    return {
      name: c.name,
      description: c.description,
      estimates: estimate(terms),
      drCi: bootstrapIntervals(terms, { resamples: options.resamples, seed: options.seed }).dr,
      meanWeight: meanWeight(terms),
      matchedRounds: matchedRounds(terms),
    };
  });
  let best = 0;
  for (let j = 1; j < scores.length; j++) if (scores[j].estimates.dr > scores[best].estimates.dr) best = j;
  return { fit: span(fit), validation: span(validation), candidates: scores, chosen: candidates[best] };
}
