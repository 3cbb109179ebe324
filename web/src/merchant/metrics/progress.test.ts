import { describe, expect, it } from 'vitest';
import { fanPlanProgress, villageProgress } from './progress.ts';

describe('progress cards', () => {
  it('counts village steps done', () => {
    expect(villageProgress({ steps: [], done: 3, total: 8 }).percent).toBe(38);
    expect(villageProgress({ steps: [], done: 0, total: 0 }).percent).toBe(0);
  });

  it('measures fan growth from the start count to the target, within 0..100', () => {
    const plan = { startFans: 20, targetFans: 30, endsOn: '2026-12-30' };
    expect(fanPlanProgress(plan, 25).percent).toBe(50);
    expect(fanPlanProgress(plan, 18).percent).toBe(0);
    expect(fanPlanProgress(plan, 45).percent).toBe(100);
  });
});
