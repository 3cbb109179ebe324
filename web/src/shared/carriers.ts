import type { TFunction } from 'i18next';

/** The carrier codes the API takes and answers (the server's list: src/modules/orders/carriers.ts). */
export const CARRIERS = ['sf', 'jd', 'ems', 'zto', 'yto', 'sto', 'yunda', 'jt', 'deppon', 'other'] as const;
export type Carrier = (typeof CARRIERS)[number];

/** A carrier's name in the reader's language; a code this app does not know yet is shown as it is. */
export function carrierName(t: TFunction, code: string): string {
  return (CARRIERS as readonly string[]).includes(code) ? t(`carriers.${code}`) : code;
}
