import type { Kysely } from 'kysely';
import type { Role } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import type { IdentityTables } from './schema.ts';

export interface AccountByPhone {
  id: string;
  phone: string;
  role: Role;
}

/** The accounts registered with any of `phones` (those with none are left out), in no set order. */
export async function accountsWithPhones(db: Db, phones: string[]): Promise<AccountByPhone[]> {
  if (phones.length === 0) return [];
  return (db as Kysely<IdentityTables>)
    .selectFrom('accounts')
    .select(['id', 'phone', 'role'])
    .where('phone', 'in', [...new Set(phones)])
    .execute();
}
