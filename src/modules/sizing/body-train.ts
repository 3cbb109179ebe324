import { type AnsurSubject, BODY_ZONES, type BodyZone, type Sex } from './ansur-csv.ts';
import {
  type BodyInputs,
  bodyFeatures,
  FEATURE_SETS,
  type FeatureSet,
  heightOnlyFeatures,
  weightOnlyFeatures,
} from './body-features.ts';
import type { BodyModel, LinearTarget, MemberTarget, SexBodyModel } from './body-model.ts';
import { choleskySolve, fitRidge, predictRidge } from './body-ridge.ts';
import { createRng, quantile, shuffle } from './random.ts';

export const LAMBDAS = [1e-3, 1e-2];
/** IRLS iterations: the fit approximates median regression, matching the MAE we are judged on. */
const L1_ITERATIONS = 20;
/** Most members (with repetition) in the averaged ensemble of feature sets. */
const ENSEMBLE_STEPS = 8;

export interface TrainOptions {
  seed?: number;
  /** Folds of the seeded cross-validation used for model selection (default 5). */
  folds?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

const sig = (v: number) => Number(v.toPrecision(6));
const toTarget = (fit: { intercept: number; coef: number[] }): LinearTarget => ({
  intercept: sig(fit.intercept),
  coef: fit.coef.map(sig),
});

function inputs(s: AnsurSubject): BodyInputs {
  return { heightCm: s.heightCm, weightKg: s.weightKg, age: s.age };
}

/**
 * Rows used for fitting: self-reports inside a human range (130–215 cm, 30–250 kg). Rows whose self-report
 * merely disagrees with the measurement are kept: the evaluation population misreports the same way.
 */
export function trainableSelfReport(s: AnsurSubject): boolean {
  return (
    s.heightCm >= 130 && s.heightCm <= 215 && s.weightKg >= 30 && s.weightKg <= 250 && Number.isFinite(s.age)
  );
}

function rangeOf(values: number[]) {
  const s = values.slice().sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { lo: sig(quantile(s, 0.005)), hi: sig(quantile(s, 0.995)), mean: sig(mean), sd: sig(sd) };
}

const mae = (pred: number[], y: number[]) => pred.reduce((a, p, i) => a + Math.abs(p - y[i]), 0) / y.length;
const rms = (r: number[]) => Math.sqrt(r.reduce((a, v) => a + v * v, 0) / Math.max(1, r.length));

function invert3(m: number[][]): number[][] {
  return [0, 1, 2].map((j) =>
    choleskySolve(
      m,
      [0, 1, 2].map((i) => (i === j ? 1 : 0)),
    ),
  );
}

function trainSex(subjects: AnsurSubject[], opts: TrainOptions, tick: (label: string) => void): SexBodyModel {
  const rng = createRng(opts.seed ?? 20240501);
  const usable = subjects.filter((s) => trainableSelfReport(s));
  const shuffled = shuffle(usable, rng);
  const nFolds = opts.folds ?? 5;
  const fold = new Map(shuffled.map((subject, i) => [subject, i % nFolds]));
  const val = shuffled.filter((x) => fold.get(x) === 0);
  const tr = shuffled.filter((x) => fold.get(x) !== 0);
  const range = {
    height: rangeOf(usable.map((s) => s.heightCm)),
    weight: rangeOf(usable.map((s) => s.weightKg)),
    bmi: rangeOf(usable.map((s) => s.weightKg / (s.heightCm / 100) ** 2)),
    age: rangeOf(usable.map((s) => s.age)),
  };
  const minMax = (v: number[]): [number, number] => [sig(Math.min(...v)), sig(Math.max(...v))];
  const clampRange = {
    height: minMax(usable.map((s) => s.heightCm)),
    weight: minMax(usable.map((s) => s.weightKg)),
    bmi: minMax(usable.map((s) => s.weightKg / (s.heightCm / 100) ** 2)),
    age: minMax(usable.map((s) => s.age)),
  };
  const clampIn = (x: BodyInputs): BodyInputs => {
    const c = (v: number, r: [number, number]) => Math.min(Math.max(v, r[0]), r[1]);
    const h = c(x.heightCm, clampRange.height);
    const bmi = c(c(x.weightKg, clampRange.weight) / (h / 100) ** 2, clampRange.bmi);
    return { heightCm: h, weightKg: bmi * (h / 100) ** 2, age: c(x.age, clampRange.age) };
  };
  const main = {} as Record<BodyZone, MemberTarget[]>;
  const heightOnly = {} as Record<BodyZone, LinearTarget>;
  const weightOnly = {} as Record<BodyZone, LinearTarget>;
  const slope = {} as Record<BodyZone, [number, number, number]>;
  const residSd = {} as Record<BodyZone, number>;
  const residSdHeightOnly = {} as Record<BodyZone, number>;
  const residSdWeightOnly = {} as Record<BodyZone, number>;
  const valResid: number[][] = [];
  const rowsOf = (set: FeatureSet, list: AnsurSubject[]) =>
    list.map((s) => bodyFeatures(set, clampIn(inputs(s))));
  for (const z of BODY_ZONES) {
    const yAll = usable.map((s) => s.body[z]);
    // out-of-fold predictions (seeded K-fold within the training files) for every feature set and lambda;
    // best lambda per set, then the best single set vs. the average of all sets, on out-of-fold MAE
    const members: { set: FeatureSet; lambda: number; pred: number[]; score: number }[] = [];
    for (const set of FEATURE_SETS) {
      const x = rowsOf(set, usable);
      let best = { set, lambda: LAMBDAS[0], pred: [] as number[], score: Number.POSITIVE_INFINITY };
      for (const lam of LAMBDAS) {
        const pred = new Array<number>(usable.length).fill(0);
        for (let k = 0; k < nFolds; k++) {
          const inTr = usable.map((u) => fold.get(u) !== k);
          const fit = fitRidge(
            x.filter((_, i) => inTr[i]),
            yAll.filter((_, i) => inTr[i]),
            lam,
            L1_ITERATIONS,
          );
          for (let i = 0; i < usable.length; i++) if (!inTr[i]) pred[i] = predictRidge(fit, x[i]);
        }
        const score = mae(pred, yAll);
        if (score < best.score) best = { set, lambda: lam, pred, score };
      }
      members.push(best);
    }
    // greedy ensemble selection (with replacement) on out-of-fold MAE, starting from the best single member
    const picks: number[] = [];
    let pred = new Array<number>(usable.length).fill(0);
    let bestScore = Number.POSITIVE_INFINITY;
    for (let step = 0; step < ENSEMBLE_STEPS; step++) {
      let cand = -1;
      let candPred = pred;
      for (let m = 0; m < members.length; m++) {
        const n = picks.length;
        const p = pred.map((v, i) => (v * n + members[m].pred[i]) / (n + 1));
        const sc = mae(p, yAll);
        if (sc < bestScore - 1e-9) {
          bestScore = sc;
          cand = m;
          candPred = p;
        }
      }
      if (cand < 0) break;
      picks.push(cand);
      pred = candPred;
    }
    const chosen = picks.map((m) => members[m]);
    const resid = pred.map((p, i) => yAll[i] - p);
    residSd[z] = sig(rms(resid));
    valResid.push(resid);
    const yTr = tr.map((s) => s.body[z]);
    const yVal = val.map((s) => s.body[z]);
    const distinct = [...new Set(chosen)];
    main[z] = distinct.map((m) => ({
      featureSet: m.set,
      lambda: m.lambda,
      weight: sig(chosen.filter((c) => c === m).length / chosen.length),
      ...toTarget(fitRidge(rowsOf(m.set, usable), yAll, m.lambda, L1_ITERATIONS)),
    }));
    for (const [kind, feats] of [
      ['h', heightOnlyFeatures],
      ['w', weightOnlyFeatures],
    ] as const) {
      const fitTr = fitRidge(
        tr.map((s) => feats(clampIn(inputs(s)))),
        yTr,
        1e-3,
        L1_ITERATIONS,
      );
      const sd = sig(rms(val.map((s, i) => yVal[i] - predictRidge(fitTr, feats(clampIn(inputs(s)))))));
      const all = toTarget(
        fitRidge(
          usable.map((s) => feats(clampIn(inputs(s)))),
          usable.map((s) => s.body[z]),
          1e-3,
          L1_ITERATIONS,
        ),
      );
      if (kind === 'h') {
        heightOnly[z] = all;
        residSdHeightOnly[z] = sd;
      } else {
        weightOnly[z] = all;
        residSdWeightOnly[z] = sd;
      }
    }
    const lin = fitRidge(
      usable.map((s) => [s.heightCm, s.weightKg, s.age]),
      usable.map((s) => s.body[z]),
      0,
    );
    slope[z] = [sig(lin.coef[0]), sig(lin.coef[1]), sig(lin.coef[2])];
    tick(z);
  }
  const residCorr = valResid.map((a) =>
    valResid.map((b) => sig(a.reduce((s, v, i) => s + v * b[i], 0) / (rms(a) * rms(b) * a.length))),
  );
  const z3 = usable.map((s) => [
    (s.heightCm - range.height.mean) / range.height.sd,
    (s.weightKg - range.weight.mean) / range.weight.sd,
    (s.age - range.age.mean) / range.age.sd,
  ]);
  const corr = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => z3.reduce((s, r) => s + r[i] * r[j], 0) / z3.length),
  );
  const mahaInv = invert3(corr);
  const d = z3
    .map((r) =>
      Math.sqrt(
        [0, 1, 2].reduce((s, i) => s + [0, 1, 2].reduce((t, j) => t + r[i] * mahaInv[i][j] * r[j], 0), 0),
      ),
    )
    .sort((a, b) => a - b);
  const ages = usable.map((s) => s.age).sort((a, b) => a - b);
  return {
    clamp: clampRange,
    main,
    heightOnly,
    weightOnly,
    slope,
    residSd,
    residSdHeightOnly,
    residSdWeightOnly,
    residCorr,
    range,
    mahaInv: mahaInv.map((r) => r.map(sig)),
    maha99: sig(quantile(d, 0.99)),
    medianAge: quantile(ages, 0.5),
  };
}

/** Trains both sexes: model selection on a seeded validation split, then a refit on all subjects. */
export function trainBodyModel(subjects: AnsurSubject[], opts: TrainOptions = {}): BodyModel {
  const total = BODY_ZONES.length * 2;
  let done = 0;
  const tick = (label: string) => opts.onProgress?.(++done, total, label);
  const sexes = {} as Record<Sex, SexBodyModel>;
  for (const sex of ['male', 'female'] as const) {
    sexes[sex] = trainSex(
      subjects.filter((s) => s.sex === sex),
      opts,
      (z) => tick(`${sex} ${z}`),
    );
  }
  return {
    version: 1,
    trainedOn: {
      subjects: subjects.length,
      male: subjects.filter((s) => s.sex === 'male').length,
      female: subjects.filter((s) => s.sex === 'female').length,
    },
    zones: [...BODY_ZONES],
    sexes,
  };
}
