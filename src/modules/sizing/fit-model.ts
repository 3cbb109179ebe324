import type { BodyEstimate } from './body-estimate.ts';
import {
  type CategoryGroup,
  categoryGroup,
  GROUP_ZONES,
  idealEase,
  PREFERENCE_EASE_SHIFT,
  typicalChart,
  typicalChartRow,
} from './fit-charts.ts';
import { type ZoneReason, zoneReason } from './fit-zone-reason.ts';
import type { FitType, GarmentZone, ProductSizing, SizeChart } from './schemas.ts';

export const FIT_CLASSES = ['small', 'fit', 'large'] as const;
export type FitOutcome = (typeof FIT_CLASSES)[number];
export const ZONES: GarmentZone[] = ['chest', 'waist', 'hip', 'shoulder', 'inseam'];
/** Ease differences are divided by this before weighting. */
export const EASE_SCALE_CM = 5;

type OffsetTable = Record<string, number>;

/** Offset levels, from broad to specific; a buyer also gets an offset per chart group (tops/dresses/bottoms). */
export const LEVELS = ['category', 'brand', 'product', 'buyer', 'buyerGroup'] as const;
export type Level = (typeof LEVELS)[number];

export interface OffsetContext {
  category?: string;
  brand?: string;
  productId?: string;
  buyerId?: string;
}

export const key = (s?: string) => (s ?? '').trim().toLowerCase();

/** Keys of each level for a product/buyer ('' = level not applicable). */
export function levelKeys(ctx: OffsetContext, group: CategoryGroup): string[] {
  const buyer = key(ctx.buyerId);
  return [
    key(ctx.category),
    key(ctx.brand),
    key(ctx.productId),
    buyer,
    buyer === '' ? '' : `${buyer}|${group}`,
  ];
}

/**
 * Learned fit corrections (JSON-serialisable). Score f = Σ w[group][zone]·(excess ease / 5 cm)
 * + global + category + brand + product + buyer; P(small) = σ(t1 − f), P(large) = σ(f − t2).
 * Offsets are shrunk to 0 when data is scarce, so an unseen product backs off to brand → category → global.
 */
export interface FitCorrections {
  version: 1;
  weights: Record<CategoryGroup, Partial<Record<GarmentZone, number>>>;
  t1: number;
  t2: number;
  global: number;
  category: OffsetTable;
  brand: OffsetTable;
  product: OffsetTable;
  buyer: OffsetTable;
  buyerGroup: OffsetTable;
  /** Per-buyer widening (+) or narrowing (−) of the "fit" band: how tolerant a buyer is. */
  buyerWidth: OffsetTable;
  counts: Record<Level, OffsetTable>;
  /** L2 strength per level (penalty reg·b², independent of the number of observations). */
  reg: Record<Level, number>;
  learningRate: number;
}

