import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { SizeInsights } from './api-schema.ts';
import { baseCorrections, productOffsets } from './feedback-store.ts';
import { categoryGroup, GROUP_ZONES } from './fit-charts.ts';
import {
  type BodyForFit,
  chartRow,
  EASE_SCALE_CM,
  easeScore,
  excessEase,
  type FitOutcome,
  probabilities,
  resolveChart,
} from './fit-model.ts';
import { usableChart } from './product-chart.ts';
import type { GarmentZone, ProductSizing } from './schemas.ts';
import { storeApparelProducts } from './store-facts.ts';

/** Fewer fit outcomes than this and a product gets no verdict. */
export const MIN_SAMPLE = 5;
/** A product whose garments fit this many cm of ease off its chart (or more) runs small / large. */
export const VERDICT_CM = 1.5;
/** Prior SD of a product's offset (score units): a few outcomes cannot claim a large correction. */
export const PRIOR_SD = 1;
/** Products listed per store, newest first; outcomes read per product, newest first. */
export const INSIGHT_LIMIT = 500;
export const OUTCOMES_PER_PRODUCT = 500;

export type Verdict = 'not_enough_data' | 'runs_small' | 'true_to_size' | 'runs_large';

export interface FitCounts {
  small: number;
  fit: number;
  large: number;
}

export interface OutcomeForFit {
  size: string;
  fit: FitOutcome;
  body: BodyForFit;
}

/**
 * How far a product's garments fit off its chart, in score units of the fit model: the MAP estimate
 * of one offset added to every outcome's score (ease from the chart and the buyer's body, with the
 * model's shared parameters), under a Gaussian prior. Negative: the garments fit smaller than the
 * chart says (runs small). Same scoring code as recommendations.
 */
export function productShift(product: ProductSizing, outcomes: OutcomeForFit[]): number {
  if (outcomes.length === 0) return 0;
  const c = baseCorrections();
  const group = categoryGroup(product.category);
  const scored = outcomes.map((o) => {
    const { chart } = resolveChart(product, o.body.sex);
    const row = chartRow(chart, group, o.size, o.body.sex);
    const excess = excessEase(group, row, o.body.estimates ?? {}, product.fitType, o.body.fitPreference);
    return { f: easeScore(c, group, excess) + c.global, y: o.fit };
  });
  let best = 0;
  let bestLl = Number.NEGATIVE_INFINITY;
  for (let d = -3; d <= 3.0001; d += 0.02) {
    let ll = -(d * d) / (2 * PRIOR_SD * PRIOR_SD);
    for (const s of scored) {
      const p = probabilities(c, s.f + d);
      ll += Math.log(Math.max(s.y === 'small' ? p.small : s.y === 'fit' ? p.fit : p.large, 1e-12));
    }
    if (ll > bestLl) {
      bestLl = ll;
      best = d;
    }
  }
  return Math.round(best * 100) / 100;
}

/** The verdict from the number of outcomes and the product's shift (cm of ease). */
export function verdictOf(n: number, shiftCm: number, minSample = MIN_SAMPLE): Verdict {
  if (n < minSample) return 'not_enough_data';
  if (shiftCm <= -VERDICT_CM) return 'runs_small';
  if (shiftCm >= VERDICT_CM) return 'runs_large';
  return 'true_to_size';
}

/**
 * Suggested correction of the published chart (cm per zone, to add to every size): the shift in cm,
 * negative when the product runs small (its garments measure smaller than the chart says). Only with
 * a runs-small/large verdict, rounded to 0.5 cm.
 */
export function chartCorrection(
  verdict: Verdict,
  shiftCm: number,
  zones: GarmentZone[],
): Partial<Record<GarmentZone, number>> | null {
  if (verdict !== 'runs_small' && verdict !== 'runs_large') return null;
  const cm = Math.round(shiftCm * 2) / 2;
  return Object.fromEntries(zones.map((z) => [z, cm]));
}

export type ProductInsight = SizeInsights['items'][number];

/** Per apparel product of a store: fit outcomes, size refunds, verdict and suggested chart correction. */
export async function storeSizeInsights(db: Db, storeId: string): Promise<SizeInsights> {
  const products = await storeApparelProducts(db, storeId, INSIGHT_LIMIT);
  const ids = products.map((p) => p.id);
  const outcomes = new Map<string, OutcomeForFit[]>();
  const refunds = new Map<string, number>();
  if (ids.length > 0) {
    const rows = await sql<{ product_id: string; size: string; fit: FitOutcome; body: BodyForFit }>`
      select product_id, size, fit, body from (
        select product_id, size, fit, body,
          row_number() over (partition by product_id order by created_at desc, id) as k
        from size_fit_outcomes where store_id = ${storeId} and product_id = any(${ids}::uuid[])
      ) o where k <= ${OUTCOMES_PER_PRODUCT}`.execute(db);
    for (const r of rows.rows) {
      const list = outcomes.get(r.product_id) ?? [];
      list.push({ size: r.size, fit: r.fit, body: r.body });
      outcomes.set(r.product_id, list);
    }
    const rf = await sql<{ product_id: string; n: number }>`
      select product_id, count(*)::int as n from size_refund_lines
      where store_id = ${storeId} and product_id = any(${ids}::uuid[]) group by product_id`.execute(db);
    for (const r of rf.rows) refunds.set(r.product_id, r.n);
  }
  const offsets = await productOffsets(db, ids);
  const items = products.map((p): ProductInsight => {
    const list = outcomes.get(p.id) ?? [];
    const c: FitCounts = { small: 0, fit: 0, large: 0 };
    for (const o of list) c[o.fit] += 1;
    const chart = usableChart({ sizeChart: p.sizeChart, sizes: [] });
    const sizing: ProductSizing = {
      productId: p.id,
      brand: p.brand || undefined,
      category: p.categoryId,
      fitType: p.fitType ?? undefined,
      chart: chart && Object.keys(chart).length > 0 ? chart : undefined,
    };
    const n = c.small + c.fit + c.large;
    const shiftCm = n >= MIN_SAMPLE ? Math.round(productShift(sizing, list) * EASE_SCALE_CM * 10) / 10 : 0;
    const verdict = verdictOf(n, shiftCm);
    const chartZones = new Set(Object.values(sizing.chart ?? {}).flatMap((row) => Object.keys(row)));
    const zones = GROUP_ZONES[categoryGroup(p.categoryId)].filter((z) => !sizing.chart || chartZones.has(z));
    const sizeRefunds = refunds.get(p.id) ?? 0;
    return {
      productId: p.id,
      title: p.title,
      categoryId: p.categoryId,
      status: p.status,
      hasChart: sizing.chart !== undefined,
      feedback: { ...c, total: n },
      purchasedLines: p.purchasedLines,
      sizeRefunds,
      sizeRefundRate: p.purchasedLines > 0 ? sizeRefunds / p.purchasedLines : null,
      verdict,
      fitShiftCm: shiftCm,
      suggestedChartCorrectionCm: chartCorrection(verdict, shiftCm, zones),
      learnedOffset: Math.round((offsets.get(p.id.toLowerCase())?.value ?? 0) * 1000) / 1000,
    };
  });
  return { minSample: MIN_SAMPLE, items };
}
