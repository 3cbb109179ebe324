import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { PaymentStatus } from './schema.ts';

/**
 * Charges of pay-later bills (module credit; migration 171). A bill charge is a row of `payments`
 * with no checkout and a `bill_reference`, so it runs through the provider flow every payment
 * runs through (authorize → webhook → capture → webhook, recovery, reconciliation). On capture
 * the ledger collects the credit receivable (`collectCredit`, in `applyCapture`) instead of paying
 * orders. At most one live charge per bill (unique index); a failed one may be retried.
 */

/** What credit sees of a bill's latest charge. */
export interface BillChargeStatus {
  paymentId: string;
  status: PaymentStatus;
  amountFen: number;
  failureReason: string | null;
}

/**
 * Records the intent of a bill charge (one statement). Returns the new payment (to send to the
 * provider) or, when a live charge for the bill exists already, that one.
 */
export async function recordBillCharge(
  db: Db,
  input: { reference: string; buyerId: string; amountFen: number; currency: string; at: Date },
): Promise<{ paymentId: string; fresh: boolean }> {
  const id = newId();
  const created = await sql<{ id: string }>`
    insert into payments (id, checkout_id, bill_reference, buyer_id, amount_fen, currency, status, created_at, updated_at)
    values (${id}, null, ${input.reference}, ${input.buyerId}, ${input.amountFen}, ${input.currency}, 'created', ${input.at}, ${input.at})
    on conflict (bill_reference) where status <> 'failed' do nothing
    returning id`.execute(db);
  if (created.rows.length > 0) return { paymentId: id, fresh: true };
  const live = await sql<{ id: string }>`
    select id from payments where bill_reference = ${input.reference} and status <> 'failed'`.execute(db);
  return { paymentId: live.rows[0]?.id as string, fresh: false };
}

/** The latest charge of each bill reference (a live one before failed ones), in one query. */
export async function billChargeStatuses(
  db: Db,
  references: string[],
): Promise<Map<string, BillChargeStatus>> {
  if (references.length === 0) return new Map();
  const rows = await sql<{
    bill_reference: string;
    id: string;
    status: PaymentStatus;
    amount_fen: number;
    failure_reason: string | null;
  }>`
    select distinct on (bill_reference) bill_reference, id, status, amount_fen, failure_reason from payments
    where bill_reference = any(${references}::text[])
    order by bill_reference, (status <> 'failed') desc, created_at desc`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.bill_reference,
      {
        paymentId: r.id,
        status: r.status,
        amountFen: Number(r.amount_fen),
        failureReason: r.failure_reason,
      },
    ]),
  );
}

/**
 * Whether a checkout has a payment with the provider or captured (credit refuses to pay such a
 * checkout later: it would be paid twice). Read after the orders are locked for update.
 */
export async function checkoutHasLivePayment(db: Db, checkoutId: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from payments where checkout_id = ${checkoutId} and status <> 'failed'`.execute(
    db,
  );
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * Money given back on credit for each order (refunds and compensations of a pay-later order whose
 * buyer side is `credit_receivable`: refund rows with no payment). The bill owes the order's total less this.
 */
export async function creditRefundedFen(db: Db, orderIds: string[]): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await sql<{ order_id: string; fen: number }>`
    select order_id, sum(amount_fen)::bigint as fen from refunds
    where order_id = any(${orderIds}::uuid[]) and payment_id is null group by order_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.order_id, Number(r.fen)]));
}

/**
 * Money of a charged bill given back (a refund of a pay-later order after its bill was charged:
 * the ledger's refund moved it to the buyer's credit side, so the platform owes it back). In the
 * caller's transaction: the provider refund row against the bill's captured charge (reason
 * `pay_later_charge_refund`, not against lines: the line refund itself was recorded by
 * orders.refundLines), the charge's `refunded_fen` (the database refuses more than was captured),
 * the ledger's `refundCredit` by the caller, and the provider call queued (topic `payment.refund`).
 * Idempotent by `reference`. Returns the refund row id, or null when nothing was written now.
 */
export async function refundBillChargeRow(
  trx: Db,
  input: { reference: string; billReference: string; orderId: string; amountFen: number; at: Date },
): Promise<string | null> {
  const id = newId();
  const created = await sql<{ id: string; payment_id: string }>`
    with charge as (
      select id from payments where bill_reference = ${input.billReference} and status = 'captured' for update
    ), created as (
      insert into refunds (id, payment_id, order_id, amount_fen, reason, status, reference, funder, expense, kind,
        against_lines, created_at, updated_at)
      select ${id}, charge.id, ${input.orderId}, ${input.amountFen}, 'pay_later_charge_refund', 'requested',
        ${input.reference}, 'merchant', null, 'refund', false, ${input.at}, ${input.at}
      from charge
      on conflict (reference) do nothing returning id, payment_id
    )
    select id, payment_id from created`.execute(trx);
  const row = created.rows[0];
  if (!row) return null;
  await sql`update payments set refunded_fen = refunded_fen + ${input.amountFen}, updated_at = ${input.at}
    where id = ${row.payment_id}`.execute(trx);
  return row.id;
}
