import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';
import { phoneSchema } from '../identity/index.ts';

const text = (max: number) => singleLineText({ min: 1, max });

/** A delivery address: what a checkout takes (orders keep a snapshot) and what the address book saves. */
export const addressSchema = z
  .object({
    name: text(40),
    phone: phoneSchema,
    province: text(40),
    city: text(40),
    district: text(40),
    detail: text(200),
  })
  .strict();

export type Address = z.infer<typeof addressSchema>;
