import type { Sex } from './ansur-csv.ts';
import type { FitType, GarmentZone, SizeChart } from './schemas.ts';
import { sizeOrdinal } from './size-labels.ts';

export const CATEGORY_GROUPS = ['tops', 'dresses', 'bottoms'] as const;
export type CategoryGroup = (typeof CATEGORY_GROUPS)[number];

/** Maps a free-text category (RTR/ModCloth style: 'dress', 'gown', 'jeans', 'blouse', …) to a chart group. */
export function categoryGroup(category?: string): CategoryGroup {
  const c = (category ?? '').toLowerCase();
  if (/dress|gown|sheath|romper|jumpsuit|frock|caftan|kaftan|shift|maxi|midi|mini|overall/.test(c))
    return 'dresses';
  if (/pant|jean|skirt|short|trouser|legging|bottom|culotte|jogger|skort|chino/.test(c)) return 'bottoms';
  return 'tops';
}

/** Zones each chart group is judged on. */
export const GROUP_ZONES: Record<CategoryGroup, GarmentZone[]> = {
  tops: ['chest', 'waist', 'shoulder'],
  dresses: ['chest', 'waist', 'hip'],
  bottoms: ['waist', 'hip', 'inseam'],
};

/** Ease (garment − body, cm) that feels "just right" for a regular fit. */
export const REGULAR_EASE: Record<CategoryGroup, Partial<Record<GarmentZone, number>>> = {
  tops: { chest: 10, waist: 12, shoulder: 4 },
  dresses: { chest: 6, waist: 6, hip: 8 },
  bottoms: { waist: 2, hip: 8, inseam: 0 },
};
export const FIT_TYPE_EASE_SHIFT: Record<FitType, number> = { slim: -4, regular: 0, loose: 6 };
export const PREFERENCE_EASE_SHIFT = { snug: -3, regular: 0, loose: 4 } as const;

export function idealEase(group: CategoryGroup, zone: GarmentZone, fitType: FitType = 'regular'): number {
  const base = REGULAR_EASE[group][zone] ?? 0;
  return zone === 'inseam' || zone === 'shoulder' ? base : base + FIT_TYPE_EASE_SHIFT[fitType];
}

/** Typical body measurement (cm) at ordinal size o (M = 0, one step per letter size). */
function typicalBody(sex: Sex, zone: GarmentZone, o: number): number {
  const female = { chest: [92, 7], waist: [75, 7], hip: [100, 7], shoulder: [36.5, 1.2], inseam: [78, 0.8] };
  const male = { chest: [99, 8], waist: [86, 8], hip: [100, 7], shoulder: [41, 1.3], inseam: [84, 1] };
  const [base, step] = (sex === 'male' ? male : female)[zone];
  return base + step * o;
}

/** Garment measurements of a label in the category's typical chart (undefined if the label is unknown). */
export function typicalChartRow(
  group: CategoryGroup,
  label: string,
  sex: Sex = 'female',
): Partial<Record<GarmentZone, number>> | undefined {
  const o = sizeOrdinal(label);
  if (o === undefined) return undefined;
  const row: Partial<Record<GarmentZone, number>> = {};
  for (const z of GROUP_ZONES[group])
    row[z] = Math.round((typicalBody(sex, z, o) + idealEase(group, z)) * 10) / 10;
  return row;
}

export const STANDARD_LETTER_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
export const STANDARD_NUMERIC_SIZES = ['0', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20', '22'];

/** Typical chart of a category: standard S..XXL (or US numeric) sizes with garment measurements. */
export function typicalChart(category: string | undefined, sex: Sex = 'female', numeric = false): SizeChart {
  const group = categoryGroup(category);
  const chart: SizeChart = {};
  for (const label of numeric ? STANDARD_NUMERIC_SIZES : STANDARD_LETTER_SIZES) {
    const row = typicalChartRow(group, label, sex);
    if (row) chart[label] = row;
  }
  return chart;
}

/** The typical charts per category group and sex, letter sizes (exported for the product UI). */
export const TYPICAL_CHARTS: Record<CategoryGroup, Record<Sex, SizeChart>> = Object.fromEntries(
  CATEGORY_GROUPS.map((g) => [g, { female: typicalChart(g, 'female'), male: typicalChart(g, 'male') }]),
) as Record<CategoryGroup, Record<Sex, SizeChart>>;
