import { describe, expect, it } from 'vitest';
import { businessDate, lastBusinessDays } from './business-day.ts';

describe('business day (Asia/Shanghai)', () => {
  it('puts an instant on its Beijing date, not its UTC date', () => {
    expect(businessDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(businessDate(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(businessDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });

  it('lists the last N dates oldest first, ending today, across month ends', () => {
    const days = lastBusinessDays(new Date('2026-03-02T20:00:00Z'), 30);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe('2026-02-02');
    expect(days.slice(-3)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(new Set(days).size).toBe(30);
    expect([...days].sort()).toEqual(days);
  });
});
