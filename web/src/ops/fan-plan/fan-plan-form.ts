/**
 * The fan-growth plan's (涨粉计划) terms as the operators' form shows them: each field with the bounds
 * the API schema has (src/modules/social/api-schema.ts), and what a set of terms means for a store,
 * by the same rule the server applies at enrolment (src/modules/social/fan-plan.ts).
 */
import type { components } from '../../api/schema.gen.ts';

/** The terms as the API has them (`GET/PUT /ops/fan-plan/settings`). */
export type FanPlanTerms = components['schemas']['FanPlanSettings'];

export interface PlanField {
  /** The setting (and the form's field name); its label and hint are `ops.fanPlan.field.<name>` and `<name>Hint`. */
  name: keyof FanPlanTerms;
  min: number;
  max: number;
  unit: 'percent' | 'days' | 'fans' | 'impressions';
}

export const PLAN_FIELDS: readonly PlanField[] = [
  { name: 'targetPct', min: 1, max: 1000, unit: 'percent' },
  { name: 'days', min: 1, max: 365, unit: 'days' },
  { name: 'minGain', min: 0, max: 100_000, unit: 'fans' },
  { name: 'maxStoreAgeDays', min: 1, max: 365, unit: 'days' },
  { name: 'impressionsPerFan', min: 0, max: 100_000, unit: 'impressions' },
  { name: 'maxDailyImpressions', min: 0, max: 10_000_000, unit: 'impressions' },
];

/** A store's target at enrolment: start + targetPct %, rounded up, and at least start + minGain (≥ 1). */
export function planTarget(startFans: number, s: Pick<FanPlanTerms, 'targetPct' | 'minGain'>): number {
  const byShare = Math.ceil((startFans * (100 + s.targetPct)) / 100);
  return Math.max(byShare, startFans + Math.max(s.minGain, 1));
}

/** A day's extra exposure for a store `behind` fans behind its line: per fan, capped; 0 when on track. */
export function planBoost(
  behind: number,
  s: Pick<FanPlanTerms, 'impressionsPerFan' | 'maxDailyImpressions'>,
) {
  return behind <= 0 ? 0 : Math.min(behind * s.impressionsPerFan, s.maxDailyImpressions);
}

export interface PlanExample {
  startFans: number;
  targetFans: number;
  /** Whether the minimum gain, not the percentage, sets the target. */
  byMinimum: boolean;
}

/** Targets for a few sizes of store, to show what the terms mean. */
export function planExamples(s: FanPlanTerms, starts: readonly number[] = [0, 5, 50, 500]): PlanExample[] {
  return starts.map((startFans) => {
    const targetFans = planTarget(startFans, s);
    return {
      startFans,
      targetFans,
      byMinimum: targetFans > Math.ceil((startFans * (100 + s.targetPct)) / 100),
    };
  });
}

/** The form's values as terms, when every field holds a whole number within its bounds; else undefined. */
export function validTerms(
  values: Partial<Record<keyof FanPlanTerms, unknown>> | undefined,
): FanPlanTerms | undefined {
  if (!values) return undefined;
  const out: Partial<FanPlanTerms> = {};
  for (const f of PLAN_FIELDS) {
    const v = values[f.name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < f.min || v > f.max) return undefined;
    out[f.name] = v;
  }
  return out as FanPlanTerms;
}

/** The form fields a `validation_failed` answer's details name (`{ path: '/targetPct' }`). */
export function refusedPlanFields(details: unknown): (keyof FanPlanTerms)[] {
  if (!Array.isArray(details)) return [];
  const names = new Set<string>(PLAN_FIELDS.map((f) => f.name));
  return details
    .map((d) => (d as { path?: unknown } | null)?.path)
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.replace(/^\//, ''))
    .filter((p): p is keyof FanPlanTerms => names.has(p));
}
