import { auc } from './fit-auc.ts';
import type { FitItem, FitRecord } from './fit-data.ts';
import {
  bandWidth,
  defaultCorrections,
  easeScore,
  type FitCorrections,
  offsetSum,
  probabilities,
} from './fit-model.ts';
import { type PreparedRecord, prepareRecords } from './fit-prepare.ts';
import { type FitTrainConfig, trainFitCorrections } from './fit-train.ts';
import { createRng } from './random.ts';

export interface AucReport {
  aucAvg: number;
  aucSmall: number;
  aucFit: number;
  aucLarge: number;
}

/** P(small/fit/large) of a prepared record: the same score path as `recommendSize`. */
export function predictPrepared(c: FitCorrections, r: PreparedRecord) {
  const f = easeScore(c, r.group, r.excess) + offsetSum(c, r, r.group);
  return probabilities(c, f, bandWidth(c, r.buyerId));
}

export function aucReport(c: FitCorrections, data: PreparedRecord[]): AucReport {
  const p = data.map((r) => predictPrepared(c, r));
  const aucSmall = auc(
    p.map((x) => x.small),
    data.map((r) => r.y === 0),
  );
  const aucFit = auc(
    p.map((x) => x.fit),
    data.map((r) => r.y === 1),
  );
  const aucLarge = auc(
    p.map((x) => x.large),
    data.map((r) => r.y === 2),
  );
  const valid = [aucSmall, aucFit, aucLarge].filter((v) => !Number.isNaN(v));
  // With no test record of any class, the average is undefined (NaN, printed as null), not 0.
  const aucAvg = valid.length ? valid.reduce((a, b) => a + b, 0) / valid.length : Number.NaN;
  return { aucAvg, aucSmall, aucFit, aucLarge };
}

/** train/valid/test from the `split` field, else a seeded random 80/10/10 split. */
export function splitRecords(records: FitRecord[], seed = 17) {
  const hasSplit = records.some((r) => r.split);
  const rng = createRng(seed);
  const parts = { train: [] as number[], valid: [] as number[], test: [] as number[] };
  records.forEach((r, i) => {
    if (hasSplit) parts[r.split ?? 'train'].push(i);
    else {
      const u = rng();
      parts[u < 0.8 ? 'train' : u < 0.9 ? 'valid' : 'test'].push(i);
    }
  });
  if (parts.valid.length === 0) {
    // carve a validation part out of train for the automatic hyperparameter choice
    const keep: number[] = [];
    for (const i of parts.train) (rng() < 0.1 ? parts.valid : keep).push(i);
    parts.train = keep;
  }
  return parts;
}

export const REG_GRID = [0.03, 0.1, 0.3, 1, 3, 10];
/** Hyperparameter fits run by `evaluateFit`: item regularisation sweep, buyer sweep, final refit. */
export const WIDTH_REG_GRID = [0.3, 3, 30, Number.POSITIVE_INFINITY];
export const FIT_STEPS = 2 * REG_GRID.length + WIDTH_REG_GRID.length + 1;

export interface FitEvalResult extends AucReport {
  records: number;
  skipped: number;
  chartOnlyAucAvg: number;
  chartOnly: AucReport;
  chosen: FitTrainConfig;
  validAucAvg: number;
  counts: { train: number; valid: number; test: number };
  corrections: FitCorrections;
}

/** Picks the regularisation on `valid` (avg AUC), refits on train+valid, reports AUC on test. */
export function evaluateFit(
  records: FitRecord[],
  items: Map<string, FitItem>,
  skipped: number,
  onProgress?: (done: number, total: number, label: string) => void,
): FitEvalResult {
  const prepared = prepareRecords(records, items);
  const parts = splitRecords(records);
  const pick = (ix: number[]) => ix.map((i) => prepared[i]);
  const train = pick(parts.train);
  const valid = pick(parts.valid);
  const test = pick(parts.test);
  let done = 0;
  const tried = new Map<string, number>();
  const score = (cfg: FitTrainConfig) => {
    const k = `${cfg.regItem}/${cfg.regBuyer}/${cfg.regWidth}`;
    let v = tried.get(k);
    if (v === undefined) {
      v = aucReport(trainFitCorrections(train, cfg), valid).aucAvg;
      tried.set(k, v);
    }
    onProgress?.(
      ++done,
      FIT_STEPS,
      `regItem=${cfg.regItem} regBuyer=${cfg.regBuyer} valid AUC ${v.toFixed(4)}`,
    );
    return v;
  };
  // coordinate search on the validation split: item-level regularisation, buyer-level, buyer band width
  let best: { cfg: FitTrainConfig; score: number } = {
    cfg: { regItem: 1, regBuyer: 1, regWidth: 3 },
    score: -1,
  };
  for (const regItem of REG_GRID) {
    const cfg = { regItem, regBuyer: 1, regWidth: 3 };
    const v = score(cfg);
    if (v > best.score) best = { cfg, score: v };
  }
  for (const regBuyer of REG_GRID) {
    const cfg = { ...best.cfg, regBuyer };
    const v = score(cfg);
    if (v > best.score) best = { cfg, score: v };
  }
  for (const regWidth of WIDTH_REG_GRID) {
    const cfg = { ...best.cfg, regWidth };
    const v = score(cfg);
    if (v > best.score) best = { cfg, score: v };
  }
  const corrections = trainFitCorrections([...train, ...valid], best.cfg);
  onProgress?.(++done, FIT_STEPS, 'refit on train+valid');
  const report = aucReport(corrections, test);
  const chartOnly = aucReport(defaultCorrections(), test);
  return {
    records: records.length,
    skipped,
    ...report,
    chartOnlyAucAvg: chartOnly.aucAvg,
    chartOnly,
    chosen: best.cfg,
    validAucAvg: best.score,
    counts: { train: train.length, valid: valid.length, test: test.length },
    corrections,
  };
}
