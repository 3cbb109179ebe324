import { businessDate, lastBusinessDays } from '../../platform/business-day.ts';
import type { TrafficSettings } from './settings.ts';

// Every daily figure of traffic (rollups, contracts, coverage) follows the platform's business day.
export { businessDate, lastBusinessDays };

const DAY_MS = 86_400_000;

/** Calendar days from business date `a` to `b` (YYYY-MM-DD), `b − a`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Business date `day` plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The instants a business day (Asia/Shanghai, UTC+8 all year) starts and ends. */
export function dayBounds(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00+08:00`));
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** When a store stops being new: `newStoreDays` after it opened. */
export function newUntil(openedAt: Date, settings: Pick<TrafficSettings, 'newStoreDays'>): Date {
  return new Date(openedAt.getTime() + settings.newStoreDays * DAY_MS);
}

/**
 * A cold-start minimum for the part of the day the store is in cold start: the full minimum for a
 * whole day, prorated by the share of the day between `from` (its first planning, on its first day)
 * and `until` (its `newUntil`, on its last), rounded up; 0 when no part of the day is left.
 */
export function coldStartTarget(input: {
  minimum: number;
  day: { start: Date; end: Date };
  from: Date;
  until: Date;
}): number {
  const start = Math.max(input.day.start.getTime(), input.from.getTime());
  const end = Math.min(input.day.end.getTime(), input.until.getTime());
  const length = input.day.end.getTime() - input.day.start.getTime();
  if (end <= start || length <= 0) return 0;
  return Math.ceil((input.minimum * (end - start)) / length);
}

/** A store is new (in cold start) at `now` from its opening while `now` is before `newUntil`. */
export function isNewStore(
  openedAt: Date,
  now: Date,
  settings: Pick<TrafficSettings, 'newStoreDays'>,
): boolean {
  return openedAt.getTime() <= now.getTime() && now.getTime() < newUntil(openedAt, settings).getTime();
}

/**
 * Today's launch-plan budget: what is left of the credits (granted − spent before today) spread evenly
 * over the days left up to the last grant's end, today included, rounded up (so the credits are used
 * by the end), never more than what is left. Spent counts every launch impression delivered from the
 * first grant's start to yesterday, so re-planning during the day gives the same figure.
 */
export function launchTarget(input: {
  granted: number;
  spentBeforeToday: number;
  today: string;
  endsOn: string;
}): number {
  const remaining = Math.max(0, input.granted - input.spentBeforeToday);
  const daysLeft = daysBetween(input.today, input.endsOn) + 1;
  if (daysLeft <= 0 || remaining === 0) return 0;
  return Math.min(remaining, Math.ceil(remaining / daysLeft));
}

export type FuyaoCriterion =
  | 'cold_start'
  | 'rating'
  | 'refund_rate'
  | 'shipping_hours'
  | 'ctr'
  | 'gmv_growth';

export interface FuyaoCheck {
  criterion: FuyaoCriterion;
  value: number | null;
  threshold: number;
  pass: boolean;
}

/** A store's figures for the Fuyao criteria (null: no data for that figure yet). */
export interface FuyaoFigures {
  /** Whole days since the store opened. */
  daysOpen: number;
  /** Average non-default review rating, last 30 days. */
  rating: number | null;
  /** After-sale requests per paid order in basis points, last 30 days (null: no paid orders). */
  refundRateBps: number | null;
  /** Average shipped-to-delivered hours, last 30 days (null: nothing delivered). */
  shippingHours: number | null;
  /** Feed click-through in basis points, last 7 days (null: no impressions). */
  ctrBps: number | null;
  /** Feed GMV growth, last 7 days over the 7 before, basis points (null: no GMV in either). */
  gmvGrowthBps: number | null;
}

/**
 * The Fuyao checks, criterion by criterion. A store must have left cold start, have ratings, click-through
 * and GMV growth at or above the thresholds, and a refund rate and shipping time at or below them; a
 * figure with no data passes only for refunds and shipping (nothing bad is known), never for the others
 * (nothing good is known either).
 */
export function fuyaoChecks(f: FuyaoFigures, s: TrafficSettings): FuyaoCheck[] {
  const c = s.fuyao;
  return [
    {
      criterion: 'cold_start',
      value: f.daysOpen,
      threshold: s.newStoreDays,
      pass: f.daysOpen >= s.newStoreDays,
    },
    {
      criterion: 'rating',
      value: f.rating,
      threshold: c.minRating,
      pass: f.rating !== null && f.rating >= c.minRating,
    },
    {
      criterion: 'refund_rate',
      value: f.refundRateBps,
      threshold: c.maxRefundRateBps,
      pass: f.refundRateBps === null || f.refundRateBps <= c.maxRefundRateBps,
    },
    {
      criterion: 'shipping_hours',
      value: f.shippingHours,
      threshold: c.maxShippingHours,
      pass: f.shippingHours === null || f.shippingHours <= c.maxShippingHours,
    },
    {
      criterion: 'ctr',
      value: f.ctrBps,
      threshold: c.minCtrBps,
      pass: f.ctrBps !== null && f.ctrBps >= c.minCtrBps,
    },
    {
      criterion: 'gmv_growth',
      value: f.gmvGrowthBps,
      threshold: c.minGmvGrowthBps,
      pass: f.gmvGrowthBps !== null && f.gmvGrowthBps >= c.minGmvGrowthBps,
    },
  ];
}

/** GMV growth in basis points: (last − previous) / previous; from nothing to something counts as +100%. */
export function growthBps(last: number, previous: number): number | null {
  if (previous <= 0) return last > 0 ? 10_000 : null;
  return Math.round(((last - previous) / previous) * 10_000);
}

/**
 * Coverage of one day: of the new stores with a cold-start minimum (a contract: ≥ 1 product on sale),
 * the share whose impressions that day (every source) reached the minimum.
 */
export function coverageOf(
  contracts: ReadonlyArray<{ storeId: string; target: number }>,
  impressionsByStore: ReadonlyMap<string, number>,
): { newStores: number; reached: number; coverage: number | null } {
  const reached = contracts.filter((c) => (impressionsByStore.get(c.storeId) ?? 0) >= c.target).length;
  return {
    newStores: contracts.length,
    reached,
    coverage: contracts.length === 0 ? null : reached / contracts.length,
  };
}

/**
 * The GMV a plan cost: its impressions would have earned the organic GMV per impression of the same
 * days had they gone to organic ranking; the plan's own GMV is subtracted. Negative: the plan earned more.
 */
export function planGmvCost(input: {
  planImpressions: number;
  planGmvFen: number;
  organicImpressions: number;
  organicGmvFen: number;
}): { organicGmvPerImpressionMilliFen: number; gmvCostFen: number } {
  const perImpression = input.organicImpressions > 0 ? input.organicGmvFen / input.organicImpressions : 0;
  return {
    organicGmvPerImpressionMilliFen: Math.round(perImpression * 1000),
    gmvCostFen: Math.round(input.planImpressions * perImpression - input.planGmvFen),
  };
}
