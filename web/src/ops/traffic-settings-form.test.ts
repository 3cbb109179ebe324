import { describe, expect, it } from 'vitest';
import { formToSettings, refusedFields, SETTINGS_FIELDS, settingsToForm } from './traffic-settings-form.ts';

const SETTINGS = {
  newStoreDays: 30,
  coldStartMinDailyImpressions: 200,
  planTrafficCapBps: 1500,
  launchCreditsPerStore: 3000,
  launchPeriodDays: 14,
  fuyao: {
    minRating: 4.5,
    maxRefundRateBps: 1000,
    maxShippingHours: 72,
    minCtrBps: 205,
    minGmvGrowthBps: -250,
    budgetPerDay: 500,
    periodDays: 14,
  },
};

describe('the traffic settings form', () => {
  it('has a field for every setting', () => {
    const names = SETTINGS_FIELDS.map((f) => f.name.join('.')).sort();
    const leaves = (o: object, at = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? leaves(v, `${at}${k}.`) : [`${at}${k}`],
      );
    expect(names).toEqual(leaves(SETTINGS).sort());
  });

  it('shows basis points as percent and gives back the same record', () => {
    const form = settingsToForm(SETTINGS);
    expect(form.planTrafficCapBps).toBe(15);
    expect((form.fuyao as Record<string, number>).minCtrBps).toBe(2.05);
    expect((form.fuyao as Record<string, number>).minGmvGrowthBps).toBe(-2.5);
    expect((form.fuyao as Record<string, number>).minRating).toBe(4.5);
    expect(formToSettings(form, SETTINGS)).toEqual(SETTINGS);
  });

  it('turns a typed percent into whole basis points and keeps the other values', () => {
    const form = settingsToForm(SETTINGS);
    form.planTrafficCapBps = 12.34;
    form.newStoreDays = 7;
    const out = formToSettings(form, SETTINGS);
    expect(out.planTrafficCapBps).toBe(1234);
    expect(out.newStoreDays).toBe(7);
    expect(SETTINGS.newStoreDays).toBe(30);
  });

  it('names the fields an API refusal points at, ignoring others', () => {
    expect(
      refusedFields([
        { where: 'body', path: '/fuyao/minCtrBps', message: 'Too big' },
        { where: 'body', path: '/newStoreDays', message: 'Too small' },
        { where: 'body', path: '/', message: 'Unrecognized key' },
      ]),
    ).toEqual([['fuyao', 'minCtrBps'], ['newStoreDays']]);
    expect(refusedFields(undefined)).toEqual([]);
  });
});
