/**
 * The store experience score (店铺体验分): pure formulas from a store's figures of the 30 whole days
 * before the scored day to three dimensions and an overall, each 0–5 (kept as integer hundredths). Every rate and mean is smoothed
 * towards a prior worth `PRIOR_WEIGHT` observations, so a store with little data sits near the
 * neutral 4.00 instead of at a perfect 5 or a ruined 0; the data outweighs the prior once a
 * dimension has at least `PRIOR_WEIGHT` observations, which is what "enough data" means.
 * docs/REVIEWS.md ("Store experience score") states the same formulas.
 */

/** Product terms (reviews: rating-inputs.ts; lines delivered: logistics-inputs.ts; refunds: service-inputs.ts). */
export interface ProductInputs {
  /** Visible, non-default reviews written in the window. */
  reviews: number;
  /** Sum of their ratings (1–5 each). */
  ratingSum: number;
  /** Default reviews (the buyer said nothing): not in the mean. */
  defaultReviews: number;
  /** Non-default reviews rated 1 or 2. */
  lowRatings: number;
  /** Order lines delivered in the window: the quality-refund rate's denominator. */
  linesDelivered: number;
  /**
   * Distinct order lines (order, SKU) with an after-sale for quality / not as described granted in the
   * window (not rejected or cancelled); a line asked about twice counts once.
   */
  qualityRefunds: number;
}

/** Logistics terms (orders: logistics-inputs.ts). */
export interface LogisticsInputs {
  /** Paid orders whose 48 h ship deadline fell in the window (unless closed unshipped before it). */
  due: number;
  /** Of those, shipped by the deadline. */
  onTime: number;
  /** Orders delivered in the window. */
  delivered: number;
  /** Sum over those of hours from shipped to delivered. */
  deliveryHours: number;
}

/** Service terms (after-sale: service-inputs.ts). */
export interface ServiceInputs {
  /** After-sale requests decided in the window (by anyone): the dispute rate's denominator. */
  requests: number;
  /** Of those, decided by the merchant (or by the SLA because the merchant did not). */
  handled: number;
  /** Sum over the handled of hours from request to decision. */
  handlingHours: number;
  /** Of those, rejected by the merchant (refund disputes). */
  disputes: number;
}

export interface ExperienceInputs {
  product: ProductInputs;
  logistics: LogisticsInputs;
  service: ServiceInputs;
}

export type Dimension = 'product' | 'logistics' | 'service';

/** Scores in hundredths (0–500) and whether each dimension had enough data. */
export interface ScoreHundredths {
  overall: number;
  product: number;
  logistics: number;
  service: number;
  enoughData: Record<Dimension, boolean>;
}

/** Pseudo-observations every prior is worth; also the observations a dimension needs to have "enough data". */
export const PRIOR_WEIGHT = 5;
/** The neutral score a store with no data gets in every dimension. */
export const NEUTRAL_SCORE = 4;
/** Prior mean rating (a store with no reviews is taken as 4.0 stars). */
export const PRIOR_RATING = 4;
/** Points taken off the product score per unit of quality-refund rate (10 % of lines → −1.0). */
export const QUALITY_PENALTY = 10;
/** Prior on-time shipping rate (scores 4.0). */
export const PRIOR_ON_TIME = 0.9;
/** Prior shipped→delivered hours (scores 4.0); at or under `FAST_DELIVERY_HOURS` scores 5. */
export const PRIOR_DELIVERY_HOURS = 48;
export const FAST_DELIVERY_HOURS = 24;
/** Prior request→decision hours (scores 4.0); the after-sale SLA is 48 h (scores 1.0). */
export const PRIOR_HANDLING_HOURS = 12;
/** Prior share of requests the merchant rejects (scores 4.0). */
export const PRIOR_DISPUTE_RATE = 0.1;
/** Weights: logistics = ship·0.6 + delivery·0.4; service = handling·0.5 + disputes·0.5. */
export const SHIP_WEIGHT = 0.6;
export const HANDLING_WEIGHT = 0.5;
/** Overall = 0.4 product + 0.3 logistics + 0.3 service. */
export const OVERALL_WEIGHTS: Record<Dimension, number> = { product: 0.4, logistics: 0.3, service: 0.3 };

const clamp5 = (x: number) => Math.min(5, Math.max(0, x));
/** Smoothed mean: (sum + prior·K) / (n + K). */
const smoothed = (sum: number, n: number, prior: number) => (sum + prior * PRIOR_WEIGHT) / (n + PRIOR_WEIGHT);
const hundredths = (x: number) => Math.round(x * 100);

/**
 * product = clamp(R − 10·Q, 0, 5) with R = (ratingSum + 4·5) / (reviews + 5) and
 * Q = qualityRefunds / (linesDelivered + 5) (prior rate 0).
 */
export function productScore(p: ProductInputs): number {
  const rating = smoothed(p.ratingSum, p.reviews, PRIOR_RATING);
  const qualityRate = smoothed(p.qualityRefunds, p.linesDelivered, 0);
  return clamp5(rating - QUALITY_PENALTY * qualityRate);
}

/**
 * logistics = 0.6·clamp(5 − 10·(1 − S)) + 0.4·clamp(5 − (H − 24)/24) with
 * S = (onTime + 0.9·5) / (due + 5) and H = (deliveryHours + 48·5) / (delivered + 5).
 */
