import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { MerchantsTables } from './schema.ts';

export interface StoreSummary {
  id: string;
  name: string;
  status: 'open' | 'suspended';
}

/** Names and status of stores, one query for any number of ids (listings call this per page). */
export async function storeSummaries(db: Db, storeIds: string[]): Promise<Map<string, StoreSummary>> {
  const ids = [...new Set(storeIds)];
  if (ids.length === 0) return new Map();
  const rows = await (db as Kysely<MerchantsTables>)
    .selectFrom('stores')
    .select(['id', 'name', 'status'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
