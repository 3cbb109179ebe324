import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';

export const sexSchema = z.enum(['female', 'male']);
export const fitPreferenceSchema = z.enum(['snug', 'regular', 'loose']);

/** Answers of the size questionnaire. Height and weight are required. */
export const bodyAnswersSchema = z.object({
  heightCm: z.number().min(50).max(260),
  weightKg: z.number().min(15).max(350),
  age: z.number().min(5).max(110).optional(),
  sex: sexSchema.optional(),
  fitPreference: fitPreferenceSchema.optional(),
  bellyShape: z.enum(['flat', 'average', 'round']).optional(),
  hipShape: z.enum(['narrow', 'average', 'wide']).optional(),
  braSize: singleLineText({ max: 8 }).optional(),
  usualSize: singleLineText({ max: 8 }).optional(),
});
export type BodyAnswers = z.infer<typeof bodyAnswersSchema>;

export const garmentZoneSchema = z.enum(['chest', 'waist', 'hip', 'shoulder', 'inseam']);
export type GarmentZone = z.infer<typeof garmentZoneSchema>;

/** Garment measurements (cm) per size label, e.g. { M: { chest: 104, waist: 96 } }. */
export const sizeChartSchema = z.record(
  z.string().min(1).max(16),
  z.partialRecord(garmentZoneSchema, z.number().positive()),
);
export type SizeChart = z.infer<typeof sizeChartSchema>;

export const fitTypeSchema = z.enum(['slim', 'regular', 'loose']);
export type FitType = z.infer<typeof fitTypeSchema>;

export const productSizingSchema = z.object({
  productId: z.string().optional(),
  brand: z.string().optional(),
  category: z.string().optional(),
  fitType: fitTypeSchema.optional(),
  chart: sizeChartSchema.optional(),
});
export type ProductSizing = z.infer<typeof productSizingSchema>;
