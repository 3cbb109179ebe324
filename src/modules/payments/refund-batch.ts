import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { EXPENSE_NAME, type LedgerKind } from './ledger.ts';
import { type BuyerSide, type Funder, refundEntries, refundKind } from './money-movements.ts';

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
 * ones) in a constant number of statements: lock the payments, one data-modifying statement for
 * refunds + payments + ledger transactions + entries, one for the provider refunds' events.
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
  const orderIds = [...new Set(todo.map((i) => i.orderId))];
  const captured = await sql<{ order_id: string; id: string }>`
    select po.order_id, p.id from payments p join payment_orders po on po.payment_id = p.id
    where po.order_id = any(${orderIds}::uuid[]) and p.status = 'captured'
    order by p.id
    for update of p`.execute(trx);
  const paymentOf = new Map(captured.rows.map((r) => [r.order_id, r.id]));
  const onCredit = orderIds.filter((id) => !paymentOf.has(id));
  const credit = new Set<string>();
  if (onCredit.length > 0) {
    const r = await sql<{ reference: string }>`
      select reference from ledger_transactions where kind = 'credit' and reference = any(${onCredit}::text[])`.execute(
      trx,
    );
    for (const row of r.rows) credit.add(row.reference);
    const neither = onCredit.filter((id) => !credit.has(id));
    if (neither.length > 0)
      throw conflict('not_captured', 'There is no captured payment to refund', { orderIds: neither });
  }
  const now = deps.clock.now();
  const platformKind: LedgerKind = options.kind === 'compensation' ? 'compensation' : 'refund';
  const rows = todo.map((i) => {
    const side: BuyerSide = paymentOf.has(i.orderId) ? 'provider' : 'credit';
    const id = newId();
    const entries = refundEntries({
      amountFen: i.amountFen,
      buyerSide: side,
      funder: options.funder,
      expense: options.expense,
      settled: i.settled,
      storeId: i.storeId,
      commissionBps: i.commissionBps,
      discountsBack: [],
    });
    return {
      id,
      item: i,
      paymentId: paymentOf.get(i.orderId) ?? null,
      kind: refundKind({ funder: options.funder, settled: i.settled }, platformKind),
      entries,
    };
  });
  const entryTx = rows.flatMap((r) => r.entries.map(() => r.id));
  const entryAccount = rows.flatMap((r) => r.entries.map((e) => e.account));
  const entryAmount = rows.flatMap((r) => r.entries.map((e) => e.amountFen));
  let written: { rows: Array<{ id: string; payment_id: string | null; reference: string; amount_fen: string }> };
  try {
    written = await sql<{ id: string; payment_id: string | null; reference: string; amount_fen: string }>`
      with items as (
        select * from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.paymentId)}::uuid[],
          ${rows.map((r) => r.item.orderId)}::uuid[], ${rows.map((r) => r.item.amountFen)}::bigint[],
          ${rows.map((r) => r.item.reference)}::text[], ${rows.map((r) => r.kind)}::text[])
          as i(id, payment_id, order_id, amount_fen, reference, ledger_kind)
      ), ins as (
        insert into refunds (id, payment_id, order_id, amount_fen, reason, status, reference, funder, expense, kind,
                             created_at, updated_at)
        select id, payment_id, order_id, amount_fen, ${options.reason},
               case when payment_id is null then 'succeeded' else 'requested' end, reference, ${options.funder},
               ${options.funder === 'platform' ? options.expense : null}, ${options.kind}, ${now}, ${now}
        from items
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
        select e.tx, e.account, e.amount
        from unnest(${entryTx}::uuid[], ${entryAccount}::text[], ${entryAmount}::bigint[]) as e(tx, account, amount)
        join ins on ins.id = e.tx
      )
      select id, payment_id, reference, amount_fen from ins`.execute(trx);
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw conflict('refund_exceeds_capture', 'A refund can never exceed what was captured');
    throw err;
  }
  const toProvider = written.rows.filter((r) => r.payment_id !== null).map((r) => ({ refundId: r.id }));
  if (toProvider.length > 0) await deps.events.publishAll(trx, 'payment.refund', toProvider);
  return written.rows.map((r) => ({ reference: r.reference, refundId: r.id, amountFen: Number(r.amount_fen) }));
}
