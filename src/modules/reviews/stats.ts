import { type Kysely, sql } from 'kysely';
import type { ReviewRow, ReviewsTables } from './tables.ts';

type Db = Kysely<ReviewsTables>;

/** What of a review the aggregates count. */
export type CountedReview = Pick<
  ReviewRow,
  'product_id' | 'store_id' | 'rating' | 'photos' | 'is_default' | 'fit' | 'tags' | 'size'
>;

/**
 * Adds a review to (sign 1) or takes it out of (sign −1) every aggregate, inside the caller's
 * transaction: counted when it becomes visible (written, restored), uncounted when hidden. Only visible
 * reviews count. A follow-up's photos do not change `with_photos`: the filter means "the review has photos".
 * Statements: four (product and store stats, tags, size).
 */
export async function countReview(trx: Db, r: CountedReview, sign: 1 | -1): Promise<void> {
  const cols = statsDelta(r, sign);
  const names = Object.keys(cols);
  const values = Object.values(cols);
  const setList = sql.join(names.map((n) => sql`${sql.ref(n)} = s.${sql.ref(n)} + excluded.${sql.ref(n)}`));
  await sql`
    insert into review_product_stats as s (product_id, store_id, ${sql.join(names.map((n) => sql.ref(n)))})
    values (${r.product_id}, ${r.store_id}, ${sql.join(values)})
    on conflict (product_id) do update set ${setList}`.execute(trx);
  await sql`
    insert into review_store_stats as s (store_id, ${sql.join(names.map((n) => sql.ref(n)))})
    values (${r.store_id}, ${sql.join(values)})
    on conflict (store_id) do update set ${setList}`.execute(trx);
  const tags = [...new Set(r.tags)];
  if (tags.length > 0) {
    await sql`
      insert into review_tag_counts as c (product_id, tag, count)
      select ${r.product_id}, t, ${sign} from unnest(${tags}::text[]) as t
      on conflict (product_id, tag) do update set count = c.count + excluded.count`.execute(trx);
  }
  await sql`
    insert into review_size_counts as c (product_id, size, count) values (${r.product_id}, ${r.size}, ${sign})
    on conflict (product_id, size) do update set count = c.count + excluded.count`.execute(trx);
}

function statsDelta(r: CountedReview, sign: 1 | -1): Record<string, number> {
  const rating = Math.trunc(r.rating);
  return {
    review_count: sign,
    rating_sum: sign * rating,
    r1: rating === 1 ? sign : 0,
    r2: rating === 2 ? sign : 0,
    r3: rating === 3 ? sign : 0,
    r4: rating === 4 ? sign : 0,
    r5: rating === 5 ? sign : 0,
    with_photos: r.photos.length > 0 ? sign : 0,
    default_count: r.is_default ? sign : 0,
    fit_small: r.fit === 'small' ? sign : 0,
    fit_true: r.fit === 'fit' ? sign : 0,
    fit_large: r.fit === 'large' ? sign : 0,
  };
}

/** A product's aggregates as the recount computes them (rows with every count zero are left out). */
export interface RecountedStats {
  products: Array<Record<string, number | string>>;
  stores: Array<Record<string, number | string>>;
  tags: Array<{ product_id: string; tag: string; count: number }>;
  sizes: Array<{ product_id: string; size: string; count: number }>;
}

const RECOUNT_COLUMNS = sql`
  count(*)::int as review_count,
  coalesce(sum(rating), 0)::int as rating_sum,
  (count(*) filter (where rating = 1))::int as r1,
  (count(*) filter (where rating = 2))::int as r2,
  (count(*) filter (where rating = 3))::int as r3,
  (count(*) filter (where rating = 4))::int as r4,
  (count(*) filter (where rating = 5))::int as r5,
  (count(*) filter (where cardinality(photos) > 0))::int as with_photos,
  (count(*) filter (where is_default))::int as default_count,
  (count(*) filter (where fit = 'small'))::int as fit_small,
  (count(*) filter (where fit = 'fit'))::int as fit_true,
  (count(*) filter (where fit = 'large'))::int as fit_large`;

/** Every aggregate recounted from the visible reviews: what the kept ones must equal (tests, audits). */
export async function recountStats(db: Db): Promise<RecountedStats> {
  const products = await sql<Record<string, number | string>>`
    select product_id, store_id, ${RECOUNT_COLUMNS} from reviews where status = 'visible'
    group by product_id, store_id order by product_id`.execute(db);
  const stores = await sql<Record<string, number | string>>`
    select store_id, ${RECOUNT_COLUMNS} from reviews where status = 'visible'
    group by store_id order by store_id`.execute(db);
  const tags = await sql<{ product_id: string; tag: string; count: number }>`
    select product_id, tag, count(*)::int as count
    from reviews, unnest(array(select distinct unnest(tags))) as tag where status = 'visible'
    group by product_id, tag order by product_id, tag`.execute(db);
  const sizes = await sql<{ product_id: string; size: string; count: number }>`
    select product_id, size, count(*)::int as count from reviews where status = 'visible'
    group by product_id, size order by product_id, size`.execute(db);
  return { products: products.rows, stores: stores.rows, tags: tags.rows, sizes: sizes.rows };
}

/** The kept aggregates in the recount's shape (zero rows left out), to compare with `recountStats`. */
export async function keptStats(db: Db): Promise<RecountedStats> {
  const cols = sql`review_count, rating_sum::int as rating_sum, r1, r2, r3, r4, r5, with_photos,
    default_count, fit_small, fit_true, fit_large`;
  const products = await sql<Record<string, number | string>>`
    select product_id, store_id, ${cols} from review_product_stats where review_count > 0
    order by product_id`.execute(db);
  const stores = await sql<Record<string, number | string>>`
    select store_id, ${cols} from review_store_stats where review_count > 0 order by store_id`.execute(db);
  const tags = await sql<{ product_id: string; tag: string; count: number }>`
    select product_id, tag, count from review_tag_counts where count > 0 order by product_id, tag`.execute(
    db,
  );
  const sizes = await sql<{ product_id: string; size: string; count: number }>`
    select product_id, size, count from review_size_counts where count > 0
    order by product_id, size`.execute(db);
  return { products: products.rows, stores: stores.rows, tags: tags.rows, sizes: sizes.rows };
}
