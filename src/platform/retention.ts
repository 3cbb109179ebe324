import { type RawBuilder, sql } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

const DAY_MS = 86_400_000;

/** The instant `days` days before now: rows older than it are past their retention window. */
export function retentionCutoff(clock: Clock, days: number): Date {
  return new Date(clock.now().getTime() - days * DAY_MS);
}

/**
 * Deletes at most `limit` rows of `table` matching `where`, picked by primary key, in one short
 * statement: a prune never holds locks on a large set at once. Returns how many it deleted;
 * a worker task with `drain` calls it again while it finds rows.
 */
export async function deleteBatch(
  db: Db,
  table: string,
  key: string[],
  where: RawBuilder<unknown>,
  limit: number,
): Promise<number> {
  const cols = sql.join(key.map((k) => sql.ref(k)));
  const result = await sql`
    delete from ${sql.table(table)} where (${cols}) in (
      select ${cols} from ${sql.table(table)} where ${where} limit ${Math.max(1, Math.floor(limit))}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Shared schedule of the retention tasks: hourly, at start, and straight on while a backlog remains. */
export const RETENTION_SCHEDULE = { intervalMs: 3_600_000, runAtStart: true, drain: true } as const;
