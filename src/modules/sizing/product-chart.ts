import { garmentZoneSchema, type SizeChart } from './schemas.ts';
import { sizeOrdinal } from './size-labels.ts';

const ZONES = new Set<string>(garmentZoneSchema.options);

/**
 * A catalog size chart as the fit model reads it: only the sizes the product sells (when it lists
 * any) and only the zones the model judges (chest, waist, hip, shoulder, inseam; not `length`).
 * Null without a chart; `{}` when nothing usable is left.
 */
export function usableChart(product: {
  sizeChart: Record<string, Record<string, number | undefined> | undefined> | null;
  sizes: string[];
}): SizeChart | null {
  if (!product.sizeChart) return null;
  // jsonb does not keep key order: list sizes in the order the product sells them (S, M, L …)
  const order =
    product.sizes.length > 0
      ? product.sizes.filter((s) => s in (product.sizeChart ?? {}))
      : Object.keys(product.sizeChart).sort(
          (a, b) =>
            (sizeOrdinal(a) ?? Number.POSITIVE_INFINITY) - (sizeOrdinal(b) ?? Number.POSITIVE_INFINITY),
        );
  const chart: SizeChart = {};
  for (const size of order) {
    const row = product.sizeChart[size];
    const usable = Object.fromEntries(
      Object.entries(row ?? {}).filter(([z, v]) => ZONES.has(z) && typeof v === 'number' && v > 0),
    );
    if (Object.keys(usable).length > 0) chart[size] = usable;
  }
  return chart;
}
