import type { SizeChart } from '../api.ts';

/**
 * Every garment measurement a size chart may hold (the server's catalog `SIZE_ZONES`, which covers
 * the zones the size assistant judges), in the order charts show them.
 */
export const CHART_ZONES = ['chest', 'waist', 'hip', 'shoulder', 'length', 'inseam'] as const;

/** The chart's sizes in the order the product sells them, then any other row in the chart's order. */
export function chartSizes(chart: SizeChart, sizes: string[]): string[] {
  const sold = sizes.filter((s) => chart[s]);
  return [...sold, ...Object.keys(chart).filter((s) => !sold.includes(s))];
}

/** The measurements at least one size of the chart gives: the known ones in order, then any other. */
export function chartZones(chart: SizeChart): string[] {
  const given = new Set(
    Object.values(chart).flatMap((row) =>
      Object.entries(row)
        .filter(([, v]) => typeof v === 'number')
        .map(([z]) => z),
    ),
  );
  const known: string[] = CHART_ZONES.filter((z) => given.has(z));
  return [...known, ...[...given].filter((z) => !known.includes(z))];
}

/**
 * The translation key of a chart column's name. A garment's length is named for the garment in
 * Chinese (衣长 for tops, 裤长 for trousers and jeans, 裙长 for dresses); other zones have one name.
 */
export function zoneLabelKey(zone: string, categoryId: string): string {
  if (zone === 'length' && /-(pants|jeans)$/.test(categoryId)) return 'buyer.zones.lengthTrousers';
  if (zone === 'length' && /-dress$/.test(categoryId)) return 'buyer.zones.lengthDress';
  return `buyer.zones.${zone}`;
}
