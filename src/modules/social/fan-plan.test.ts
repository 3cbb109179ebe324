import { describe, expect, it } from 'vitest';
import { addDays, boostImpressions, expectedFans, planStatus, planTerms, targetFans } from './fan-plan.ts';

const settings = {
  targetPct: 50,
  days: 30,
  minGain: 10,
  maxStoreAgeDays: 30,
  impressionsPerFan: 200,
  maxDailyImpressions: 5000,
};

describe('fan-growth plan arithmetic', () => {
  it('aims at +50% rounded up, and at least +10 fans', () => {
    expect(targetFans(100, settings)).toBe(150);
    expect(targetFans(101, settings)).toBe(152);
    expect(targetFans(3, settings)).toBe(13);
    expect(targetFans(0, settings)).toBe(10);
  });

  it('runs 30 days on a straight line from start to target', () => {
    const p = planTerms('2026-03-01', 100, settings);
    expect(p).toEqual({ startedOn: '2026-03-01', endsOn: '2026-03-31', startFans: 100, targetFans: 150 });
    expect(expectedFans(p, '2026-02-28')).toBe(100);
    expect(expectedFans(p, '2026-03-15')).toBe(125);
    expect(expectedFans(p, '2026-03-30')).toBe(150);
    expect(expectedFans(p, '2026-04-10')).toBe(150);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('boosts a store behind yesterday’s line, capped, and not one on track, met or over', () => {
    const p = planTerms('2026-03-01', 100, settings);
    // By the end of 03-10 the line is at 100 + 50 × 10/30 = 117 (rounded up).
    expect(boostImpressions(p, 110, '2026-03-11', settings)).toBe(7 * 200);
    expect(boostImpressions(p, 117, '2026-03-11', settings)).toBe(0);
    expect(boostImpressions(p, 100, '2026-03-30', settings)).toBe(5000);
    expect(boostImpressions(p, 150, '2026-03-20', settings)).toBe(0);
    expect(boostImpressions(p, 120, '2026-03-31', settings)).toBe(0);
    expect(planStatus(p, 150, '2026-03-20')).toBe('met');
    expect(planStatus(p, 120, '2026-03-31')).toBe('ended');
    expect(planStatus(p, 120, '2026-03-30')).toBe('active');
  });
});
