import type { Db } from '../../platform/db.ts';
import { storeSummaries } from '../merchants/index.ts';
import { ACCOUNTS } from './ledger.ts';

/** The kinds of ledger account (ledger.ts `ACCOUNTS`); a client names them in its own language. */
export type AccountType =
  | (typeof ACCOUNTS)['providerClearing' | 'orderEscrow' | 'platformRevenue' | 'creditReceivable']
  | 'merchant_payable'
  | 'platform_expense';

export interface AccountName {
  type: AccountType | 'other';
  /** For a store's payable account: the store and its name (null if the store is unknown). */
  storeId: string | null;
  storeName: string | null;
}

const PAYABLE_PREFIX = ACCOUNTS.merchantPayable('');
const EXPENSE_PREFIX = ACCOUNTS.platformExpense('');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLATFORM_ACCOUNTS = new Set<string>([
  ACCOUNTS.providerClearing,
  ACCOUNTS.orderEscrow,
  ACCOUNTS.platformRevenue,
  ACCOUNTS.creditReceivable,
]);

/** What an account id names, without the store's name. */
export function accountType(account: string): { type: AccountName['type']; storeId: string | null } {
  const storeId = account.startsWith(PAYABLE_PREFIX) ? account.slice(PAYABLE_PREFIX.length) : null;
  if (storeId !== null) return { type: 'merchant_payable', storeId: UUID.test(storeId) ? storeId : null };
  if (account.startsWith(EXPENSE_PREFIX)) return { type: 'platform_expense', storeId: null };
  return { type: PLATFORM_ACCOUNTS.has(account) ? (account as AccountType) : 'other', storeId: null };
}

/** Every account's type and, for stores' payables, the store's name: one query for any number. */
export async function accountNames(db: Db, accounts: string[]): Promise<Map<string, AccountName>> {
  const types = new Map(accounts.map((a) => [a, accountType(a)]));
  const storeIds = [...types.values()].flatMap((t) => (t.storeId ? [t.storeId] : []));
  const stores = await storeSummaries(db, storeIds);
  return new Map(
    [...types].map(([account, t]) => [
      account,
      { ...t, storeName: t.storeId ? (stores.get(t.storeId)?.name ?? null) : null },
    ]),
  );
}

const TYPE_ORDER: Array<AccountName['type']> = [
  'provider_clearing',
  'order_escrow',
  'credit_receivable',
  'platform_revenue',
  'platform_expense',
  'merchant_payable',
  'other',
];

/** Listing order: the platform's accounts as money flows through them, then stores by name. */
export function compareAccountNames(
  a: AccountName & { account: string },
  b: AccountName & { account: string },
): number {
  return (
    TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
    (a.storeName ?? '').localeCompare(b.storeName ?? '', 'zh-CN') ||
    a.account.localeCompare(b.account)
  );
}
