import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { AnomalyPage, AnomalyView } from './api-schema.ts';
import type { ProviderEvent } from './provider.ts';
import { paymentExpectedStatement, refundExpectedStatement } from './webhook-statements.ts';

/** Why a well-signed provider event is not applied. */
export type AnomalyKind =
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'provider_ref_mismatch'
  | 'unknown_payment'
  | 'unknown_refund';

export interface EventMismatch {
  kind: AnomalyKind;
  paymentId: string | null;
  refundId: string | null;
  expectedAmountFen: number | null;
  expectedCurrency: string | null;
  expectedProviderRef: string | null;
}

interface Expected {
  amountFen: number;
  currency: string;
  providerRef: string | null;
}

/** The first thing an event gets wrong about `expected` (null when it matches): a pure rule. */
export function mismatchKind(
  received: { amountFen: number; currency: string; providerRef: string },
  expected: Expected,
): AnomalyKind | null {
  if (received.currency !== expected.currency) return 'currency_mismatch';
  if (received.amountFen !== expected.amountFen) return 'amount_mismatch';
  if (expected.providerRef !== null && received.providerRef !== expected.providerRef) {
    return 'provider_ref_mismatch';
  }
  return null;
}

/**
 * Compares an event with what it names, in one query: a payment event with the payment (amount,
 * currency, provider reference), a refund event with the refund (its amount, its payment's currency
 * and reference). Returns the mismatch, or null when the event may be applied.
 */
export async function findMismatch(db: Db, event: ProviderEvent): Promise<EventMismatch | null> {
  const { paymentId } = event.data;
  // A payout is a `refunds` row too (paid_as = payout): its anomalies name it as the refund id.
  const payout = event.type === 'payout.succeeded' || event.type === 'payout.failed';
  const moneyOut = event.type === 'refund.succeeded' || payout;
  const paidAs = payout ? 'payout' : 'refund';
  const refundId = moneyOut ? ((payout ? event.data.payoutId : event.data.refundId) ?? null) : null;
  const rows = moneyOut
    ? await refundExpectedStatement.execute(db, [refundId, paymentId, paidAs])
    : await paymentExpectedStatement.execute(db, [paymentId]);
  const found = rows.rows[0];
  const base = { paymentId, refundId };
  if (!found) {
    const kind = moneyOut ? 'unknown_refund' : 'unknown_payment';
    return { ...base, kind, expectedAmountFen: null, expectedCurrency: null, expectedProviderRef: null };
  }
  const expected = { ...found, amountFen: Number(found.amountFen) };
  const kind = mismatchKind(event.data, expected);
  if (!kind) return null;
  return {
    ...base,
    kind,
    expectedAmountFen: expected.amountFen,
    expectedCurrency: expected.currency,
    expectedProviderRef: expected.providerRef,
  };
}

export type { AnomalyView };

export async function listAnomalies(db: Db, page: number, pageSize: number): Promise<AnomalyPage> {
  const total = await sql<{ n: number }>`select count(*)::int as n from payment_anomalies`.execute(db);
  const rows = await sql<{
    id: number;
    event_id: string;
    event_type: string;
    kind: AnomalyKind;
    payment_id: string | null;
    refund_id: string | null;
    expected_amount_fen: number | null;
    received_amount_fen: number;
    expected_currency: string | null;
    received_currency: string;
    received_at: Date;
  }>`
    select id, event_id, event_type, kind, payment_id, refund_id, expected_amount_fen, received_amount_fen,
           expected_currency, received_currency, received_at
    from payment_anomalies order by received_at desc, id desc
    limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  const items: AnomalyView[] = rows.rows.map((r) => ({
    id: Number(r.id),
    eventId: r.event_id,
    eventType: r.event_type,
    kind: r.kind,
    paymentId: r.payment_id,
    refundId: r.refund_id,
    expectedAmountFen: r.expected_amount_fen === null ? null : Number(r.expected_amount_fen),
    receivedAmountFen: Number(r.received_amount_fen),
    expectedCurrency: r.expected_currency,
    receivedCurrency: r.received_currency,
    receivedAt: new Date(r.received_at).toISOString(),
  }));
  return { items, total: total.rows[0]?.n ?? 0, page, pageSize };
}
