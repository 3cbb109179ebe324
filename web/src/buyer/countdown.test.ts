import { describe, expect, it } from 'vitest';
import { timeLeft } from './countdown.ts';

describe('pay countdown', () => {
  const expiresAt = '2026-03-01T08:15:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('shows minutes and seconds left, rounding a started second up', () => {
    expect(timeLeft(expiresAt, at('2026-03-01T08:00:00.000Z'))).toBe('15:00');
    expect(timeLeft(expiresAt, at('2026-03-01T08:00:00.400Z'))).toBe('15:00');
    expect(timeLeft(expiresAt, at('2026-03-01T08:00:01.000Z'))).toBe('14:59');
    expect(timeLeft(expiresAt, at('2026-03-01T08:14:51.000Z'))).toBe('00:09');
    expect(timeLeft(expiresAt, at('2026-03-01T08:14:59.999Z'))).toBe('00:01');
  });

  it('says nothing is left once the moment has passed', () => {
    expect(timeLeft(expiresAt, at('2026-03-01T08:15:00.000Z'))).toBeNull();
    expect(timeLeft(expiresAt, at('2026-03-01T09:00:00.000Z'))).toBeNull();
    expect(timeLeft('not a date', at('2026-03-01T08:00:00.000Z'))).toBeNull();
  });

  it('counts past an hour in minutes', () => {
    expect(timeLeft(expiresAt, at('2026-03-01T06:00:00.000Z'))).toBe('135:00');
  });
});
