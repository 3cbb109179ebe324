import type { SizeChart } from '../../api.ts';

/**
 * The size chart to send: the measurements entered for the sizes the product sells (positive
 * numbers only), or null when there are none or the product is no garment.
 */
export function sizeChartPayload(chart: SizeChart, sizes: string[], isApparel: boolean): SizeChart | null {
  if (!isApparel) return null;
  const out: SizeChart = {};
  for (const size of sizes) {
    const row = chart[size];
    if (!size || !row) continue;
    const clean = Object.fromEntries(Object.entries(row).filter(([, v]) => typeof v === 'number' && v > 0));
    if (Object.keys(clean).length) out[size] = clean;
  }
  return Object.keys(out).length ? out : null;
}