/** Chart-only corrections: principled priors, no learned offsets. */
export function defaultCorrections(): FitCorrections {
  const weights = {} as FitCorrections['weights'];
  for (const g of Object.keys(GROUP_ZONES) as CategoryGroup[]) {
    weights[g] = {};
    // main zone counts double; weights sum to 1 so f is an average excess ease in units of 5 cm
    const n = GROUP_ZONES[g].length + 1;
    GROUP_ZONES[g].forEach((z, i) => {
      weights[g][z] = (i === 0 ? 2 : 1) / n;
    });
  }
  return {
    version: 1,
    weights,
    t1: -1.2,
    t2: 1.2,
    global: 0,
    category: {},
    brand: {},
    product: {},
    buyer: {},
    buyerGroup: {},
    buyerWidth: {},
    counts: { category: {}, brand: {}, product: {}, buyer: {}, buyerGroup: {} },
    reg: { category: 1, brand: 1, product: 1, buyer: 1, buyerGroup: 1 },
    learningRate: 0.05,
  };
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Sum of the learned offsets that apply to a product/buyer. */
export function offsetSum(c: FitCorrections, ctx: OffsetContext, group: CategoryGroup): number {
  const keys = levelKeys(ctx, group);
  let s = c.global;
  for (let l = 0; l < LEVELS.length; l++) if (keys[l] !== '') s += c[LEVELS[l]][keys[l]] ?? 0;
  return s;
}

/** Linear part of the score from excess ease per zone (NaN = zone unknown). */
export function easeScore(c: FitCorrections, group: CategoryGroup, excess: ArrayLike<number>): number {
  const w = c.weights[group];
  let s = 0;
  for (let i = 0; i < ZONES.length; i++) {
    const v = excess[i];
    if (!Number.isNaN(v)) s += (w[ZONES[i]] ?? 0) * (v / EASE_SCALE_CM);
  }
  return s;
}

/**
 * The learned offsets expressed as centimetres of ease on every zone: the uniform change of
 * excess ease that would move the score as much as the offsets do.
 */
export function offsetAsEaseCm(
  c: FitCorrections,
  group: CategoryGroup,
  excess: ArrayLike<number>,
  offsets: number,
): number {
  const w = c.weights[group];
  let weight = 0;
  for (let i = 0; i < ZONES.length; i++) if (!Number.isNaN(excess[i])) weight += w[ZONES[i]] ?? 0;
  return weight > 0 ? (EASE_SCALE_CM * offsets) / weight : 0;
}

/** Half-width change of the fit band for a buyer (0 when unknown). */
export function bandWidth(c: FitCorrections, buyerId?: string): number {
  return c.buyerWidth?.[key(buyerId)] ?? 0;
}

export function probabilities(
  c: FitCorrections,
  f: number,
  width = 0,
): { small: number; fit: number; large: number } {
  const a = sigmoid(c.t1 - width - f);
  const b = sigmoid(c.t2 + width - f);
  return { small: a, fit: Math.max(b - a, 0), large: 1 - b };
}

/** Excess ease per zone (ease − ideal ease for fit type and preference), NaN when a side is missing. */
export function excessEase(
  group: CategoryGroup,
  row: Partial<Record<GarmentZone, number>> | undefined,
  body: Partial<Record<GarmentZone, { cm: number }>>,
  fitType: FitType = 'regular',
  preference: keyof typeof PREFERENCE_EASE_SHIFT = 'regular',
): Float64Array {
  const out = new Float64Array(ZONES.length).fill(Number.NaN);
  if (!row) return out;
  for (let i = 0; i < ZONES.length; i++) {
    const z = ZONES[i];
    const g = row[z];
    const b = body[z]?.cm;
    if (g === undefined || b === undefined || !GROUP_ZONES[group].includes(z)) continue;
    const shift = z === 'inseam' || z === 'shoulder' ? 0 : PREFERENCE_EASE_SHIFT[preference];
    out[i] = g - b - idealEase(group, z, fitType) - shift;
  }
  return out;
}

export interface SizeOption {
  size: string;
  pSmall: number;
  pFit: number;
  pLarge: number;
  reasons: ZoneReason[];
}

export interface Recommendation {
  recommendedSize: string | undefined;
  confidence: number;
  chartSource: 'product' | 'category';
  sizes: SizeOption[];
  reasons: ZoneReason[];
}

/** What recommendation needs of a body: estimates per zone (any subset), sex and preference. */
export interface BodyForFit {
  sex?: BodyEstimate['sex'];
  estimates: Partial<Record<GarmentZone, { cm: number; sdCm?: number }>>;
  fitPreference?: 'snug' | 'regular' | 'loose';
}

export interface RecommendInput {
  body: BodyForFit;
  product: ProductSizing;
  corrections?: FitCorrections;
  preference?: 'snug' | 'regular' | 'loose';
  buyerId?: string;
}

/** Resolves the chart to use: the product's own, else the category's typical chart. */
export function resolveChart(product: ProductSizing, sex?: 'female' | 'male') {
  const hasChart = product.chart && Object.keys(product.chart).length > 0;
  return hasChart
    ? { chart: product.chart as SizeChart, chartSource: 'product' as const }
    : { chart: typicalChart(product.category, sex ?? 'female'), chartSource: 'category' as const };
}

/** Row of a size in a chart, falling back to the category's typical row for that label. */
export function chartRow(
  chart: SizeChart | undefined,
  group: CategoryGroup,
  size: string,
  sex?: 'female' | 'male',
) {
  return chart?.[size] ?? typicalChartRow(group, size, sex ?? 'female');
}

const fallback = defaultCorrections();

/** Recommends a size: P(small/fit/large) per size, the size most likely to fit, and per-zone reasons. */
export function recommendSize(input: RecommendInput): Recommendation {
  const c = input.corrections ?? fallback;
  const { product } = input;
  const group = categoryGroup(product.category);
  const { chart, chartSource } = resolveChart(product, input.body.sex);
  const preference = input.preference ?? input.body.fitPreference ?? 'regular';
  const offsets = offsetSum(c, { ...product, buyerId: input.buyerId }, group);
  const width = bandWidth(c, input.buyerId);
  const sizes: SizeOption[] = [];
  let best = -1;
  for (const [size, row] of Object.entries(chart)) {
    const excess = excessEase(group, row, input.body.estimates, product.fitType, preference);
    const p = probabilities(c, easeScore(c, group, excess) + offsets, width);
    // The learned offsets say how this garment really sits (a product that runs small has less
    // ease than its chart says); the reasons speak of that ease, so they agree with the choice.
    const shiftCm = offsetAsEaseCm(c, group, excess, offsets);
    const reasons: ZoneReason[] = [];
    for (let i = 0; i < ZONES.length; i++) {
      const z = ZONES[i];
      if (Number.isNaN(excess[i])) continue;
      const g = row[z] as number;
      const ease = g - (input.body.estimates[z]?.cm as number);
      reasons.push(zoneReason(z, ease + shiftCm, ease - excess[i]));
    }
    sizes.push({ size, pSmall: p.small, pFit: p.fit, pLarge: p.large, reasons });
    if (best < 0 || p.fit > sizes[best].pFit) best = sizes.length - 1;
  }
  return {
    recommendedSize: best >= 0 ? sizes[best].size : undefined,
    confidence: best >= 0 ? sizes[best].pFit : 0,
    chartSource,
    sizes,
    reasons: best >= 0 ? sizes[best].reasons : [],
  };
}
