import { z } from 'zod';
import { multiLineText, singleLineText } from '../../platform/text.ts';
import { imageUrl } from '../merchants/index.ts';
import { SIZE_ZONES } from './schema.ts';

/** A size or colour label: letters, digits, CJK and a few separators (`160/84A`, `2XL`, `均码`). */
const label = singleLineText({ max: 20 }).regex(
  /^[\p{L}\p{N} ./+()（）·-]*$/u,
  'letters, digits, spaces and ./+()- only',
);

const cm = z.number().min(1).max(300);

export const sizeChartSchema = z
  .record(
    label.min(1),
    z
      .object(
        Object.fromEntries(SIZE_ZONES.map((zone) => [zone, cm.optional()])) as Record<
          (typeof SIZE_ZONES)[number],
          z.ZodOptional<typeof cm>
        >,
      )
      .strict()
      .refine((m) => Object.values(m).some((v) => v !== undefined), 'give at least one measurement'),
  )
  .refine((chart) => Object.keys(chart).length >= 1, 'a size chart has at least one size')
  .refine((chart) => Object.keys(chart).length <= 40, 'at most 40 sizes');

export const fitTypeSchema = z.enum(['slim', 'regular', 'loose']);

export const priceFenSchema = z.number().int().min(1).max(100_000_000);
export const stockSchema = z.number().int().min(0).max(1_000_000);

export const skuInputSchema = z
  .object({ size: label.default(''), color: label.default(''), priceFen: priceFenSchema, stock: stockSchema })
  .strict();

export const categoryIdSchema = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a category id');

export const productTitle = singleLineText({ min: 1, max: 120 });
export const productDescription = multiLineText({ max: 5000 });
export const productImages = z.array(imageUrl).min(1).max(9);

export const productInputSchema = z
  .object({
    title: productTitle,
    description: productDescription.default(''),
    categoryId: categoryIdSchema,
    images: productImages,
    brand: singleLineText({ max: 40 }).default(''),
    fitType: fitTypeSchema.nullable().optional(),
    sizeChart: sizeChartSchema.nullable().optional(),
    skus: z.array(skuInputSchema).min(1).max(200),
  })
  .strict();

export const productPatchSchema = z
  .object({
    title: productTitle.optional(),
    description: productDescription.optional(),
    images: productImages.optional(),
    status: z.enum(['on_sale', 'off_sale']).optional(),
    brand: singleLineText({ max: 40 }).optional(),
    sizeChart: sizeChartSchema.nullable().optional(),
    fitType: fitTypeSchema.nullable().optional(),
  })
  .strict();

// Stock is not set here: it changes through the stock endpoint, relatively or with the version read.
export const skuPatchSchema = z.object({ priceFen: priceFenSchema }).strict();

const stockReason = singleLineText({ min: 1, max: 100 });

/** `{ adjust: +10, reason }` or `{ set: 60, expectedVersion }`: never a blind absolute stock. */
export const stockChangeSchema = z.union([
  z
    .object({
      adjust: z
        .number()
        .int()
        .min(-1_000_000)
        .max(1_000_000)
        .refine((n) => n !== 0, 'an adjustment is not zero'),
      reason: stockReason,
    })
    .strict(),
  z
    .object({ set: stockSchema, expectedVersion: z.number().int().min(0), reason: stockReason.optional() })
    .strict(),
]);

/** New SKUs for an existing product; `sizeChart` replaces the chart when new sizes need rows in it. */
export const addSkusSchema = z
  .object({
    skus: z.array(skuInputSchema).min(1).max(200),
    sizeChart: sizeChartSchema.nullable().optional(),
  })
  .strict();

export type ProductInput = z.infer<typeof productInputSchema>;
export type ProductPatch = z.infer<typeof productPatchSchema>;
export type SkuInput = z.infer<typeof skuInputSchema>;
export type SkuPatch = z.infer<typeof skuPatchSchema>;
export type AddSkusInput = z.infer<typeof addSkusSchema>;
