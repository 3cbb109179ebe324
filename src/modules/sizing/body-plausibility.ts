/**
 * Answers that are possible but unlikely enough to be a typo (219 cm and 40 kg): the questionnaire asks
 * the buyer to confirm them and the API flags them. Impossible values stay a 400 (the answers schema).
 * Pure and dependency-free: the web app imports it for its confirmation step.
 */

/** Body-mass index bounds: below 14 or above 50 is rare in adults (children run leaner, down to 11). */
export const BMI_BOUNDS = { adultMin: 14, childMin: 11, max: 50 } as const;
/** Taller than this is more than 10 cm above the tallest person of the body survey (198 cm). */
export const TALLEST_PLAUSIBLE_CM = 210;
/** An adult (18+) shorter than this is outside the survey by far (its shortest adult is 145 cm). */
export const SHORTEST_ADULT_CM = 130;
/** Without an age, anyone shorter than this is taken for a child. */
const CHILD_HEIGHT_CM = 140;

export const PLAUSIBILITY_FLAGS = ['bmi_low', 'bmi_high', 'height_high', 'height_low'] as const;
export type PlausibilityFlag = (typeof PLAUSIBILITY_FLAGS)[number];

export function bodyMassIndex(heightCm: number, weightKg: number): number {
  return weightKg / (heightCm / 100) ** 2;
}

/** What is unlikely about height, weight (and age): empty when the answers look like a real person. */
export function implausibleAnswers(a: {
  heightCm: number;
  weightKg: number;
  age?: number;
}): PlausibilityFlag[] {
  const flags: PlausibilityFlag[] = [];
  const bmi = bodyMassIndex(a.heightCm, a.weightKg);
  const child = a.age !== undefined ? a.age < 16 : a.heightCm < CHILD_HEIGHT_CM;
  if (bmi < (child ? BMI_BOUNDS.childMin : BMI_BOUNDS.adultMin)) flags.push('bmi_low');
  if (bmi > BMI_BOUNDS.max) flags.push('bmi_high');
  if (a.heightCm > TALLEST_PLAUSIBLE_CM) flags.push('height_high');
  if (a.age !== undefined && a.age >= 18 && a.heightCm < SHORTEST_ADULT_CM) flags.push('height_low');
  return flags;
}
