import { describe, expect, it } from 'vitest';
import { coldStartTarget, dayBounds } from './plan-rules.ts';

describe('coldStartTarget: the minimum for the part of the day in cold start', () => {
  const day = dayBounds('2026-03-02'); // 00:00 Shanghai = 2026-03-01T16:00Z
  const at = (hoursIntoDay: number) => new Date(day.start.getTime() + hoursIntoDay * 3_600_000);
  const far = new Date(day.end.getTime() + 30 * 86_400_000);

  it('a whole day: the full minimum', () => {
    expect(coldStartTarget({ minimum: 200, day, from: day.start, until: far })).toBe(200);
    expect(coldStartTarget({ minimum: 200, day, from: at(-5), until: far })).toBe(200);
  });
  it('first planned at 18:00 (a quarter of the day left): a quarter, rounded up', () => {
    expect(coldStartTarget({ minimum: 200, day, from: at(18), until: far })).toBe(50);
    expect(coldStartTarget({ minimum: 201, day, from: at(18), until: far })).toBe(51);
  });
  it('leaves cold start at 06:00: the quarter before it; nothing when no part of the day is left', () => {
    expect(coldStartTarget({ minimum: 200, day, from: day.start, until: at(6) })).toBe(50);
    expect(coldStartTarget({ minimum: 200, day, from: at(23.99), until: far })).toBe(1);
    expect(coldStartTarget({ minimum: 200, day, from: day.end, until: far })).toBe(0);
    expect(coldStartTarget({ minimum: 200, day, from: at(10), until: at(9) })).toBe(0);
  });
});
