import type { TFunction } from 'i18next';
import { orderCarrierValues } from '../api/schema.gen.ts';

/** The carrier codes the API takes and answers, from its OpenAPI document (src/modules/orders/carriers.ts). */
export const CARRIERS = orderCarrierValues;
export type Carrier = (typeof CARRIERS)[number];

/** A carrier's name in the reader's language; a code this app does not know yet is shown as it is. */
export function carrierName(t: TFunction, code: string): string {
  return (CARRIERS as readonly string[]).includes(code) ? t(`carriers.${code}`) : code;
}