export function logisticsScore(l: LogisticsInputs): number {
  const onTime = smoothed(l.onTime, l.due, PRIOR_ON_TIME);
  const hours = smoothed(l.deliveryHours, l.delivered, PRIOR_DELIVERY_HOURS);
  const ship = clamp5(5 - 10 * (1 - onTime));
  const delivery = clamp5(5 - (hours - FAST_DELIVERY_HOURS) / 24);
  return SHIP_WEIGHT * ship + (1 - SHIP_WEIGHT) * delivery;
}

/**
 * service = 0.5·clamp(5 − T/12) + 0.5·clamp(5 − 10·D) with
 * T = (handlingHours + 12·5) / (handled + 5) and D = (disputes + 0.1·5) / (requests + 5).
 */
export function serviceScore(s: ServiceInputs): number {
  const hours = smoothed(s.handlingHours, s.handled, PRIOR_HANDLING_HOURS);
  const disputeRate = smoothed(s.disputes, s.requests, PRIOR_DISPUTE_RATE);
  const handling = clamp5(5 - hours / 12);
  const disputes = clamp5(5 - 10 * disputeRate);
  return HANDLING_WEIGHT * handling + (1 - HANDLING_WEIGHT) * disputes;
}

/** The three dimensions rounded to hundredths, and the overall from those rounded figures. */
export function experienceScore(inputs: ExperienceInputs): ScoreHundredths {
  const product = hundredths(productScore(inputs.product));
  const logistics = hundredths(logisticsScore(inputs.logistics));
  const service = hundredths(serviceScore(inputs.service));
  const overall = Math.round(
    OVERALL_WEIGHTS.product * product +
      OVERALL_WEIGHTS.logistics * logistics +
      OVERALL_WEIGHTS.service * service,
  );
  return {
    overall,
    product,
    logistics,
    service,
    enoughData: {
      product: inputs.product.reviews >= PRIOR_WEIGHT,
      logistics: inputs.logistics.due >= PRIOR_WEIGHT,
      service: inputs.service.requests >= PRIOR_WEIGHT,
    },
  };
}

/** An empty store's inputs (no orders, reviews or requests in the window). */
export function emptyInputs(): ExperienceInputs {
  return {
    product: {
      reviews: 0,
      ratingSum: 0,
      defaultReviews: 0,
      lowRatings: 0,
      linesDelivered: 0,
      qualityRefunds: 0,
    },
    logistics: { due: 0, onTime: 0, delivered: 0, deliveryHours: 0 },
    service: { requests: 0, handled: 0, handlingHours: 0, disputes: 0 },
  };
}

export interface Suggestion {
  dimension: Dimension;
  code:
    | 'low_rating'
    | 'quality_refunds'
    | 'ship_late'
    | 'slow_delivery'
    | 'slow_aftersale'
    | 'disputes'
    | 'not_enough_data';
  params: Record<string, number>;
}

/** Thresholds past which the console suggests an improvement (raw figures, not smoothed). */
export const SUGGEST = {
  /** Mean rating under this (with at least one review), or any 1–2 star review. */
  rating: 4.5,
  /** Mean shipped→delivered hours over this. */
  deliveryHours: 48,
  /** Mean request→decision hours over this. */
  handlingHours: 24,
};

const round1 = (x: number) => Math.round(x * 10) / 10;
const percent = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : 0);

/**
 * What to improve, from the raw figures; rates are percentages (one decimal), hours and averages
 * one decimal. A dimension short of data says how many observations it has and needs.
 */
export function suggestions(inputs: ExperienceInputs, enough: Record<Dimension, boolean>): Suggestion[] {
  const { product: p, logistics: l, service: s } = inputs;
  const out: Suggestion[] = [];
  if (p.reviews > 0 && (p.ratingSum / p.reviews < SUGGEST.rating || p.lowRatings > 0)) {
    out.push({
      dimension: 'product',
      code: 'low_rating',
      params: { avg: round1(p.ratingSum / p.reviews), low: p.lowRatings, reviews: p.reviews },
    });
  }
  if (p.qualityRefunds > 0) {
    out.push({
      dimension: 'product',
      code: 'quality_refunds',
      params: {
        refunds: p.qualityRefunds,
        lines: p.linesDelivered,
        rate: percent(p.qualityRefunds, Math.max(p.linesDelivered, p.qualityRefunds)),
      },
    });
  }
  if (l.due > l.onTime) {
    const late = l.due - l.onTime;
    out.push({
      dimension: 'logistics',
      code: 'ship_late',
      params: { late, due: l.due, rate: percent(late, l.due) },
    });
  }
  if (l.delivered > 0 && l.deliveryHours / l.delivered > SUGGEST.deliveryHours) {
    out.push({
      dimension: 'logistics',
      code: 'slow_delivery',
      params: { hours: round1(l.deliveryHours / l.delivered) },
    });
  }
  if (s.handled > 0 && s.handlingHours / s.handled > SUGGEST.handlingHours) {
    out.push({
      dimension: 'service',
      code: 'slow_aftersale',
      params: { hours: round1(s.handlingHours / s.handled) },
    });
  }
  if (s.disputes > 0) {
    out.push({
      dimension: 'service',
      code: 'disputes',
      params: { disputes: s.disputes, requests: s.requests, rate: percent(s.disputes, s.requests) },
    });
  }
  const have: Record<Dimension, number> = { product: p.reviews, logistics: l.due, service: s.requests };
  for (const dimension of ['product', 'logistics', 'service'] as const) {
    if (!enough[dimension]) {
      out.push({ dimension, code: 'not_enough_data', params: { have: have[dimension], need: PRIOR_WEIGHT } });
    }
  }
  return out;
}
