import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProRata } from './allocate.ts';

describe('allocateProRata: an order-level discount over lines in whole fen', () => {
  it('splits pro rata, largest remainders first', () => {
    expect(allocateProRata([100, 200, 300], 60)).toEqual([10, 20, 30]);
    // 100/3 each: 33.33 → 34, 33, 33 (ties go to the earlier line)
    expect(allocateProRata([100, 100, 100], 100)).toEqual([34, 33, 33]);
    expect(allocateProRata([1000, 1], 500)).toEqual([500, 0]);
  });

  it('never leaves a line below 1 fen, moving the excess to lines with room', () => {
    // pro rata would give the 2-fen line 2 of the 3 fen… it keeps 1 fen to pay
    expect(allocateProRata([2, 2], 2)).toEqual([1, 1]);
    expect(allocateProRata([1, 1, 1000], 999)).toEqual([0, 0, 999]);
  });

  it('refuses a discount that leaves nothing to pay', () => {
    expect(() => allocateProRata([5, 5], 9)).toThrow();
    expect(() => allocateProRata([5, 0], 1)).toThrow();
    expect(allocateProRata([5, 5], 0)).toEqual([0, 0]);
  });

  it('the shares always sum to the discount exactly and every line pays ≥ 1 fen (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amounts, fraction) => {
          const room = amounts.reduce((s, a) => s + a - 1, 0);
          const total = Math.floor(room * fraction);
          const shares = allocateProRata(amounts, total);
          expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
          shares.forEach((x, i) => {
            expect(Number.isInteger(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(0);
            expect((amounts[i] as number) - x).toBeGreaterThanOrEqual(1);
          });
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
