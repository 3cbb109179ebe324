import { type BanditLog, BanditLogError, type LoggedRound } from './bandit-log-csv.ts';
import { type ClickModel, expectedClick, fitClickModel } from './click-model.ts';
import {
  bootstrapIntervals,
  type EstimatorName,
  estimate,
  type Interval,
  meanWeight,
  roundTerms,
} from './off-policy-estimators.ts';
import { createThompsonRankingPolicy } from './ranking-policy.ts';
import { splitByTime } from './time-split.ts';

export interface OpeOptions {
  seed: number;
  /** Bootstrap resamples for every interval. */
  resamples: number;
  /** Share of the time-sorted random log the policy learns from (the protocol says 0.7). */
  trainShare: number;
}

export const DEFAULT_OPE_OPTIONS: OpeOptions = { seed: 1, resamples: 10_000, trainShare: 0.7 };

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
  estimates: Record<EstimatorName, { value: number; ci: Interval }>;
  meanWeight: number;
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
 * The honest protocol: the uniform-random log sorted by time, the click model and the policy
 * learned from its first 70% only, every estimate on its last 30%; the BTS log only for its own
 * logged click rate.
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
  const model = fitClickModel(train, random.nItems, slots);
  const policy = createThompsonRankingPolicy(model);
  const n = random.nItems;
  const terms = roundTerms(
    evaluation,
    (i) => {
      const r = evaluation[i];
      const pi = policy.actionDistribution(r.affinityItems);
      const dist = new Float64Array(n);
      for (let a = 0; a < n; a++) dist[a] = pi[a][r.position];
      return dist;
    },
    (i) => {
      const r = evaluation[i];
      const q = new Float64Array(n);
      for (let a = 0; a < n; a++) q[a] = expectedClick(model, r.affinityItems, a, r.position);
      return q;
    },
  );
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
    estimates,
    meanWeight: meanWeight(terms),
    evaluationRoundsWithAffinity: evaluation.filter((r) => r.affinityItems.length > 0).length,
    userContexts: policy.contextsComputed(),
  };
}
