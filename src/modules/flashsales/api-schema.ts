import { z } from 'zod';
import { addressSchema } from '../addresses/index.ts';

export const FLASH_STATUSES = ['scheduled', 'running', 'ended'] as const;

export const flashSaleView = z
  .object({
    id: z.uuid(),
    storeId: z.uuid(),
    sessionId: z.uuid().nullable().meta({ description: 'The live session it was started from, if any' }),
    skuId: z.uuid(),
    productId: z.uuid(),
    title: z.string(),
    image: z.string(),
    size: z.string(),
    color: z.string(),
    priceFen: z.number().int().meta({ description: 'The flash price of one unit' }),
    listPriceFen: z.number().int().meta({ description: "The SKU's list price when the sale was made" }),
    units: z.number().int().meta({ description: 'Units put on sale' }),
    remaining: z
      .number()
      .int()
      .meta({ description: 'Units still to sell (units of unpaid orders that expired come back)' }),
    orders: z.number().int().meta({ description: 'Orders holding a unit (placed, not closed unpaid)' }),
    perBuyerLimit: z.number().int(),
    status: z.enum(FLASH_STATUSES),
    startsAt: z.string(),
    endsAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'FlashSale' });
export type FlashSaleView = z.infer<typeof flashSaleView>;

export const flashSaleAnswer = z.object({ sale: flashSaleView });
export const flashSaleList = z.object({ sales: z.array(flashSaleView) });

export const createFlashSaleBody = z
  .object({
    sessionId: z
      .uuid()
      .optional()
      .meta({ description: 'The live session (of this store) the sale is shown in' }),
    skuId: z.uuid(),
    priceFen: z.number().int().min(1).max(100_000_000),
    units: z.number().int().min(1).max(100_000),
    perBuyerLimit: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta({ description: 'Units per buyer (default 1)' }),
    durationSeconds: z.number().int().min(10).max(86_400),
    startsInSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .meta({ description: 'Start later (the units are set aside now); default: now' }),
  })
  .strict();
export type CreateFlashSale = z.infer<typeof createFlashSaleBody>;

export const listFlashSalesQuery = z.object({ sessionId: z.uuid().optional() }).strict();

export const purchaseBody = z.object({ address: addressSchema }).strict();
export type PurchaseBody = z.infer<typeof purchaseBody>;

export const purchaseAnswer = z
  .object({
    saleId: z.uuid(),
    orderId: z.uuid(),
    orderNo: z.string(),
    checkoutId: z.uuid().meta({ description: 'Pay it at /pay/<checkoutId> (the normal pay flow)' }),
    totalFen: z.number().int(),
    expiresAt: z
      .string()
      .meta({ description: 'Unpaid by then, the order expires and its unit goes back to the sale' }),
  })
  .meta({ id: 'FlashPurchase' });
export type PurchaseAnswer = z.infer<typeof purchaseAnswer>;
