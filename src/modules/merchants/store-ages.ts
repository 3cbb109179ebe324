import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { StoreSummary } from './store-lookup.ts';
import type { MerchantsDb } from './tables.ts';

/**
 * Stores opened at or after `since`, open or suspended, oldest first (traffic: which stores are new,
 * which just left cold start). One statement.
 */
export async function storesOpenedSince(db: Db, since: Date): Promise<StoreSummary[]> {
  const r = await sql<{ id: string; name: string; status: 'open' | 'suspended'; opened_at: Date }>`
    select id, name, status, opened_at from stores where opened_at >= ${since} order by opened_at, id`.execute(
    db as MerchantsDb,
  );
  return r.rows.map((x) => ({ id: x.id, name: x.name, status: x.status, openedAt: new Date(x.opened_at) }));
}
