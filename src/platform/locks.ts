import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Serialises transactions about one thing (`scope` and `id`, e.g. one buyer's address book) until
 * the calling transaction ends: a PostgreSQL transaction-level advisory lock. A module locks its
 * own name for the thing instead of locking a row of another module's table (an account), so it
 * touches no table it does not own.
 */
export async function lockFor(trx: Db, scope: string, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${scope}:${id}`}, 0))`.execute(trx);
}
