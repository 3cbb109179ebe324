import { sql } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { tooMany } from './errors.ts';

/**
 * Fixed-window counter kept in the database, so a limit holds across every server instance.
 * Throws 429 when `bucket` has been hit more than `limit` times in the current window.
 */
export async function hitRateLimit(
  db: Db,
  clock: Clock,
  bucket: string,
  limit: number,
  windowSeconds: number,
  message: string,
): Promise<void> {
  const now = clock.now().getTime();
  const windowStart = new Date(now - (now % (windowSeconds * 1000)));
  const result = await sql<{ hits: number }>`
    insert into rate_limits (bucket, window_start, hits) values (${bucket}, ${windowStart}, 1)
    on conflict (bucket, window_start) do update set hits = rate_limits.hits + 1
    returning hits`.execute(db);
  if ((result.rows[0]?.hits ?? 0) > limit) throw tooMany(message);
}

/** Deletes counter windows that started more than `keepSeconds` ago (default a day); returns how many. */
export async function pruneRateLimits(db: Db, clock: Clock, keepSeconds = 86_400): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - keepSeconds * 1000);
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
