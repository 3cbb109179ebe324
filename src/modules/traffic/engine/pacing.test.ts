import { describe, expect, it } from 'vitest';
import { DEFAULT_GAINS, pacedTarget, piStep, TrafficProfile } from './pacing.ts';

const day = { start: new Date(Date.UTC(2026, 0, 1)), end: new Date(Date.UTC(2026, 0, 2)) };
const at = (hours: number) => new Date(day.start.getTime() + hours * 3_600_000);

describe('TrafficProfile', () => {
  it('is uniform before any day is seen', () => {
    const profile = new TrafficProfile();
    expect(profile.elapsedShare(at(6), day)).toBeCloseTo(0.25, 6);
    expect(profile.elapsedShare(at(0), day)).toBe(0);
    expect(profile.elapsedShare(at(24), day)).toBe(1);
  });

  it('learns an evening-heavy day from impressions', () => {
    const profile = new TrafficProfile();
    for (let d = 0; d < 5; d++) {
      for (let i = 0; i < 1000; i++) profile.record(at(18 + (i % 6)), day);
      for (let i = 0; i < 100; i++) profile.record(at(i % 18), day);
      profile.endDay();
    }
    // Little of the day's traffic has passed by noon.
    expect(profile.elapsedShare(at(12), day)).toBeLessThan(0.25);
    expect(profile.elapsedShare(at(23.99), day)).toBeGreaterThan(0.95);
  });
});

describe('pacedTarget', () => {
  it('scales the target by the elapsed share and completes at finishBy', () => {
    expect(pacedTarget(100, 0.45, 0.9)).toBeCloseTo(50, 6);
    expect(pacedTarget(100, 0.95, 0.9)).toBe(100);
  });
});

describe('piStep', () => {
  it('raises the boost while behind, lowers it while ahead, zero once the target is reached', () => {
    let state = { boost: 0, integral: 0 };
    state = piStep(state, 100, 50, 30);
    const behind = state.boost;
    expect(behind).toBeGreaterThan(0);
    state = piStep(state, 100, 50, 30);
    expect(state.boost).toBeGreaterThan(behind);
    const ahead = piStep(state, 100, 50, 80);
    expect(ahead.boost).toBeLessThan(state.boost);
    expect(piStep(state, 100, 100, 100)).toEqual({ boost: 0, integral: 0 });
  });

  it('stays within its bounds, and catches up late in the day', () => {
    let state = { boost: 0, integral: 0 };
    for (let i = 0; i < 1000; i++) state = piStep(state, 10, 10, 0);
    expect(state.boost).toBeLessThanOrEqual(DEFAULT_GAINS.maxBoost);
    expect(state.integral).toBeLessThanOrEqual(DEFAULT_GAINS.integralMax);
    expect(piStep({ boost: 0, integral: 0 }, 100, 100, 99, DEFAULT_GAINS, true).boost).toBe(
      DEFAULT_GAINS.maxBoost,
    );
  });
});
