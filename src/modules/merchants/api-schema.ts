/**
 * What the merchants module's routes answer. The service's types are inferred from these schemas, so a
 * field the code returns but a schema leaves out (which the serializer would strip) fails the typecheck.
 */
import { z } from 'zod';
import { keysetPageOf } from '../../platform/keyset.ts';

const businessType = z.enum(['apparel', 'food', 'general']);
const storeStatus = z.enum(['open', 'suspended']);

/** The owner's view of their store. */
export const storeProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    logoUrl: z.string(),
    contactPhone: z.string(),
    businessType,
    openingFeeFen: z.number().int().meta({ description: 'Always 0: stores open free (新商0元开店)' }),
    depositFen: z.number().int().meta({ description: 'Always 0: no deposit' }),
    status: storeStatus,
    openedAt: z.date(),
  })
  .meta({ id: 'StoreProfile' });
export type StoreProfile = z.infer<typeof storeProfileSchema>;

/** What anyone may see of a store. */
export const publicStoreSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    logoUrl: z.string(),
    businessType,
    openedAt: z.date(),
    productCount: z.number().int().meta({ description: 'Products on sale' }),
  })
  .meta({ id: 'PublicStore' });
export type PublicStore = z.infer<typeof publicStoreSchema>;

/** A row of the ops console's merchant list. */
export const opsMerchantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    businessType,
    status: storeStatus,
    ownerPhone: z.string(),
    openedAt: z.date(),
    productCount: z.number().int().meta({ description: 'Products of any status' }),
    orderCount: z.number().int(),
  })
  .meta({ id: 'OpsMerchant' });
export const opsMerchantPageSchema = keysetPageOf(opsMerchantSchema);
export type OpsMerchantPage = z.infer<typeof opsMerchantPageSchema>;

/** A store after an operator set its status. */
export const storeStatusSchema = z.object({ id: z.string(), name: z.string(), status: storeStatus });
export type StoreStatus = z.infer<typeof storeStatusSchema>;
