import type { ExpenseShare } from './ports.ts';
import type { LineDiscount } from './schema.ts';

/** What a line's money rules need (a subset of its row). */
export interface LineMoneyFacts {
  quantity: number;
  platformFundedFen: number;
  discounts: LineDiscount[];
}

/**
 * The platform-funded discounts of `units` of a line, by expense (`platform_expense:<discount kind>`,
 * e.g. subsidy, platform_coupon): each discount's share floor(fen × units / quantity), so all
 * units give exactly the discount. Platform-funded money not itemised in `discounts` counts as
 * `subsidy`.
 */
export function platformShares(line: LineMoneyFacts, units: number): ExpenseShare[] {
  if (line.quantity <= 0 || units <= 0) return [];
  const shares = new Map<string, number>();
  let itemised = 0;
  for (const d of line.discounts) {
    if (d.funder !== 'platform') continue;
    itemised += d.fen;
    const expense = /^[a-z][a-z_]{1,39}$/.test(d.kind) ? d.kind : 'subsidy';
    shares.set(expense, (shares.get(expense) ?? 0) + Math.floor((d.fen * units) / line.quantity));
  }
  const rest = line.platformFundedFen - itemised;
  if (rest > 0)
    shares.set('subsidy', (shares.get('subsidy') ?? 0) + Math.floor((rest * units) / line.quantity));
  return [...shares].filter(([, fen]) => fen !== 0).map(([expense, fen]) => ({ expense, fen }));
}

/**
 * The platform-funded discounts that go back to the platform when units kept go from
 * `keptBefore` to `keptAfter` (after settlement): the difference of the two shares, so any
 * sequence of partial returns gives back exactly what settlement paid for those units.
 */
export function sharesGivenBack(line: LineMoneyFacts, keptBefore: number, keptAfter: number): ExpenseShare[] {
  const after = new Map(platformShares(line, keptAfter).map((s) => [s.expense, s.fen]));
  return platformShares(line, keptBefore)
    .map((s) => ({ expense: s.expense, fen: s.fen - (after.get(s.expense) ?? 0) }))
    .filter((s) => s.fen !== 0);
}

/** Adds up shares of the same expense. */
export function mergeShares(shares: ExpenseShare[]): ExpenseShare[] {
  const by = new Map<string, number>();
  for (const s of shares) by.set(s.expense, (by.get(s.expense) ?? 0) + s.fen);
  return [...by].filter(([, fen]) => fen !== 0).map(([expense, fen]) => ({ expense, fen }));
}
