import { describe, expect, it } from 'vitest';
import {
  bpsText,
  countText,
  ctrText,
  impressionsPerDay,
  percentOf,
  type SourceRow,
  totalsBySource,
} from './traffic.ts';

const row = (
  day: string,
  source: SourceRow['source'],
  impressions: number,
  more: Partial<SourceRow> = {},
) => ({
  day,
  source,
  impressions,
  clicks: 0,
  orders: 0,
  gmvFen: 0,
  ...more,
});

describe('traffic sums for the consoles', () => {
  it('spreads rows over every day asked for, quiet days and sources as 0, rows of other days ignored', () => {
    const days = ['2026-11-28', '2026-11-29', '2026-11-30'];
    const out = impressionsPerDay(days, [
      row('2026-11-28', 'organic', 10),
      row('2026-11-30', 'cold_start', 7),
      row('2026-11-30', 'cold_start', 3),
      row('2026-11-01', 'launch', 99),
    ]);
    expect(out.map((d) => d.day)).toEqual(days);
    expect(out[0]?.impressions).toEqual({ organic: 10, cold_start: 0, launch: 0, fuyao: 0, fan_growth: 0 });
    expect(out[1]?.impressions.organic).toBe(0);
    expect(out[2]?.impressions.cold_start).toBe(10);
    expect(out.reduce((s, d) => s + d.impressions.launch, 0)).toBe(0);
  });

  it('sums each source over the days, in the sources’ order, with every source present', () => {
    const totals = totalsBySource([
      row('2026-11-29', 'fuyao', 5, { clicks: 1, orders: 1, gmvFen: 1990 }),
      row('2026-11-30', 'fuyao', 5, { clicks: 2, gmvFen: 10 }),
      row('2026-11-30', 'organic', 100, { clicks: 4 }),
    ]);
    expect(totals.map((t) => t.source)).toEqual(['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth']);
    expect(totals[3]).toEqual({ source: 'fuyao', impressions: 10, clicks: 3, orders: 1, gmvFen: 2000 });
    expect(totals[1]?.impressions).toBe(0);
  });

  it('formats rates, counts and progress', () => {
    expect(ctrText(3, 200)).toBe('1.50%');
    expect(ctrText(3, 0)).toBe('—');
    expect(bpsText(250)).toBe('2.50%');
    expect(bpsText(null)).toBe('—');
    expect(countText(1234567)).toBe('1,234,567');
    expect(percentOf(143, 200)).toBe(72);
    expect(percentOf(300, 200)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
  });
});
