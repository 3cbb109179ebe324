import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { ACCOUNTS, EXPENSE_NAME, type LedgerKind } from './ledger.ts';
import { type Funder, refundEntries, refundKind } from './money-movements.ts';

/** Stands for the buyer's account in the entries, until SQL knows how the order was paid. */
const BUYER = '@buyer';

/** One amount-only refund of a batch (price protection, …): orders has capped it at what the line still has paid. */
export interface BatchRefundMoney {
  reference: string;
  orderId: string;
  storeId: string;
  amountFen: number;
  /** Whether the merchant was already paid for the order (a merchant-funded refund is then a clawback). */
  settled: boolean;
  commissionBps: number;
}

export interface BatchRefundOptions {
  funder: Funder;
  /** platform-funded: `platform_expense:<expense>`. */
  expense: string;
  kind: 'refund' | 'compensation';
  reason: string;
}

/**
 * `refundLineMoney` for many refunds at once, with the same rules (refund rows idempotent by
 * reference, the captured payment's `refunded_fen` capped by the database, the ledger entries of
 * money-movements.ts, a provider refund queued for online orders, the bill shrinking for pay-later
 * ones) in two statements: one data-modifying statement for refunds + payments (the update locks
 * them; the database caps refunded_fen) + ledger transactions + entries, one for the provider
 * refunds' event (one for the batch).
 * No units are given back (amount only), so no platform-funded discount goes back.
 * Returns the refunds written now; references seen before are left out (written nothing).
 */
export async function refundLineMoneyBatch(
  trx: Db,
  deps: { clock: Clock; events: Publisher },
  options: BatchRefundOptions,
  items: BatchRefundMoney[],
): Promise<Array<{ reference: string; refundId: string; amountFen: number }>> {
  const todo = items.filter((i) => i.amountFen > 0);
  if (todo.length === 0) return [];
  if (!EXPENSE_NAME.test(options.expense)) throw new Error(`not an expense name: ${options.expense}`);
  const now = deps.clock.now();
  const platformKind: LedgerKind = options.kind === 'compensation' ? 'compensation' : 'refund';
  // Entries as for an online order; the buyer's account is chosen in SQL (`@buyer`: provider_clearing
  // when a captured payment covers the order, credit_receivable for a pay-later order).
  const rows = todo.map((i) => {
    const id = newId();
    const entries = refundEntries({
      amountFen: i.amountFen,
      buyerSide: 'provider',
      funder: options.funder,
      expense: options.expense,
      settled: i.settled,
      storeId: i.storeId,
      commissionBps: i.commissionBps,
      discountsBack: [],
    }).map((e) => (e.account === ACCOUNTS.providerClearing ? { ...e, account: BUYER } : e));
    return {
      id,
      item: i,
      kind: refundKind({ funder: options.funder, settled: i.settled }, platformKind),
      entries,
    };
  });
  const entryTx = rows.flatMap((r) => r.entries.map(() => r.id));
  const entryAccount = rows.flatMap((r) => r.entries.map((e) => e.account));
  const entryAmount = rows.flatMap((r) => r.entries.map((e) => e.amountFen));
  type Written = { id: string; payment_id: string | null; reference: string; amount_fen: number };
  let answer: { matched: number; written: Written[] };
  try {
    const r = await sql<{ matched: number; written: Written[] }>`
      with items as (
        select * from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.item.orderId)}::uuid[],
          ${rows.map((r) => r.item.amountFen)}::bigint[], ${rows.map((r) => r.item.reference)}::text[],
          ${rows.map((r) => r.kind)}::text[])
          as i(id, order_id, amount_fen, reference, ledger_kind)
      ), captured as (
        -- Per order one index look-up (lateral, limit 1: never a scan of every payment of the table).
        select i.order_id, c.payment_id from (select distinct order_id from items) i
        cross join lateral (
          select p.id as payment_id from payment_orders po join payments p on p.id = po.payment_id
          where po.order_id = i.order_id and p.status = 'captured'
          order by p.id limit 1) c
      ), credit as (
        select t.reference::uuid as order_id from ledger_transactions t
        where t.kind = 'credit'
          and t.reference in (select order_id::text from items where order_id not in (select order_id from captured))
      ), src as (
        select i.*, c.payment_id from items i left join captured c on c.order_id = i.order_id
        where c.payment_id is not null or i.order_id in (select order_id from credit)
      ), ins as (
        insert into refunds (id, payment_id, order_id, amount_fen, reason, status, reference, funder, expense, kind,
                             created_at, updated_at)
        select id, payment_id, order_id, amount_fen, ${options.reason},
               case when payment_id is null then 'succeeded' else 'requested' end, reference, ${options.funder},
               ${options.funder === 'platform' ? options.expense : null}, ${options.kind}, ${now}, ${now}
        from src
        on conflict (reference) do nothing
        returning id, payment_id, reference, amount_fen
      ), paid as (
        update payments p set refunded_fen = p.refunded_fen + s.fen, updated_at = ${now}
        from (select payment_id, sum(amount_fen) as fen from ins where payment_id is not null group by payment_id) s
        where p.id = s.payment_id
      ), tx as (
        insert into ledger_transactions (id, kind, reference, created_at)
        select ins.id, i.ledger_kind, ins.id::text, ${now} from ins join items i on i.id = ins.id
      ), entries as (
        insert into ledger_entries (transaction_id, account, amount_fen)
        select e.tx,
               case when e.account <> ${BUYER} then e.account
                    when ins.payment_id is null then ${ACCOUNTS.creditReceivable}
                    else ${ACCOUNTS.providerClearing} end,
               e.amount
        from unnest(${entryTx}::uuid[], ${entryAccount}::text[], ${entryAmount}::bigint[]) as e(tx, account, amount)
        join ins on ins.id = e.tx
      )
      select (select count(*) from src)::int as matched,
             coalesce((select json_agg(ins) from ins), '[]'::json) as written`.execute(trx);
    answer = r.rows[0] ?? { matched: 0, written: [] };
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw conflict('refund_exceeds_capture', 'A refund can never exceed what was captured');
    throw err;
  }
  if (answer.matched < rows.length)
    throw conflict('not_captured', 'There is no captured payment to refund', {
      missing: rows.length - answer.matched,
    });
  const written = { rows: answer.written };
  // One event for the batch's provider refunds (its subscriber sends each), not one per refund.
  const toProvider = written.rows.filter((r) => r.payment_id !== null).map((r) => r.id);
  if (toProvider.length > 0) await deps.events.publish(trx, 'payment.refunds', { refundIds: toProvider });
  return written.rows.map((r) => ({
    reference: r.reference,
    refundId: r.id,
    amountFen: Number(r.amount_fen),
  }));
}
