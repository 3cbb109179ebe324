import { readFileSync } from 'node:fs';
import { BODY_ZONES, type BodyZone, type Sex } from './ansur-csv.ts';
import { type BodyModel, type Estimate, predictAnySex, type RawBodyEstimate } from './body-model.ts';
import { type BodyAnswers, bodyAnswersSchema } from './schemas.ts';
import { bustFromBraSize, chestForUsualSize } from './size-labels.ts';
import type { SizeNote } from './size-notes.ts';

export interface BodyEstimate {
  sex?: Sex;
  estimates: Record<BodyZone, Estimate>;
  fitPreference: 'snug' | 'regular' | 'loose';
  outOfRange: boolean;
  notes: SizeNote[];
  source: 'answers' | 'default';
}

let cached: BodyModel | undefined;
/** The committed body model (`model/body-model.json`), loaded once. */
export function defaultBodyModel(): BodyModel {
  cached ??= JSON.parse(
    readFileSync(new URL('./model/body-model.json', import.meta.url), 'utf8'),
  ) as BodyModel;
  return cached;
}

/** Shape answers are read as a residual of 0.8 residual SD, observed with noise of 0.6 residual SD. */
export const SHAPE_SHIFT_SD = 0.8;
const SHAPE_NOISE_SD = 0.6;
const BRA_NOISE_CM = 4;
const USUAL_SIZE_NOISE_CM = 6;

/**
 * Gaussian conditioning of the joint residual (zones correlated via the survey's residual correlation)
 * on one noisy observation `value` of zone k. Mutates mean and covariance.
 */
function condition(mean: number[], cov: number[][], k: number, value: number, noiseSd: number) {
  const s = cov[k][k] + noiseSd * noiseSd;
  const gain = cov.map((row) => row[k] / s);
  const innov = value - mean[k];
  for (let i = 0; i < mean.length; i++) mean[i] += gain[i] * innov;
  const rowK = cov[k].slice();
  for (let i = 0; i < mean.length; i++) for (let j = 0; j < mean.length; j++) cov[i][j] -= gain[i] * rowK[j];
}

/** Shifts the base estimate with optional answers (belly/hip shape, bra size, usual size). */
export function applyAnswerAdjustments(
  raw: RawBodyEstimate,
  model: BodyModel,
  answers: Pick<BodyAnswers, 'bellyShape' | 'hipShape' | 'braSize' | 'usualSize' | 'sex'>,
): { mean: Record<BodyZone, number>; sd: Record<BodyZone, number>; notes: SizeNote[] } {
  const zones = BODY_ZONES;
  const corr = model.sexes[answers.sex ?? 'female'].residCorr;
  const mean = zones.map((z) => raw.mean[z]);
  const cov = zones.map((a, i) => zones.map((b, j) => corr[i][j] * raw.sd[a] * raw.sd[b]));
  const notes: SizeNote[] = [];
  const k = (z: BodyZone) => zones.indexOf(z);
  const shape = (zone: BodyZone, level: number) => {
    const sd = raw.sd[zone];
    condition(mean, cov, k(zone), raw.mean[zone] + level * SHAPE_SHIFT_SD * sd, SHAPE_NOISE_SD * sd);
  };
  if (answers.bellyShape && answers.bellyShape !== 'average')
    shape('waist', answers.bellyShape === 'round' ? 1 : -1);
  if (answers.hipShape && answers.hipShape !== 'average') shape('hip', answers.hipShape === 'wide' ? 1 : -1);
  if (answers.braSize) {
    const bust = bustFromBraSize(answers.braSize);
    if (bust !== undefined) condition(mean, cov, k('chest'), bust, BRA_NOISE_CM);
    else notes.push({ code: 'bra_size_unknown', params: { braSize: answers.braSize } });
  }
  if (answers.usualSize) {
    const chest = chestForUsualSize(answers.usualSize, answers.sex ?? 'female');
    if (chest !== undefined) condition(mean, cov, k('chest'), chest, USUAL_SIZE_NOISE_CM);
    else notes.push({ code: 'usual_size_unknown', params: { usualSize: answers.usualSize } });
  }
  const m = {} as Record<BodyZone, number>;
  const s = {} as Record<BodyZone, number>;
  zones.forEach((z, i) => {
    m[z] = mean[i];
    s[z] = Math.sqrt(Math.max(cov[i][i], 0.01));
  });
  return { mean: m, sd: s, notes };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Core estimate without schema validation (implausible height/weight fall back to sub-models). */
export function estimateBodyUnchecked(
  answers: BodyAnswers,
  model: BodyModel = defaultBodyModel(),
): BodyEstimate {
  const raw = predictAnySex(model, answers.heightCm, answers.weightKg, answers.age, answers.sex);
  const adj = applyAnswerAdjustments(raw, model, answers);
  const estimates = {} as Record<BodyZone, Estimate>;
  for (const z of BODY_ZONES) estimates[z] = { cm: round1(adj.mean[z]), sdCm: round1(adj.sd[z]) };
  return {
    sex: answers.sex,
    estimates,
    fitPreference: answers.fitPreference ?? 'regular',
    outOfRange: raw.outOfRange,
    notes: [...raw.notes, ...adj.notes],
    source: 'answers',
  };
}

/** Validated entry point used by the product: answers → body estimate (cm with uncertainty). */
export function estimateBody(answers: BodyAnswers, model?: BodyModel): BodyEstimate {
  return estimateBodyUnchecked(bodyAnswersSchema.parse(answers), model);
}
