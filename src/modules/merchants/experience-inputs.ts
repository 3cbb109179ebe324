import type { Db } from '../../platform/db.ts';
import type { StoreServiceInputs } from '../aftersale/index.ts';
import type { StoreLogisticsInputs } from '../orders/index.ts';
import type { StoreRatingInputs } from '../reviews/index.ts';

/**
 * A window of time, `from` inclusive and `to` exclusive: the 30 whole Asia/Shanghai days before the
 * scored day (it depends on the day only, so recomputing a day reads the same events), optionally for
 * some stores only.
 */
export interface ScoreWindow {
  from: Date;
  to: Date;
  storeIds?: string[];
}

/** The three per-store input queries, each owned by its module and exported from its index. */
export interface ExperienceInputSources {
  logistics(w: ScoreWindow): Promise<Map<string, StoreLogisticsInputs>>;
  service(w: ScoreWindow): Promise<Map<string, StoreServiceInputs>>;
  ratings(w: ScoreWindow): Promise<Map<string, StoreRatingInputs>>;
}

/**
 * The input queries of orders, after-sale and reviews, loaded when the score is first computed.
 * Merchants is built (and imported) before those modules, and orders imports merchants' index, so a
 * static import here would be a cycle evaluated half-way; at run time every module is loaded and the
 * import only looks them up.
 */
export async function experienceInputSources(db: Db): Promise<ExperienceInputSources> {
  const [orders, aftersale, reviews] = await Promise.all([
    import('../orders/index.ts'),
    import('../aftersale/index.ts'),
    import('../reviews/index.ts'),
  ]);
  return {
    logistics: (w) => orders.logisticsInputs(db, w),
    service: (w) => aftersale.serviceInputs(db, w),
    ratings: (w) => reviews.ratingInputs(db, w),
  };
}
