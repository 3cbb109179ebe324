import { sql } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { tooMany } from './errors.ts';
import { preparedStatement } from './prepared.ts';

/** At most `limit` (≥ 1) accepted hits in any `windowSeconds`; a bucket always has the same window. */
export interface RateLimit {
  bucket: string;
  limit: number;
  windowSeconds: number;
  message: string;
}

/** The hits of buckets ($1) after $2: the read before taking a place. */
const readHits = preparedStatement<{ bucket: string; at: Date }>(
  'platform.rate-limit-hits',
  `select r.bucket, h.at from rate_limits r, unnest(r.hits) as h(at)
   where r.bucket = any($1::text[]) and h.at > $2::timestamptz`,
);

/**
 * A place in bucket $1 at $2, taken only while it holds fewer than $4 hits after $3. The upsert
 * locks the bucket's row, so two instances cannot both take its last place.
 */
const takePlace = preparedStatement<{ bucket: string }>(
  'platform.rate-limit-take',
  `insert into rate_limits as r (bucket, hits, last_hit_at)
   values ($1::text, array[$2::timestamptz], $2::timestamptz)
   on conflict (bucket) do update
     set hits = array(select h from unnest(r.hits) as h where h > $3::timestamptz order by h) || $2::timestamptz,
         last_hit_at = $2::timestamptz
     where (select count(*) from unnest(r.hits) as h where h > $3::timestamptz) < $4::int
   returning bucket`,
);

/**
 * Sliding-window limits kept in the database, so they hold across every server instance. A hit
 * is accepted only when every bucket has room, and then counts in all of them; a refused hit
 * counts in none, so knocking on a closed door does not keep it closed. The 429 carries the
 * seconds until every bucket has room again (Retry-After).
 * Statements: one read, then one conditional upsert per bucket.
 */
export async function hitRateLimits(db: Db, clock: Clock, limits: RateLimit[]): Promise<void> {
  if (limits.length === 0) return;
  const now = clock.now();
  const refusal = worstRefusal(limits, await recentHits(db, limits, now), now);
  if (refusal) throw tooMany(refusal.limit.message, refusal.retryAfterSeconds);
  for (const limit of limits) {
    const cutoff = new Date(now.getTime() - limit.windowSeconds * 1000);
    const taken = await takePlace.execute(db, [limit.bucket, now, cutoff, limit.limit]);
    if (taken.rows.length === 0) {
      const lost = worstRefusal([limit], await recentHits(db, [limit], now), now);
      throw tooMany(limit.message, lost?.retryAfterSeconds ?? 1);
    }
  }
}

/** Throws 429 when `bucket` already had `limit` accepted hits in the last `windowSeconds`. */
export async function hitRateLimit(
  db: Db,
  clock: Clock,
  bucket: string,
  limit: number,
  windowSeconds: number,
  message: string,
): Promise<void> {
  await hitRateLimits(db, clock, [{ bucket, limit, windowSeconds, message }]);
}

async function recentHits(db: Db, limits: RateLimit[], now: Date): Promise<Map<string, number[]>> {
  const longest = Math.max(...limits.map((l) => l.windowSeconds));
  const rows = await readHits.execute(db, [
    limits.map((l) => l.bucket),
    new Date(now.getTime() - longest * 1000),
  ]);
  const hits = new Map<string, number[]>();
  for (const row of rows.rows) {
    const list = hits.get(row.bucket) ?? [];
    list.push(new Date(row.at).getTime());
    hits.set(row.bucket, list);
  }
  return hits;
}

/** The full bucket that reopens last, with the whole seconds until it does; undefined when all have room. */
function worstRefusal(
  limits: RateLimit[],
  hits: Map<string, number[]>,
  now: Date,
): { limit: RateLimit; retryAfterSeconds: number } | undefined {
  let worst: { limit: RateLimit; retryAfterSeconds: number } | undefined;
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const inWindow = (hits.get(limit.bucket) ?? [])
      .filter((at) => at > now.getTime() - windowMs)
      .sort((a, b) => a - b);
    if (inWindow.length < limit.limit) continue;
    // Room again once all but limit - 1 of these hits have left the window.
    const reopensAt = (inWindow[inWindow.length - limit.limit] ?? now.getTime()) + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000));
    if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { limit, retryAfterSeconds };
  }
  return worst;
}

/** Deletes buckets with no hit in the last `keepSeconds` (default a day); returns how many. */
export async function pruneRateLimits(db: Db, clock: Clock, keepSeconds = 86_400): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - keepSeconds * 1000);
  const result = await sql`delete from rate_limits where last_hit_at < ${cutoff}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
