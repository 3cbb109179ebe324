import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/**
 * What the guarantees cost, read from the ledger (the guarantees module's summaries). Read-only.
 */

const EXPENSE_PREFIX = 'platform_expense:';

/** Each `platform_expense:<guarantee>` account: its balance and how many transactions moved it. */
export async function platformExpenses(
  db: Db,
): Promise<Array<{ guarantee: string; fen: number; count: number }>> {
  const r = await sql<{ account: string; fen: string; n: number }>`
    select account, sum(amount_fen) as fen, count(distinct transaction_id)::int as n from ledger_entries
    where account like ${`${EXPENSE_PREFIX}%`} group by account order by account`.execute(db);
  return r.rows.map((row) => ({
    guarantee: row.account.slice(EXPENSE_PREFIX.length),
    fen: Number(row.fen),
    count: row.n,
  }));
}

/**
 * What the refunds and compensations written under these references moved in the ledger (the
 * amount given back to the buyer, by reference); a reference with nothing booked is absent.
 */
export async function bookedByReference(db: Db, references: string[]): Promise<Map<string, number>> {
  if (references.length === 0) return new Map();
  const r = await sql<{ reference: string; fen: string }>`
    select f.reference, sum(e.amount_fen) as fen
    from refunds f
    join ledger_transactions t on t.kind in ('refund', 'clawback', 'compensation') and t.reference = f.id::text
    join ledger_entries e on e.transaction_id = t.id and e.amount_fen > 0
    where f.reference = any(${references}::text[])
    group by f.reference`.execute(db);
  return new Map(r.rows.map((row) => [row.reference, Number(row.fen)]));
}
