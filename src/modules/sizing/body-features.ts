/** Feature maps from self-reported answers (height cm, weight kg, age years) for the body regression. */

export const FEATURE_SETS = ['hw', 'compact', 'poly', 'spline', 'inch'] as const;
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

const INCH_LO = 58;
const INCH_HI = 78;
/**
 * Height as a piecewise-linear spline with a knot at every whole inch (tent basis): at whole-inch heights
 * each inch has its own ridge-shrunk effect, which captures heaping of self-reported heights (e.g. 6'0"),
 * and between inches it interpolates, so a height typed in cm gets a continuous estimate.
 */
export function inchBasis(heightCm: number): number[] {
  // rounded so whole-inch heights converted to cm (e.g. 70 × 2.54) land exactly on their knot
  const inches = Math.min(Math.max(Math.round((heightCm / 2.54) * 1e6) / 1e6, INCH_LO), INCH_HI);
  const out = new Array<number>(INCH_HI - INCH_LO + 1).fill(0);
  const lo = Math.floor(inches);
  const frac = inches - lo;
  out[lo - INCH_LO] = 1 - frac;
  if (frac > 0) out[lo + 1 - INCH_LO] = frac;
  return out;
}

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
  if (set === 'inch') return [...poly, ...inchBasis(h)];
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
