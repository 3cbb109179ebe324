/** Feature maps from self-reported answers (height cm, weight kg, age years) for the body regression. */

export const FEATURE_SETS = ['hw', 'compact', 'poly', 'spline'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

export interface BodyInputs {
  heightCm: number;
  weightKg: number;
  age: number;
}

const BMI_KNOTS = [20, 23, 26, 29, 32, 35];
const AGE_KNOTS = [22, 27, 33, 40, 47];
const HEIGHT_KNOTS = [155, 163, 170, 177, 185];

const hinge = (v: number, knots: number[]) => knots.map((k) => Math.max(0, v - k));

/** Builds the feature row for a feature set. Inputs must already be plausible (clamped). */
export function bodyFeatures(set: FeatureSet, x: BodyInputs): number[] {
  const h = x.heightCm;
  const w = x.weightKg;
  if (set === 'hw') return [h, w];
  const bmi = w / (h / 100) ** 2;
  const a = x.age;
  if (set === 'compact') return [h, w, a, a * a, bmi, Math.log(w)];
  const poly = [h, w, Math.log(w), bmi, bmi * bmi, (h * bmi) / 100, a, a * a, (a * bmi) / 10, h * h, 1 / bmi];
  if (set === 'poly') return poly;
  return [
    ...poly,
    ...hinge(bmi, BMI_KNOTS),
    ...hinge(a, AGE_KNOTS),
    ...hinge(h, HEIGHT_KNOTS),
    (a * w) / 100,
  ];
}

/** Features for fallback models when weight or height is missing or implausible. */
export function heightOnlyFeatures(x: BodyInputs): number[] {
  const h = x.heightCm;
  return [h, h * h, x.age, x.age * x.age, ...hinge(x.age, AGE_KNOTS)];
}

export function weightOnlyFeatures(x: BodyInputs): number[] {
  const w = x.weightKg;
  return [w, Math.log(w), w * w, x.age, x.age * x.age, ...hinge(x.age, AGE_KNOTS)];
}
