import { preparedStatement } from '../../platform/prepared.ts';

/**
 * The webhook receipt path's statements, prepared (fixed text; every provider event runs one or
 * two). Each starts with the event's dedupe row: `fresh` is empty when the event was seen before,
 * and then its effect does nothing. Common parameters: $1 event id, $2 event type, $3 the event
 * (jsonb), $4 now.
 */
const FRESH = `fresh as (
  insert into webhook_events (event_id, type, payload, received_at)
  values ($1::text, $2::text, $3::jsonb, $4::timestamptz)
  on conflict do nothing returning event_id
)`;

/**
 * payment.authorized: $5 payment id, $6 provider reference; created → authorized, and the capture
 * queued for the subscribers $7 (topic payment.capture, payload $8) only when it moved.
 */
export const authorizedStatement = preparedStatement<{ fresh: number }>(
  'payments.webhook-authorized',
  `with ${FRESH}, moved as (
  update payments set status = 'authorized', provider_ref = coalesce(provider_ref, $6::text), updated_at = $4::timestamptz
  where id = $5::uuid and status = 'created' and exists (select 1 from fresh) returning id
), queued as (
  insert into outbox (topic, subscriber, payload, run_at)
  select 'payment.capture', s.name, $8::jsonb, $4::timestamptz
  from moved cross join unnest($7::text[]) as s(name)
)
select count(*)::int as fresh from fresh`,
);

/** payment.failed: $5 payment id, $6 provider reference, $7 failure reason. */
export const failedStatement = preparedStatement<{ fresh: number }>(
  'payments.webhook-failed',
  `with ${FRESH}, moved as (
  update payments set status = 'failed', provider_ref = coalesce(provider_ref, $6::text),
    failure_reason = $7::text, updated_at = $4::timestamptz
  where id = $5::uuid and status in ('created', 'authorized') and exists (select 1 from fresh)
)
select count(*)::int as fresh from fresh`,
);

/** refund.succeeded ($7 = 'refund') or payout.succeeded ($7 = 'payout'): $5 refund id, $6 provider reference. */
export const refundSucceededStatement = preparedStatement<{ fresh: number }>(
  'payments.webhook-refund-succeeded',
  `with ${FRESH}, moved as (
  update refunds set status = 'succeeded', provider_ref = $6::text, updated_at = $4::timestamptz
  where id = $5::uuid and paid_as = $7::text and status = 'requested' and exists (select 1 from fresh)
)
select count(*)::int as fresh from fresh`,
);

/** payment.captured, first statement of its transaction: $5 payment id, $6 provider reference. */
export const capturedStatement = preparedStatement<{
  fresh: number;
  checkout_id: string | null;
  bill_reference: string | null;
  amount_fen: number | null;
}>(
  'payments.webhook-captured',
  `with ${FRESH}, moved as (
  update payments set status = 'captured', provider_ref = coalesce(provider_ref, $6::text), updated_at = $4::timestamptz
  where id = $5::uuid and status in ('created', 'authorized') and exists (select 1 from fresh)
  returning checkout_id, bill_reference, amount_fen
)
select (select count(*)::int from fresh) as fresh, m.checkout_id, m.bill_reference, m.amount_fen
from (select 1) as one left join moved m on true`,
);

/** What a payment event is checked against: payment $1. */
export const paymentExpectedStatement = preparedStatement<{
  amountFen: number;
  currency: string;
  providerRef: string | null;
}>(
  'payments.webhook-expected-payment',
  `select amount_fen::bigint as "amountFen", currency, provider_ref as "providerRef"
  from payments where id = $1::uuid`,
);

/** What a refund or payout event is checked against: refund $1 of payment $2, paid as $3. */
export const refundExpectedStatement = preparedStatement<{
  amountFen: number;
  currency: string;
  providerRef: string | null;
}>(
  'payments.webhook-expected-refund',
  `select r.amount_fen::bigint as "amountFen", p.currency, p.provider_ref as "providerRef"
  from refunds r join payments p on p.id = r.payment_id
  where r.id = $1::uuid and r.payment_id = $2::uuid and r.paid_as = $3::text`,
);
