import { z } from 'zod';

/** What the address-book routes answer; the service's `SavedAddress` is this schema's type. */
export const savedAddress = z
  .object({
    id: z.guid(),
    name: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    detail: z.string(),
    isDefault: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedAddress' });
export type SavedAddress = z.infer<typeof savedAddress>;

export const addressList = z.object({
  addresses: z.array(savedAddress).meta({ description: 'The default first, then the most recently saved' }),
});
export const addressAnswer = z.object({ address: savedAddress });
export const addressDeleted = z.object({ deleted: z.literal(true) });
