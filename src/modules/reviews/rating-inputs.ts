import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/** One store's review figures for a window (the store experience score's product terms). */
export interface StoreRatingInputs {
  reviews: number;
  ratingSum: number;
  defaultReviews: number;
  lowRatings: number;
}

/**
 * Per store, one statement over the reviews written in the window (`created_at` from `from` inclusive to `to`
 * exclusive: the 30 whole days before the scored day, so a recompute of a day reads the same reviews):
 * - `reviews`, `ratingSum`: non-default reviews and their summed ratings:
 *   R = (ratingSum + 4·5) / (reviews + 5), product = R − 10·Q;
 * - `defaultReviews`: reviews the platform wrote for a buyer who said nothing (rating 5): counted
 *   for the console but not in R, since no buyer chose that rating;
 * - `lowRatings`: non-default reviews rated 1–2 (the console's "what to improve").
 * Visible reviews only, as the store's public rating counts them (stats.ts): an operator hides a
 * review that breaks the rules (abuse, spam, private details), and a rating given with such a
 * review is not a fair measure of the goods. Merchants cannot hide reviews themselves, only report
 * them, so a store cannot lift its score by removing low ratings.
 */
export async function ratingInputs(
  db: Db,
  w: { from: Date; to: Date; storeIds?: string[] },
): Promise<Map<string, StoreRatingInputs>> {
  if (w.storeIds?.length === 0) return new Map();
  const stores = w.storeIds ? sql`and store_id = any(${w.storeIds}::uuid[])` : sql``;
  const r = await sql<{
    store_id: string;
    reviews: number;
    rating_sum: number;
    default_reviews: number;
    low_ratings: number;
  }>`
    select store_id,
           count(*) filter (where not is_default)::int as reviews,
           coalesce(sum(rating) filter (where not is_default), 0)::int as rating_sum,
           count(*) filter (where is_default)::int as default_reviews,
           count(*) filter (where not is_default and rating <= 2)::int as low_ratings
    from reviews
    where status = 'visible' and created_at >= ${w.from} and created_at < ${w.to} ${stores}
    group by store_id`.execute(db);
  return new Map(
    r.rows.map((row) => [
      row.store_id,
      {
        reviews: row.reviews,
        ratingSum: row.rating_sum,
        defaultReviews: row.default_reviews,
        lowRatings: row.low_ratings,
      },
    ]),
  );
}
