import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpsOf, fen, formatFen } from '../../platform/money.ts';
import { assertBalanced } from './ledger.ts';
import {
  compensationEntries,
  creditAdvanceEntries,
  creditChargeEntries,
  paymentEntries,
  refundEntries,
  settlementEntries,
} from './money-movements.ts';

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
    const settle = (escrowFen: number, commissionBps: number) =>
      settlementEntries({ storeId: 's1', escrowFen, platformFunded: [], commissionBps });
    expect(settle(10_000, 500)).toEqual([
      { account: 'order_escrow', amountFen: 10_000 },
      { account: 'merchant_payable:s1', amountFen: -9500 },
      { account: 'platform_revenue', amountFen: -500 },
    ]);
    // No zero entry when there is no commission.
    expect(settle(10_000, 0)).toHaveLength(2);
    // A 1-fen order whose commission rounds up to all of it: the merchant line is left out.
    expect(settle(1, 9_999)).toEqual([
      { account: 'order_escrow', amountFen: 1 },
      { account: 'platform_revenue', amountFen: -1 },
    ]);
  });

  it('pays the merchant the platform-funded discounts of the units kept, with commission on the gross', () => {
    expect(
      settlementEntries({
        storeId: 's1',
        escrowFen: 8_000,
        platformFunded: [
          { expense: 'subsidy', fen: 1_500 },
          { expense: 'platform_coupon', fen: 500 },
        ],
        commissionBps: 500,
      }),
    ).toEqual([
      { account: 'order_escrow', amountFen: 8_000 },
      { account: 'platform_expense:subsidy', amountFen: 1_500 },
      { account: 'platform_expense:platform_coupon', amountFen: 500 },
      { account: 'merchant_payable:s1', amountFen: -9_500 },
      { account: 'platform_revenue', amountFen: -500 },
    ]);
  });

  const refund = {
    amountFen: 300,
    buyerSide: 'provider' as const,
    funder: 'merchant' as const,
    expense: 'price_protection',
    settled: false,
    storeId: 's1',
    commissionBps: 500,
    discountsBack: [],
  };

  it('books a merchant refund before settlement as order_escrow + / provider_clearing −', () => {
    expect(refundEntries(refund)).toEqual([
      { account: 'order_escrow', amountFen: 300 },
      { account: 'provider_clearing', amountFen: -300 },
    ]);
  });

  it('claws a merchant refund after settlement back from the payable, with the commission share', () => {
    expect(refundEntries({ ...refund, amountFen: 1_000, settled: true })).toEqual([
      { account: 'merchant_payable:s1', amountFen: 950 },
      { account: 'platform_revenue', amountFen: 50 },
      { account: 'provider_clearing', amountFen: -1_000 },
    ]);
    // units given back: the platform-funded discount the merchant was paid for them goes back too
    expect(
      refundEntries({
        ...refund,
        amountFen: 800,
        settled: true,
        discountsBack: [{ expense: 'subsidy', fen: 200 }],
      }),
    ).toEqual([
      { account: 'merchant_payable:s1', amountFen: 950 },
      { account: 'platform_revenue', amountFen: 50 },
      { account: 'platform_expense:subsidy', amountFen: -200 },
      { account: 'provider_clearing', amountFen: -800 },
    ]);
  });

  it('books a platform-funded refund to its expense; a pay-later bill shrinks instead of the provider', () => {
    expect(refundEntries({ ...refund, funder: 'platform', buyerSide: 'credit' })).toEqual([
      { account: 'platform_expense:price_protection', amountFen: 300 },
      { account: 'credit_receivable', amountFen: -300 },
    ]);
    expect(
      compensationEntries({
        amountFen: 800,
        buyerSide: 'provider',
        funder: 'merchant',
        expense: 'x',
        storeId: 's1',
      }),
    ).toEqual([
      { account: 'merchant_payable:s1', amountFen: 800 },
      { account: 'provider_clearing', amountFen: -800 },
    ]);
  });

  it('every builder balances, for any amount and commission', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), fc.integer({ min: 0, max: 9_999 }), (total, bps) => {
        for (const entries of [
          paymentEntries(total),
          settlementEntries({
            storeId: 's',
            escrowFen: total,
            platformFunded: [{ expense: 'subsidy', fen: 7 }],
            commissionBps: bps,
          }),
          refundEntries({ ...refund, amountFen: total }),
          refundEntries({
            ...refund,
            amountFen: total,
            settled: true,
            commissionBps: bps,
            discountsBack: [{ expense: 'subsidy', fen: 3 }],
          }),
          refundEntries({ ...refund, amountFen: total, funder: 'platform' }),
          creditAdvanceEntries(total),
          creditChargeEntries(total),
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
