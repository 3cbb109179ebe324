-- The sandbox payment provider stands in for an outside system, so it keeps its own state here,
-- in tables no platform module reads. Authorize is idempotent on our payment id (merchant_reference).
create table sandbox_provider_charges (
  id text primary key,
  merchant_reference text not null unique,
  amount_fen bigint not null check (amount_fen > 0),
  status text not null check (status in ('authorized', 'failed', 'captured')),
  failure_reason text,
  captured_fen bigint not null default 0,
  refunded_fen bigint not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (captured_fen between 0 and amount_fen),
  check (refunded_fen between 0 and captured_fen)
);

-- Refunds are idempotent on our refund id.
create table sandbox_provider_refunds (
  id text primary key,
  charge_id text not null references sandbox_provider_charges (id),
  merchant_reference text not null unique,
  amount_fen bigint not null check (amount_fen > 0),
  created_at timestamptz not null
);

-- Webhooks the provider still has to deliver (retried until answered 2xx). A replay is a second
-- delivery of the same event id.
create table sandbox_provider_webhooks (
  id bigserial primary key,
  event_id text not null,
  type text not null,
  payload jsonb not null,
  is_replay boolean not null default false,
  deliver_at timestamptz not null,
  delivered_at timestamptz,
  attempts int not null default 0,
  last_status int
);
create index sandbox_provider_webhooks_due on sandbox_provider_webhooks (deliver_at) where delivered_at is null;
