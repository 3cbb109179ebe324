import { describe, expect, it } from 'vitest';
import { planSettingsSchema } from '../../../../src/modules/social/api-schema.ts';
import { targetFans } from '../../../../src/modules/social/fan-plan.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import {
  type FanPlanTerms,
  PLAN_FIELDS,
  planBoost,
  planExamples,
  planTarget,
  refusedPlanFields,
  validTerms,
} from './fan-plan-form.ts';

const DEFAULTS: FanPlanTerms = {
  targetPct: 50,
  days: 30,
  minGain: 10,
  maxStoreAgeDays: 30,
  impressionsPerFan: 200,
  maxDailyImpressions: 5000,
};

describe('the fan-growth plan form', () => {
  it('has a field for every term, with the bounds the API accepts', () => {
    expect(PLAN_FIELDS.map((f) => f.name).sort()).toEqual(Object.keys(DEFAULTS).sort());
    expect(Object.keys(planSettingsSchema.shape).sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const f of PLAN_FIELDS) {
      const at = (v: number) => planSettingsSchema.safeParse({ ...DEFAULTS, [f.name]: v }).success;
      expect([at(f.min), at(f.max)], f.name).toEqual([true, true]);
      expect([at(f.min - 1), at(f.max + 1)], f.name).toEqual([false, false]);
    }
  });

  it('has a label, a hint and a unit for every field in both languages', () => {
    for (const messages of [zhCN, en]) {
      const m = messages.ops.fanPlan;
      for (const f of PLAN_FIELDS) {
        expect(m.field[f.name], f.name).toBeTruthy();
        expect(m.field[`${f.name}Hint`], f.name).toBeTruthy();
        expect(m.unit[f.unit], f.unit).toBeTruthy();
      }
    }
  });

  it('computes targets as the server does', () => {
    for (const terms of [DEFAULTS, { targetPct: 1, minGain: 0 }, { targetPct: 1000, minGain: 3 }])
      for (const start of [0, 1, 3, 7, 19, 20, 21, 99, 1234])
        expect(planTarget(start, terms), `${start} ${JSON.stringify(terms)}`).toBe(targetFans(start, terms));
    expect(planTarget(3, DEFAULTS)).toBe(13);
    expect(planTarget(100, DEFAULTS)).toBe(150);
  });

  it('says which rule sets each example target', () => {
    expect(planExamples(DEFAULTS, [5, 50])).toEqual([
      { startFans: 5, targetFans: 15, byMinimum: true },
      { startFans: 50, targetFans: 75, byMinimum: false },
    ]);
  });

  it('gives exposure per fan behind, capped, and none on track', () => {
    expect(planBoost(0, DEFAULTS)).toBe(0);
    expect(planBoost(-3, DEFAULTS)).toBe(0);
    expect(planBoost(4, DEFAULTS)).toBe(800);
    expect(planBoost(40, DEFAULTS)).toBe(5000);
  });

  it('takes the form values as terms only when all are whole and within bounds', () => {
    expect(validTerms(DEFAULTS)).toEqual(DEFAULTS);
    expect(validTerms({ ...DEFAULTS, days: 0 })).toBeUndefined();
    expect(validTerms({ ...DEFAULTS, targetPct: 1.5 })).toBeUndefined();
    expect(validTerms({ ...DEFAULTS, minGain: null })).toBeUndefined();
    expect(validTerms(undefined)).toBeUndefined();
  });

  it('names the fields an API refusal points at, ignoring others', () => {
    expect(
      refusedPlanFields([
        { where: 'body', path: '/targetPct', message: 'Too big' },
        { where: 'body', path: '/', message: 'Unrecognized key' },
        { where: 'body', path: '/nope', message: 'x' },
      ]),
    ).toEqual(['targetPct']);
    expect(refusedPlanFields(undefined)).toEqual([]);
  });
});
