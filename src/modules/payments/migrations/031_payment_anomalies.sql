-- Money is in fen of one currency; a payment says which, so every provider event can be checked against it.
alter table payments add column currency text not null default 'CNY' check (currency ~ '^[A-Z]{3}$');

-- Provider events that do not match the payment (or refund) they name: recorded and alerted,
-- never applied. One row per event id.
create table payment_anomalies (
  id bigserial primary key,
  event_id text not null unique,
  event_type text not null,
  payment_id uuid,
  refund_id uuid,
  kind text not null check (kind in ('amount_mismatch', 'currency_mismatch', 'provider_ref_mismatch', 'unknown_payment', 'unknown_refund')),
  expected_amount_fen bigint,
  received_amount_fen bigint not null,
  expected_currency text,
  received_currency text not null,
  payload jsonb not null,
  received_at timestamptz not null
);
create index payment_anomalies_recent on payment_anomalies (received_at desc, id desc);

-- The sandbox provider's own record of the currency it charged in (its tables stand for the outside world).
alter table sandbox_provider_charges add column currency text not null default 'CNY';
