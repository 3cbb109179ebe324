import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpsOf, fen, formatFen } from '../../platform/money.ts';
import { assertBalanced, paymentEntries, refundEntries, settlementEntries } from './ledger.ts';

const sum = (entries: Array<{ amountFen: number }>) => entries.reduce((s, e) => s + e.amountFen, 0);

describe('money', () => {
  it('keeps fen whole and formats yuan', () => {
    expect(() => fen(1.5)).toThrow(RangeError);
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(-5)).toBe('-¥0.05');
    expect(bpsOf(fen(1999), 500)).toBe(100); // 99.95 → 100
    expect(bpsOf(fen(1990), 500)).toBe(100); // 99.5 → 100 (half away from zero)
    expect(bpsOf(fen(1989), 500)).toBe(99);
  });
});

describe('ledger entries', () => {
  it('books a capture as provider_clearing + / order_escrow −', () => {
    expect(paymentEntries(9900)).toEqual([
      { account: 'provider_clearing', amountFen: 9900 },
      { account: 'order_escrow', amountFen: -9900 },
    ]);
  });

  it('settles escrow to the merchant less commission', () => {
    expect(settlementEntries('s1', 10_000, 500)).toEqual([
      { account: 'order_escrow', amountFen: 10_000 },
      { account: 'merchant_payable:s1', amountFen: -9500 },
      { account: 'platform_revenue', amountFen: -500 },
    ]);
    // No zero entry when there is no commission.
    expect(settlementEntries('s1', 10_000, 0)).toHaveLength(2);
    // A 1-fen order whose commission rounds up to all of it: the merchant line is left out.
    expect(settlementEntries('s1', 1, 9_999)).toEqual([
      { account: 'order_escrow', amountFen: 1 },
      { account: 'platform_revenue', amountFen: -1 },
    ]);
  });

  it('books a refund as order_escrow + / provider_clearing −', () => {
    expect(refundEntries(300)).toEqual([
      { account: 'order_escrow', amountFen: 300 },
      { account: 'provider_clearing', amountFen: -300 },
    ]);
  });

  it('every builder balances, for any amount and commission', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), fc.integer({ min: 0, max: 9_999 }), (total, bps) => {
        for (const entries of [
          paymentEntries(total),
          settlementEntries('s', total, bps),
          refundEntries(total),
        ]) {
          expect(sum(entries)).toBe(0);
          expect(() => assertBalanced(entries)).not.toThrow();
          expect(entries.every((e) => Number.isSafeInteger(e.amountFen))).toBe(true);
        }
      }),
    );
  });

  it('refuses unbalanced, zero, fractional or one-sided transactions', () => {
    expect(() =>
      assertBalanced([
        { account: 'a', amountFen: 1 },
        { account: 'b', amountFen: -2 },
      ]),
    ).toThrow(/unbalanced/);
    expect(() =>
      assertBalanced([
        { account: 'a', amountFen: 0 },
        { account: 'b', amountFen: 0 },
      ]),
    ).toThrow(/zero/);
    expect(() =>
      assertBalanced([
        { account: 'a', amountFen: 0.5 },
        { account: 'b', amountFen: -0.5 },
      ]),
    ).toThrow(RangeError);
    expect(() => assertBalanced([{ account: 'a', amountFen: 1 }])).toThrow();
  });
});
