import type { SizeChart } from './schema.ts';

/**
 * The chart with its rows in the order the product sells its sizes (S, M, L, XL …), then any row of
 * a size no SKU sells in the chart's own order. jsonb keeps keys sorted by length (L, M, S, XL), so
 * the stored order means nothing.
 */
export function chartInSizeOrder(chart: SizeChart, sizes: string[]): SizeChart {
  const ordered: SizeChart = {};
  for (const size of sizes) {
    const row = chart[size];
    if (row) ordered[size] = row;
  }
  for (const [size, row] of Object.entries(chart)) if (!(size in ordered)) ordered[size] = row;
  return ordered;
}
