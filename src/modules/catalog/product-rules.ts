import { AppError, unprocessable } from '../../platform/errors.ts';
import type { FitType, SizeChart } from './schema.ts';

export interface CategoryFacts {
  id: string;
  isLeaf: boolean;
  isApparel: boolean;
}

export interface ProductShape {
  sizeChart?: SizeChart | null;
  fitType?: FitType | null;
  skus: Array<{ size: string; color: string }>;
}

/**
 * The rules a product must keep, beyond field formats: products sit in a leaf category; SKUs are
 * unique by size × colour; garments name a size on every SKU, and their size chart (when given)
 * lists exactly the sizes the SKUs sell; size charts and fit types belong to garments only.
 * Throws a 4xx `AppError` naming the first broken rule.
 */
export function checkProductRules(category: CategoryFacts, p: ProductShape): void {
  if (!category.isLeaf) {
    throw unprocessable('category_not_leaf', 'Choose a sub-category (a leaf of the category tree)', {
      categoryId: category.id,
    });
  }
  const seen = new Set<string>();
  const duplicates: Array<{ size: string; color: string }> = [];
  for (const s of p.skus) {
    const key = `${s.size}\u0001${s.color}`;
    if (seen.has(key)) duplicates.push({ size: s.size, color: s.color });
    seen.add(key);
  }
  if (duplicates.length > 0) {
    throw new AppError(400, 'duplicate_sku', 'Each size × colour may appear once', { duplicates });
  }
  if (!category.isApparel) {
    if (p.sizeChart) throw unprocessable('size_chart_not_apparel', 'Only garments carry a size chart');
    if (p.fitType) throw unprocessable('fit_type_not_apparel', 'Only garments have a fit type');
    return;
  }
  if (p.skus.some((s) => s.size === '')) {
    throw unprocessable('size_required', 'Every SKU of a garment names its size');
  }
  if (p.sizeChart)
    checkChartMatchesSizes(
      p.sizeChart,
      p.skus.map((s) => s.size),
    );
}

/** A garment's size chart lists exactly the sizes its SKUs sell. */
export function checkChartMatchesSizes(chart: SizeChart, skuSizes: string[]): void {
  const sizes = new Set(skuSizes);
  const chartSizes = new Set(Object.keys(chart));
  const missing = [...sizes].filter((s) => !chartSizes.has(s));
  const extra = [...chartSizes].filter((s) => !sizes.has(s));
  if (missing.length || extra.length) {
    throw unprocessable('size_chart_mismatch', 'The size chart must list exactly the sizes the SKUs sell', {
      missingFromChart: missing,
      notSold: extra,
    });
  }
}

/** Distinct values in first-seen order. */
export function distinctInOrder(values: string[]): string[] {
  return [...new Set(values)];
}
