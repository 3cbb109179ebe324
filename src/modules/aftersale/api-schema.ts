import { z } from 'zod';
import { AFTERSALE_REASONS } from './service.ts';

/** What the after-sale routes answer; the service's `AftersaleView` is this schema's type. */
export const aftersaleView = z
  .object({
    id: z.guid(),
    orderId: z.guid(),
    skuId: z.guid(),
    productId: z.guid(),
    storeId: z.guid(),
    reason: z.enum(AFTERSALE_REASONS),
    note: z.string().meta({ description: "The buyer's words ('' when none)" }),
    amountFen: z.number().int().meta({ description: 'The line’s price times its quantity' }),
    status: z.enum(['requested', 'approved', 'rejected', 'refunded']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AftersaleRequest' });
export type AftersaleView = z.infer<typeof aftersaleView>;

export const aftersaleAnswer = z.object({ request: aftersaleView });
export const aftersaleList = z.object({
  items: z.array(aftersaleView).meta({ description: 'Newest first, at most 200' }),
});
