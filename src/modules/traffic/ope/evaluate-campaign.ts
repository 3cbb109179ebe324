import { type BanditLog, BanditLogError, type LoggedRound } from './bandit-log-csv.ts';
import { type ClickModel, fitClickModel } from './click-model.ts';
import {
  bootstrapIntervals,
  type EstimatorName,
  estimate,
  type Interval,
  meanWeight,
} from './off-policy-estimators.ts';
import { type PolicySelection, selectPolicy } from './policy-selection.ts';
import { matchedRounds, policyTerms } from './policy-terms.ts';
import { splitByTime } from './time-split.ts';

export interface OpeOptions {
  seed: number;
  /** Bootstrap resamples for every interval. */
  resamples: number;
  /** Share of the time-sorted random log the policy learns from (the protocol says 0.7). */
  trainShare: number;
  /**
   * Share of the whole time-sorted log the candidate policies are fitted on during model selection;
   * the rest of the training part (trainShare − fitShare) validates them. Must be < trainShare.
   */
  fitShare: number;
}

export const DEFAULT_OPE_OPTIONS: OpeOptions = { seed: 1, resamples: 10_000, trainShare: 0.7, fitShare: 0.5 };

export interface RateOf {
  rounds: number;
  clicks: number;
  ctr: number;
}

export interface OpeReport {
  options: OpeOptions;
  nItems: number;
  slots: number;
  train: RateOf & { from: string; to: string };
  evaluation: RateOf & { from: string; to: string };
  randomOverall: RateOf;
  btsOverall: RateOf;
  /** The BTS log's rounds in the evaluation part's time window (for reference only). */
  btsEvaluationWindow: RateOf;
  model: ClickModel;
  /** Model selection on the training part only (fit / validation), and the chosen policy. */
  selection: PolicySelection;
  estimates: Record<EstimatorName, { value: number; ci: Interval }>;
  meanWeight: number;
  /** Evaluation rounds with w_i > 0. */
  matchedRounds: number;
  /** Evaluation rounds whose user has at least one past click (affinity > 0). */
  evaluationRoundsWithAffinity: number;
  userContexts: number;
}

function rateOf(rounds: readonly LoggedRound[]): RateOf {
  let clicks = 0;
  for (const r of rounds) clicks += r.click;
  return { rounds: rounds.length, clicks, ctr: rounds.length ? clicks / rounds.length : 0 };
}

const iso = (us: number | undefined) =>
  us === undefined ? '' : new Date(Math.floor(us / 1000)).toISOString();

/**
 * The honest protocol: the uniform-random log sorted by time; the policy is chosen and learned from
 * its first 70% only (candidates fitted on the first 50% of the log, scored on the next 20%, the
 * best by DR refitted on the whole 70%), and estimated once on its last 30%; the BTS log only for
 * its own logged click rate.
 */
export function evaluateCampaign(
  random: BanditLog,
  bts: BanditLog,
  options: OpeOptions = DEFAULT_OPE_OPTIONS,
): OpeReport {
  if (random.rounds.length < 10)
    throw new BanditLogError(`${random.file}: too few rounds to split (${random.rounds.length})`);
  if (bts.rounds.length === 0) throw new BanditLogError(`${bts.file}: no rounds`);
  const { train, evaluation } = splitByTime(random.rounds, options.trainShare);
  let slots = 0;
  for (const r of random.rounds) slots = Math.max(slots, r.position + 1);
  if (random.nItems < slots)
    throw new BanditLogError(`${random.file}: ${random.nItems} items cannot fill ${slots} positions`);
  if (!(options.fitShare > 0 && options.fitShare < options.trainShare))
    throw new Error('fitShare must be in (0, trainShare)');
  const fitRounds = Math.floor(random.rounds.length * options.fitShare);
  if (fitRounds < 1 || fitRounds >= train.length)
    throw new BanditLogError(`${random.file}: too few rounds to select a policy (${random.rounds.length})`);
  // Model selection sees the training rows only (the evaluation rows are not passed in).
  const selection = selectPolicy(train, random.nItems, slots, {
    fitRounds,
    resamples: options.resamples,
    seed: options.seed,
  });
  // The chosen policy, refitted on the whole training part, evaluated once on the last 30%.
  const model = fitClickModel(train, random.nItems, slots);
  const policy = selection.chosen.build(model);
  const n = random.nItems;
  const terms = policyTerms(evaluation, model, policy);
  const values = estimate(terms);
  const cis = bootstrapIntervals(terms, { resamples: options.resamples, seed: options.seed });
  const estimates = {} as OpeReport['estimates'];
  for (const name of Object.keys(values) as EstimatorName[])
    estimates[name] = { value: values[name], ci: cis[name] };
  const from = evaluation[0].timeUs;
  const to = evaluation[evaluation.length - 1].timeUs;
  return {
    options,
    nItems: n,
    slots,
    train: { ...rateOf(train), from: iso(train[0]?.timeUs), to: iso(train[train.length - 1]?.timeUs) },
    evaluation: { ...rateOf(evaluation), from: iso(from), to: iso(to) },
    randomOverall: rateOf(random.rounds),
    btsOverall: rateOf(bts.rounds),
    btsEvaluationWindow: rateOf(bts.rounds.filter((r) => r.timeUs >= from && r.timeUs <= to)),
    model,
    selection,
    estimates,
    meanWeight: meanWeight(terms),
    matchedRounds: matchedRounds(terms),
    evaluationRoundsWithAffinity: evaluation.filter((r) => r.affinityItems.length > 0).length,
    userContexts: policy.contextsComputed(),
  };
}
