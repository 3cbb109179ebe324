import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.ts';
import { shippingSubsidy } from './shipping-subsidy.ts';

const now = new Date('2026-03-20T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('return-shipping subsidy', () => {
  it('is paid by a store with shipping insurance, by province or flat', () => {
    const store = { shippingInsurance: true, openedAt: daysAgo(400) };
    expect(shippingSubsidy({ province: '浙江省', store, now, platformSpentFen: 0 }, DEFAULT_POLICY)).toEqual({
      fen: 800,
      funder: 'merchant',
    });
    expect(
      shippingSubsidy({ province: '新疆维吾尔自治区', store, now, platformSpentFen: 0 }, DEFAULT_POLICY),
    ).toEqual({ fen: 2000, funder: 'merchant' });
  });

  it('is paid by the platform for a new store while the budget lasts, nothing for an old one', () => {
    const young = { shippingInsurance: false, openedAt: daysAgo(89) };
    expect(
      shippingSubsidy({ province: '浙江省', store: young, now, platformSpentFen: 0 }, DEFAULT_POLICY),
    ).toEqual({
      fen: 800,
      funder: 'platform',
    });
    const budget = DEFAULT_POLICY.shippingSubsidy.platformBudgetFen;
    expect(
      shippingSubsidy(
        { province: '浙江省', store: young, now, platformSpentFen: budget - 799 },
        DEFAULT_POLICY,
      ),
    ).toBeNull();
    const old = { shippingInsurance: false, openedAt: daysAgo(90) };
    expect(
      shippingSubsidy({ province: '浙江省', store: old, now, platformSpentFen: 0 }, DEFAULT_POLICY),
    ).toBeNull();
    const off = { ...DEFAULT_POLICY, shippingSubsidy: { ...DEFAULT_POLICY.shippingSubsidy, enabled: false } };
    expect(shippingSubsidy({ province: '浙江省', store: young, now, platformSpentFen: 0 }, off)).toBeNull();
  });
});
