/**
 * What the catalog's routes answer. The service's types are inferred from these schemas, so a field
 * the code returns but a schema leaves out (which the serializer would strip) fails the typecheck.
 */
import { z } from 'zod';
import { keysetPageOf } from '../../platform/keyset.ts';
import { pageOf } from '../../platform/routes.ts';
import { SIZE_ZONES } from './schema.ts';

const fitType = z.enum(['slim', 'regular', 'loose']);
const productStatus = z.enum(['on_sale', 'off_sale']);

export const categoryNodeSchema = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  isApparel: z.boolean(),
});
export type CategoryNode = z.infer<typeof categoryNodeSchema>;

export const categoryTreeNodeSchema = categoryNodeSchema
  .extend({ children: z.array(categoryNodeSchema) })
  .meta({ id: 'CategoryTreeNode', description: 'A root category with its leaves, in their order' });
export type CategoryTreeNode = z.infer<typeof categoryTreeNodeSchema>;

export const productCardSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    /** The first image, '' when none. */
    image: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    priceFen: z.number().int().meta({ description: 'The lowest final price (到手价) over its SKUs, in fen' }),
    sales: z.number().int(),
    categoryId: z.string(),
    status: productStatus,
    stock: z.number().int().meta({ description: 'Sellable units over all SKUs' }),
    createdAt: z.date(),
  })
  .meta({ id: 'ProductCard' });
export type ProductCard = z.infer<typeof productCardSchema>;

export const productPageSchema = pageOf(productCardSchema);
/** The ops console's list of every product (keyset-paged: deep pages cost what the first does). */
export const opsProductPageSchema = keysetPageOf(productCardSchema);

export const finalPriceSchema = z
  .object({
    unitFen: z.number().int().meta({
      description:
        'The one price the buyer pays for one unit (到手价), in fen: list − subsidy − best coupons',
    }),
    listFen: z.number().int().meta({ description: "The merchant's list price" }),
    breakdown: z
      .array(
        z.object({
          label: z.string().meta({
            description:
              'i18n key of the line: `price.list`, `price.subsidy` or `price.coupon` (its `kind` tells which coupon)',
          }),
          fen: z
            .number()
            .int()
            .meta({ description: 'The list price, then each discount as a negative amount' }),
          kind: z
            .enum(['subsidy', 'store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon'])
            .optional(),
          id: z.guid().optional().meta({ description: "The coupon's or subsidy budget's id" }),
          funder: z.enum(['merchant', 'platform']).optional(),
        }),
      )
      .meta({ description: 'What makes up the unit price; the lines sum to `unitFen`' }),
  })
  .meta({ id: 'FinalPrice' });
export type FinalPrice = z.infer<typeof finalPriceSchema>;

export const stockLevelsSchema = z
  .object({
    onHand: z.number().int(),
    reserved: z.number().int().meta({ description: 'Units promised to orders not shipped yet' }),
    sellable: z.number().int(),
    version: z.number().int().meta({ description: 'What an absolute set (`expectedVersion`) must name' }),
  })
  .meta({ id: 'StockLevels' });
export type StockLevels = z.infer<typeof stockLevelsSchema>;

export const stockMovementSchema = z
  .object({
    id: z.number().int(),
    at: z.date(),
    kind: z.enum(['initial', 'adjust', 'set', 'reserve', 'release', 'capture']),
    actor: z.string().meta({ description: 'Who moved it, e.g. `merchant:<account id>` or `order:<id>`' }),
    reason: z.string(),
    ref: z.string().nullable(),
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int(),
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof stockMovementSchema>;

export const skuViewSchema = z
  .object({
    id: z.string(),
    size: z.string(),
    color: z.string(),
    priceFen: z.number().int(),
    stock: z.number().int().meta({ description: 'Sellable units' }),
    finalPrice: finalPriceSchema,
    inventory: stockLevelsSchema
      .optional()
      .meta({ description: "On hand, reserved, sellable and the version: in the merchant's own views only" }),
  })
  .meta({ id: 'SkuView' });
export type SkuView = z.infer<typeof skuViewSchema>;

/** Garment measurements in cm per size label, e.g. `{"M": {"chest": 100, "length": 68}}`. */
export const sizeChartSchema = z.record(z.string(), z.partialRecord(z.enum(SIZE_ZONES), z.number()));

export const productDetailSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    images: z.array(z.string()),
    categoryId: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    brand: z.string(),
    fitType: fitType.nullable(),
    sizeChart: sizeChartSchema.nullable(),
    status: productStatus,
    sales: z.number().int(),
    sizes: z.array(z.string()).meta({ description: 'The sizes it sells, in the merchant’s order' }),
    colors: z.array(z.string()),
    skus: z.array(skuViewSchema),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ProductDetail' });
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const productAnswerSchema = z.object({ product: productDetailSchema });

export const skuStockSchema = z.object({
  stock: stockLevelsSchema,
  movements: pageOf(stockMovementSchema).meta({ description: 'Newest first' }),
});
export type SkuStock = z.infer<typeof skuStockSchema>;

export const uploadedImageSchema = z.object({
  url: z.string().meta({ description: 'Where the image is served: `/media/<file>`' }),
});
