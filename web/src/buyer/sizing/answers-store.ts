/** The size questionnaire's answers kept on this device (anonymous buyers; remembered across products). */
import type { BodyAnswers, Sex } from '../../shared/sizing-api.ts';

const KEY = 'gravity.size.answers';

export function loadAnswers(): BodyAnswers | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const a = JSON.parse(raw) as Partial<BodyAnswers>;
    if (typeof a.heightCm !== 'number' || typeof a.weightKg !== 'number') return null;
    return a as BodyAnswers;
  } catch {
    return null;
  }
}

export function saveAnswers(a: BodyAnswers): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(a));
  } catch {
    // storage unavailable (private mode): the answers live for this page only
  }
}

export function clearAnswers(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // ignore
  }
}

/** Sensible starting values of the questions (adult medians), by sex. */
export function defaultAnswers(sex: Sex = 'female'): BodyAnswers {
  return sex === 'male'
    ? { sex, heightCm: 172, weightKg: 68, age: 30, fitPreference: 'regular' }
    : { sex, heightCm: 162, weightKg: 55, age: 30, fitPreference: 'regular' };
}

/** Limits of the questions (the API accepts a wider range; these keep typos out). */
export const LIMITS = {
  heightCm: { min: 80, max: 220, step: 1 },
  weightKg: { min: 15, max: 200, step: 0.5 },
  age: { min: 5, max: 100, step: 1 },
} as const;

export function validAnswers(a: BodyAnswers): boolean {
  const ok = (v: number | undefined, l: { min: number; max: number }) =>
    v !== undefined && Number.isFinite(v) && v >= l.min && v <= l.max;
  return (
    ok(a.heightCm, LIMITS.heightCm) &&
    ok(a.weightKg, LIMITS.weightKg) &&
    (a.age === undefined || ok(a.age, LIMITS.age))
  );
}
