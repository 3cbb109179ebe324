import { sql } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { tooMany } from './errors.ts';

/** At most `limit` (≥ 1) accepted hits in any `windowSeconds`; a bucket always has the same window. */
export interface RateLimit {
  bucket: string;
  limit: number;
  windowSeconds: number;
  message: string;
}

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
    // The upsert locks the bucket's row, so two instances cannot both take its last place.
    const taken = await sql<{ bucket: string }>`
      insert into rate_limits as r (bucket, hits, last_hit_at)
      values (${limit.bucket}, array[${now}::timestamptz], ${now})
      on conflict (bucket) do update
        set hits = array(select h from unnest(r.hits) as h where h > ${cutoff} order by h) || ${now}::timestamptz,
            last_hit_at = ${now}
        where (select count(*) from unnest(r.hits) as h where h > ${cutoff}) < ${limit.limit}
      returning bucket`.execute(db);
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
  const rows = await sql<{ bucket: string; at: Date }>`
    select r.bucket, h.at from rate_limits r, unnest(r.hits) as h(at)
    where r.bucket in (${sql.join(limits.map((l) => l.bucket))})
      and h.at > ${new Date(now.getTime() - longest * 1000)}`.execute(db);
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
