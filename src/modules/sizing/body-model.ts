import { BODY_ZONES, type BodyZone, type Sex } from './ansur-csv.ts';
import {
  type BodyInputs,
  bodyFeatures,
  type FeatureSet,
  heightOnlyFeatures,
  weightOnlyFeatures,
} from './body-features.ts';
import { distinctNotes, note, type SizeNote } from './size-notes.ts';

/** One linear predictor: y = intercept + coef · features(x). */
export interface LinearTarget {
  intercept: number;
  coef: number[];
}

/** One ensemble member: feature set, its ridge lambda (chosen on validation) and coefficients. */
export interface MemberTarget extends LinearTarget {
  featureSet: FeatureSet;
  lambda: number;
  /** Share of this member in the zone's averaged ensemble (weights sum to 1). */
  weight: number;
}

export interface SexBodyModel {
  /** Per zone, the prediction is the average of these members (one, or an ensemble if it validated better). */
  main: Record<BodyZone, MemberTarget[]>;
  heightOnly: Record<BodyZone, LinearTarget>;
  weightOnly: Record<BodyZone, LinearTarget>;
  /** d target / d (height, weight, age) used beyond the clamp range (linear extrapolation). */
  slope: Record<BodyZone, [number, number, number]>;
  /** Out-of-sample residual SD (cm) of each path. */
  residSd: Record<BodyZone, number>;
  residSdHeightOnly: Record<BodyZone, number>;
  residSdWeightOnly: Record<BodyZone, number>;
  /** Residual correlation between zones (BODY_ZONES order), for conditioning on extra answers. */
  residCorr: number[][];
  /** Inputs are clamped to the training min/max before the nonlinear features (linear extrapolation beyond). */
  clamp: Record<'height' | 'weight' | 'bmi' | 'age', [number, number]>;
  /** Input range seen in training: [p0.5, p99.5] and mean/sd for height, weight, bmi, age. */
  range: Record<'height' | 'weight' | 'bmi' | 'age', { lo: number; hi: number; mean: number; sd: number }>;
  /** Mahalanobis distance on standardised (height, weight, age): inverse correlation matrix and 99th pct. */
  mahaInv: number[][];
  maha99: number;
  medianAge: number;
}

export interface BodyModel {
  version: 1;
  trainedOn: { subjects: number; male: number; female: number };
  zones: BodyZone[];
  sexes: Record<Sex, SexBodyModel>;
}

export interface Estimate {
  cm: number;
  sdCm: number;
}

export interface RawBodyEstimate {
  mean: Record<BodyZone, number>;
  sd: Record<BodyZone, number>;
  /** Uncertainty inflation factor (1 inside the survey's range). */
  inflation: number;
  outOfRange: boolean;
  notes: SizeNote[];
  path: 'full' | 'height-only' | 'weight-only';
}

const dot = (t: LinearTarget, f: number[]) => {
  let s = t.intercept;
  for (let i = 0; i < t.coef.length; i++) s += t.coef[i] * f[i];
  return s;
};
const ensemble = (members: MemberTarget[], x: BodyInputs) =>
  members.reduce((s, t) => s + t.weight * dot(t, bodyFeatures(t.featureSet, x)), 0);
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

export const plausibleHeight = (h: number) => Number.isFinite(h) && h >= 100 && h <= 250;
export const plausibleWeight = (w: number) => Number.isFinite(w) && w >= 25 && w <= 350;

/** Smooth uncertainty inflation outside the training range plus notes naming what is outside it. */
export function rangeInflation(
  m: SexBodyModel,
  x: BodyInputs,
  known: { h: boolean; w: boolean },
): {
  factor: number;
  notes: SizeNote[];
} {
  const notes: SizeNote[] = [];
  let sq = 0;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  const check = (measure: keyof SexBodyModel['range'], v: number) => {
    const r = m.range[measure];
    const excess = Math.max(0, r.lo - v, v - r.hi) / r.sd;
    if (excess > 0) {
      sq += excess * excess;
      notes.push({
        code: 'outside_survey_range',
        params: { measure, value: round1(v), min: round1(r.lo), max: round1(r.hi) },
      });
    }
  };
  if (known.h) check('height', x.heightCm);
  if (known.w) check('weight', x.weightKg);
  if (known.h && known.w) check('bmi', x.weightKg / (x.heightCm / 100) ** 2);
  check('age', x.age);
  if (known.h && known.w) {
    const z = [
      (x.heightCm - m.range.height.mean) / m.range.height.sd,
      (x.weightKg - m.range.weight.mean) / m.range.weight.sd,
      (x.age - m.range.age.mean) / m.range.age.sd,
    ];
    let d2 = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) d2 += z[i] * m.mahaInv[i][j] * z[j];
    const excess = Math.max(0, Math.sqrt(d2) - m.maha99);
    if (excess > 0) {
      sq += excess * excess;
      notes.push(note('unusual_combination'));
    }
  }
  return { factor: Math.sqrt(1 + sq), notes };
}

