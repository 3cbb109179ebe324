create table payments (
  id uuid primary key,
  checkout_id uuid not null references checkouts (id),
  buyer_id uuid not null references accounts (id),
  amount_fen bigint not null check (amount_fen > 0),
  status text not null check (status in ('created', 'authorized', 'captured', 'failed')),
  provider_ref text,
  failure_reason text,
  refunded_fen bigint not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- A refund can never exceed what was captured.
  check (refunded_fen >= 0 and refunded_fen <= amount_fen)
);
-- At most one live (not failed) payment per checkout: no double charge.
create unique index payments_one_live_per_checkout on payments (checkout_id) where status <> 'failed';
create index payments_provider_ref on payments (provider_ref);
create index payments_checkout on payments (checkout_id, created_at desc);
-- Recovery looks for intents recorded but never sent to the provider.
create index payments_unsent on payments (created_at) where status = 'created' and provider_ref is null;

create table refunds (
  id uuid primary key,
  payment_id uuid not null references payments (id),
  order_id uuid not null references orders (id),
  amount_fen bigint not null check (amount_fen > 0),
  reason text not null,
  status text not null check (status in ('requested', 'succeeded', 'failed')),
  provider_ref text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (order_id, reason)
);
create index refunds_payment on refunds (payment_id);

-- Provider webhooks, deduplicated by the provider's event id.
create table webhook_events (
  event_id text primary key,
  type text not null,
  payload jsonb not null,
  received_at timestamptz not null
);

-- Double-entry ledger. Amounts are signed fen; every transaction sums to zero.
-- Accounts: provider_clearing (money held at the payment provider), order_escrow (buyer money held
-- until the order completes), merchant_payable:<store id>, platform_revenue.
create table ledger_transactions (
  id uuid primary key,
  kind text not null check (kind in ('payment', 'settlement', 'refund')),
  reference text not null,
  created_at timestamptz not null,
  unique (kind, reference)
);

create table ledger_entries (
  id bigserial primary key,
  transaction_id uuid not null references ledger_transactions (id),
  account text not null,
  amount_fen bigint not null check (amount_fen <> 0)
);
create index ledger_entries_tx on ledger_entries (transaction_id);
create index ledger_entries_account on ledger_entries (account);

-- Checked at commit: a transaction whose entries do not sum to zero cannot be written.
create function ledger_check_balanced() returns trigger language plpgsql as $$
declare
  total bigint;
begin
  select coalesce(sum(amount_fen), 0) into total from ledger_entries where transaction_id = new.transaction_id;
  if total <> 0 then
    raise exception 'ledger transaction % is unbalanced by % fen', new.transaction_id, total;
  end if;
  return null;
end;
$$;

create constraint trigger ledger_entries_balanced
  after insert or update on ledger_entries
  deferrable initially deferred
  for each row execute function ledger_check_balanced();
