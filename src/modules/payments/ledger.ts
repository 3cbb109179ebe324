import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { fen } from '../../platform/money.ts';

/**
 * The kinds of ledger transaction: an open list, named here (the database only checks the shape
 * of a name). Each is posted by one named operation (ledger-operations.ts); add a kind here with it.
 */
export const LEDGER_KINDS = [
  'payment', // captured at the provider: provider_clearing → order_escrow
  'settlement', // the merchant is paid: escrow (+ platform-funded discounts) → merchant_payable, commission
  'refund', // money back to the buyer out of escrow (merchant) or platform_expense (platform)
  'clawback', // a merchant-funded refund after settlement: merchant_payable and commission share back
  'compensation', // money to the buyer not against a line (return shipping, …)
  'subsidy', // a platform low-price subsidy paid out of a budget
  'coupon', // a coupon's cost drawn from a budget
  'credit', // a pay-later order treated as paid: credit_receivable → escrow
  'credit_charge', // a pay-later bill charged: provider_clearing → credit_receivable
  'credit_refund', // money of a charged bill given back: credit_receivable → provider_clearing
  'credit_fee', // the merchant's pay-later fee on a collected bill: merchant_payable → platform_revenue (credit-ops.ts)
  'shipping_subsidy', // return shipping paid to the buyer
  'price_protection', // a price-protection payout
  'recovery', // an order refunded in full: its platform-funded line refunds go back to their expenses
  'payout_reversal', // a provider payout that failed: its compensation's entries reversed (reference = payout id)
  'incentive', // a growth incentive paid to a store: platform_expense:<programme kind> → merchant_payable
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntry {
  account: string;
  amountFen: number;
}

export const ACCOUNTS = {
  providerClearing: 'provider_clearing',
  orderEscrow: 'order_escrow',
  platformRevenue: 'platform_revenue',
  merchantPayable: (storeId: string) => `merchant_payable:${storeId}`,
  /** What pay-later buyers owe the platform (an asset). */
  creditReceivable: 'credit_receivable',
  /** What a platform-funded promise costs: subsidy, platform_coupon, price_protection, return_shipping, pay_later… */
  platformExpense: (guarantee: string) => `platform_expense:${guarantee}`,
} as const;

/** A name for an expense (`platform_expense:<name>`): lower-case words. */
export const EXPENSE_NAME = /^[a-z][a-z_]{1,39}$/;

/** Throws unless the entries can form a transaction: whole non-zero fen summing to zero. */
export function assertBalanced(entries: LedgerEntry[]): void {
  if (entries.length < 2) throw new Error('a ledger transaction needs at least two entries');
  let sum = 0;
  for (const e of entries) {
    fen(e.amountFen);
    if (e.amountFen === 0) throw new Error(`zero entry for ${e.account}`);
    sum += e.amountFen;
  }
  if (sum !== 0) throw new Error(`ledger transaction is unbalanced by ${sum} fen`);
}

/**
 * Writes a balanced transaction inside the caller's transaction, in one statement. Idempotent:
 * (kind, reference) is unique, so posting the same business fact twice writes nothing the second
 * time (no transaction row, hence no entries). Returns whether it was written now.
 * (The database also refuses unbalanced transactions, at commit.)
 */
export async function postTransaction(
  trx: Db,
  kind: LedgerKind,
  reference: string,
  entries: LedgerEntry[],
  at: Date,
  id: string = newId(),
): Promise<boolean> {
  assertBalanced(entries);
  const written = await sql<{ transaction_id: string }>`
    with tx as (
      insert into ledger_transactions (id, kind, reference, created_at) values (${id}, ${kind}, ${reference}, ${at})
      on conflict (kind, reference) do nothing returning id
    )
    insert into ledger_entries (transaction_id, account, amount_fen)
    select tx.id, e.account, e.amount
    from tx cross join unnest(${entries.map((e) => e.account)}::text[], ${entries.map((e) => e.amountFen)}::bigint[])
      as e(account, amount)
    returning transaction_id`.execute(trx);
  return written.rows.length > 0;
}

export interface TrialBalance {
  totalFen: number;
  accounts: Array<{ account: string; balanceFen: number }>;
}

/** Every account's balance; `totalFen` is their sum, which double entry keeps at zero. */
export async function trialBalance(db: Db): Promise<TrialBalance> {
  const rows = await sql<{ account: string; balance: number }>`
    select account, sum(amount_fen)::bigint as balance from ledger_entries group by account order by account`.execute(
    db,
  );
  const accounts = rows.rows.map((r) => ({ account: r.account, balanceFen: Number(r.balance) }));
  return { totalFen: accounts.reduce((sum, a) => sum + a.balanceFen, 0), accounts };
}

export async function accountBalance(db: Db, account: string): Promise<number> {
  const r = await sql<{ balance: number }>`
    select coalesce(sum(amount_fen), 0)::bigint as balance from ledger_entries where account = ${account}`.execute(
    db,
  );
  return Number(r.rows[0]?.balance ?? 0);
}

export async function listTransactions(db: Db, page: number, pageSize: number) {
  const total = await sql<{ n: number }>`select count(*)::int as n from ledger_transactions`.execute(db);
  const txs = await sql<{ id: string; kind: LedgerKind; reference: string; created_at: Date }>`
    select id, kind, reference, created_at from ledger_transactions
    order by created_at desc, id limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  const ids = txs.rows.map((t) => t.id);
  const entries = ids.length
    ? await sql<{ transaction_id: string; account: string; amount_fen: number }>`
        select transaction_id, account, amount_fen from ledger_entries
        where transaction_id = any(${ids}::uuid[]) order by id`.execute(db)
    : { rows: [] };
  return {
    items: txs.rows.map((t) => ({
      id: t.id,
      kind: t.kind,
      reference: t.reference,
      createdAt: new Date(t.created_at).toISOString(),
      entries: entries.rows
        .filter((e) => e.transaction_id === t.id)
        .map((e) => ({ account: e.account, amountFen: Number(e.amount_fen) })),
    })),
    total: total.rows[0]?.n ?? 0,
    page,
    pageSize,
  };
}
