import { describe, expect, it } from 'vitest';
import { coverageOf, isNewStore } from './plan-rules.ts';

const DAY = 86_400_000;

describe('isNewStore', () => {
  const opened = new Date('2026-03-01T00:00:00Z');
  const settings = { newStoreDays: 30 };
  it('is new from its opening until newStoreDays later', () => {
    expect(isNewStore(opened, opened, settings)).toBe(true);
    expect(isNewStore(opened, new Date(opened.getTime() + 30 * DAY - 1), settings)).toBe(true);
    expect(isNewStore(opened, new Date(opened.getTime() + 30 * DAY), settings)).toBe(false);
  });
  it('is not new (nor anything) before it opened: no contract for a store that does not exist yet', () => {
    expect(isNewStore(opened, new Date(opened.getTime() - 1), settings)).toBe(false);
  });
});

describe('coverageOf', () => {
  it('counts the contracted stores that reached their minimum', () => {
    const c = coverageOf(
      [
        { storeId: 'a', target: 40 },
        { storeId: 'b', target: 40 },
      ],
      new Map([
        ['a', 40],
        ['b', 39],
      ]),
    );
    expect(c).toEqual({ newStores: 2, reached: 1, coverage: 0.5 });
    expect(coverageOf([], new Map()).coverage).toBeNull();
  });
});
