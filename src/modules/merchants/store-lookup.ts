import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { preparedStatement } from '../../platform/prepared.ts';
import type { BusinessType } from './schema.ts';
import type { MerchantsDb } from './tables.ts';

export interface StoreSummary {
  id: string;
  name: string;
  status: 'open' | 'suspended';
  /** When the store opened (after-sale: a new store's return shipping is paid by the platform). */
  openedAt: Date;
}

/** Names and status of stores, one query for any number of ids (listings call this per page). */
export async function storeSummaries(db: Db, storeIds: string[]): Promise<Map<string, StoreSummary>> {
  const ids = [...new Set(storeIds)];
  if (ids.length === 0) return new Map();
  const rows = await (db as MerchantsDb)
    .selectFrom('stores')
    .select(['id', 'name', 'status', 'opened_at'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [r.id, { id: r.id, name: r.name, status: r.status, openedAt: r.opened_at }]),
  );
}

/**
 * The store an account works for (owner or staff), or null: for identity, which puts it on the
 * signed-in actor. A function over the database rather than a service method, because identity is
 * built before merchants (merchants needs identity's account phones).
 */
export async function staffStoreOf(db: Db, accountId: string): Promise<string | null> {
  const r = await staffStoreStatement.execute(db, [accountId]);
  return r.rows[0]?.store_id ?? null;
}

/** A merchant's session resolution (prepared: every merchant request not served from the cache). */
const staffStoreStatement = preparedStatement<{ store_id: string }>(
  'merchants.staff-store',
  'select store_id from store_staff where account_id = $1 limit 1',
);

/**
 * A condition for other modules' queries: the store is open (not suspended). Merchants owns `stores`
 * and this SQL; catalog embeds it instead of keeping its own copy of the status, so a suspension
 * holds everywhere from the moment it commits (no copy to sync, no window where a suspended store
 * still sells), and checkout refuses in the one statement it already runs under its stock locks.
 */
export function storeIsOpen(storeId: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from stores st where st.id = ${storeId} and st.status = 'open')`;
}

/** The store each of `accountIds` owns, by owner (accounts that own none are left out). */
export async function storesOwnedBy(
  db: Db,
  accountIds: string[],
): Promise<Map<string, { id: string; name: string; businessType: BusinessType }>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Map();
  const rows = await (db as MerchantsDb)
    .selectFrom('stores')
    .select(['id', 'owner_account_id', 'name', 'business_type'])
    .where('owner_account_id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [r.owner_account_id, { id: r.id, name: r.name, businessType: r.business_type }]),
  );
}
