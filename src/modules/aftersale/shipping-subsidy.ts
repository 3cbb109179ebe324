import type { AftersalePolicy } from './policy.ts';

export interface SubsidyFacts {
  province: string;
  store: { shippingInsurance: boolean; openedAt: Date | null };
  now: Date;
  /** What the platform has paid for return shipping so far. */
  platformSpentFen: number;
}

export type ShippingSubsidy = { fen: number; funder: 'merchant' | 'platform' } | null;

const DAY = 86_400_000;

/**
 * The return-shipping compensation of an approved, received return: the province's amount (else
 * the flat one), paid by the store's shipping insurance when it has it on, else by the platform for
 * a store opened less than `newStoreDays` ago while its budget lasts; nothing otherwise.
 */
export function shippingSubsidy(f: SubsidyFacts, p: AftersalePolicy): ShippingSubsidy {
  const rule = p.shippingSubsidy;
  if (!rule.enabled) return null;
  const fen = rule.byProvinceFen[f.province] ?? rule.flatFen;
  if (fen <= 0) return null;
  if (f.store.shippingInsurance) return { fen, funder: 'merchant' };
  const isNew =
    f.store.openedAt !== null && f.now.getTime() - f.store.openedAt.getTime() < rule.newStoreDays * DAY;
  if (isNew && f.platformSpentFen + fen <= rule.platformBudgetFen) return { fen, funder: 'platform' };
  return null;
}
