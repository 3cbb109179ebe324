import { describe, expect, it } from 'vitest';
import { fanPlanProgress, villageProgress } from './progress.ts';

describe('progress cards', () => {
  it('counts village steps done', () => {
    expect(villageProgress({ done: 3, total: 8 }).percent).toBe(38);
    expect(villageProgress({ done: 0, total: 0 }).percent).toBe(0);
  });

  it('shows the fan plan as the server measured it, within 0..100', () => {
    const plan = {
      startFans: 20,
      targetFans: 30,
      fans: 25,
      progressPct: 50,
      daysLeft: 12,
      status: 'active' as const,
    };
    expect(fanPlanProgress(plan)).toMatchObject({
      start: 20,
      target: 30,
      fans: 25,
      daysLeft: 12,
      percent: 50,
    });
    expect(fanPlanProgress({ ...plan, progressPct: 130 }).percent).toBe(100);
  });
});
