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