/** Base estimate for one sex from height/weight/age (any of height/weight may be missing). */
export function predictSex(
  m: SexBodyModel,
  heightCm: number,
  weightKg: number,
  age?: number,
): RawBodyEstimate {
  const hOk = plausibleHeight(heightCm);
  const wOk = plausibleWeight(weightKg);
  const notes: SizeNote[] = [];
  const a = age !== undefined && Number.isFinite(age) && age > 0 ? age : m.medianAge;
  if (age === undefined || !Number.isFinite(age) || age <= 0) notes.push(note('age_unknown'));
  const x: BodyInputs = { heightCm, weightKg, age: a };
  const c: BodyInputs = {
    heightCm: clamp(heightCm, m.clamp.height[0], m.clamp.height[1]),
    weightKg: clamp(weightKg, m.clamp.weight[0], m.clamp.weight[1]),
    age: clamp(a, m.clamp.age[0], m.clamp.age[1]),
  };
  // keep clamped BMI inside its range too, by adjusting weight for the clamped height
  const bmiC = c.weightKg / (c.heightCm / 100) ** 2;
  const bmiClamped = clamp(bmiC, m.clamp.bmi[0], m.clamp.bmi[1]);
  c.weightKg = bmiClamped * (c.heightCm / 100) ** 2;
  const path: RawBodyEstimate['path'] =
    hOk && wOk ? 'full' : hOk ? 'height-only' : wOk ? 'weight-only' : 'full';
  if (!hOk && !wOk) notes.push(note('height_weight_implausible'));
  else if (!wOk) notes.push(note('weight_implausible'));
  else if (!hOk) notes.push(note('height_implausible'));
  const mean = {} as Record<BodyZone, number>;
  const sd = {} as Record<BodyZone, number>;
  const infl = rangeInflation(m, x, { h: hOk, w: wOk });
  notes.push(...infl.notes);
  for (const z of BODY_ZONES) {
    const s = m.slope[z];
    if (path === 'full' && hOk && wOk) {
      mean[z] =
        ensemble(m.main[z], c) +
        s[0] * (x.heightCm - c.heightCm) +
        s[1] * (x.weightKg - c.weightKg) +
        s[2] * (a - c.age);
      sd[z] = m.residSd[z];
    } else if (path === 'height-only') {
      mean[z] = dot(m.heightOnly[z], heightOnlyFeatures(c)) + s[0] * (x.heightCm - c.heightCm);
      sd[z] = m.residSdHeightOnly[z];
    } else if (path === 'weight-only') {
      mean[z] = dot(m.weightOnly[z], weightOnlyFeatures(c)) + s[1] * (x.weightKg - c.weightKg);
      sd[z] = m.residSdWeightOnly[z];
    } else {
      const mid: BodyInputs = { heightCm: m.range.height.mean, weightKg: m.range.weight.mean, age: a };
      mean[z] = ensemble(m.main[z], mid);
      sd[z] = m.residSdWeightOnly[z] * 2;
    }
    sd[z] *= infl.factor;
  }
  return { mean, sd, inflation: infl.factor, outOfRange: infl.factor > 1.0001, notes, path };
}

/** Estimate when sex is unknown: equal mixture of the two sexes (mean and total variance). */
export function predictAnySex(model: BodyModel, heightCm: number, weightKg: number, age?: number, sex?: Sex) {
  if (sex) return predictSex(model.sexes[sex], heightCm, weightKg, age);
  const f = predictSex(model.sexes.female, heightCm, weightKg, age);
  const m = predictSex(model.sexes.male, heightCm, weightKg, age);
  const mean = {} as Record<BodyZone, number>;
  const sd = {} as Record<BodyZone, number>;
  for (const z of BODY_ZONES) {
    mean[z] = (f.mean[z] + m.mean[z]) / 2;
    sd[z] = Math.sqrt((f.sd[z] ** 2 + m.sd[z] ** 2) / 2 + ((f.mean[z] - m.mean[z]) / 2) ** 2);
  }
  const notes = distinctNotes([note('sex_unknown'), ...f.notes, ...m.notes]);
  return { ...f, mean, sd, notes, outOfRange: f.outOfRange || m.outOfRange };
}
