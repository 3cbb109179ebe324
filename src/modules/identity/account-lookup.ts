import type { Role } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { maskPhone } from './phone.ts';
import type { IdentityDb } from './tables.ts';

export interface AccountByPhone {
  id: string;
  phone: string;
  role: Role;
}

/** The accounts registered with any of `phones` (those with none are left out), in no set order. */
export async function accountsWithPhones(db: Db, phones: string[]): Promise<AccountByPhone[]> {
  if (phones.length === 0) return [];
  return (db as IdentityDb)
    .selectFrom('accounts')
    .select(['id', 'phone', 'role'])
    .where('phone', 'in', [...new Set(phones)])
    .execute();
}

/** When an account was registered (credit's line grows with account age); null for no such account. */
export async function accountCreatedAt(db: Db, accountId: string): Promise<Date | null> {
  const row = await (db as IdentityDb)
    .selectFrom('accounts')
    .select('created_at')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row ? new Date(row.created_at) : null;
}

/** Accounts' phones, masked (`138****0000`), by id (credit's debt list for operators). */
export async function maskedPhones(db: Db, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await (db as IdentityDb)
    .selectFrom('accounts')
    .select(['id', 'phone'])
    .where('id', 'in', [...new Set(accountIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, maskPhone(r.phone)]));
}
