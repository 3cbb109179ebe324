import { categoryGroup } from './fit-charts.ts';
import {
  bandWidth,
  chartRow,
  easeScore,
  excessEase,
  type FitCorrections,
  type FitOutcome,
  LEVELS,
  levelKeys,
  offsetSum,
  type RecommendInput,
  resolveChart,
} from './fit-model.ts';
import { ordinalGradient } from './fit-train.ts';
import type { ProductSizing } from './schemas.ts';

export interface FeedbackEvent {
  body: RecommendInput['body'];
  product: ProductSizing;
  size: string;
  fit: FitOutcome;
  buyerId?: string;
  preference?: 'snug' | 'regular' | 'loose';
}

/**
 * One SGD step of the ordinal loss on a single feedback event, applied to the offsets only
 * (category, brand, product, buyer, buyer × group); zone weights and thresholds are left to batch training.
 * Returns new corrections; the input is not modified.
 */
export function applyFeedback(c: FitCorrections, e: FeedbackEvent): FitCorrections {
  const group = categoryGroup(e.product.category);
  const { chart } = resolveChart(e.product, e.body.sex);
  const row = chartRow(chart, group, e.size, e.body.sex);
  const excess = excessEase(
    group,
    row,
    e.body.estimates,
    e.product.fitType,
    e.preference ?? e.body.fitPreference,
  );
  const ctx = { ...e.product, buyerId: e.buyerId };
  const f = easeScore(c, group, excess) + offsetSum(c, ctx, group);
  const y = e.fit === 'small' ? 0 : e.fit === 'fit' ? 1 : 2;
  const width = bandWidth(c, e.buyerId);
  const [gf] = ordinalGradient(y, f, c.t1 - width, c.t2 + width);
  const next: FitCorrections = { ...c, counts: { ...c.counts } };
  const keys = levelKeys(ctx, group);
  LEVELS.forEach((level, l) => {
    const k = keys[l];
    if (k === '') return;
    const n = (c.counts[level][k] ?? 0) + 1;
    const b = c[level][k] ?? 0;
    let step = gf + (c.reg[level] * b) / n;
    // shrinkage must not outweigh the evidence: "too small" never makes an item look larger, and vice versa
    if (y === 0) step = Math.max(step, 0);
    if (y === 2) step = Math.min(step, 0);
    next[level] = { ...c[level], [k]: b - c.learningRate * step };
    next.counts[level] = { ...c.counts[level], [k]: n };
  });
  return next;
}
