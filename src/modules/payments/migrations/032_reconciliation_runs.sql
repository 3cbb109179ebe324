-- Each reconciliation of our payments, refunds and ledger against the provider's own records.
create table reconciliation_runs (
  id uuid primary key,
  -- Order of the runs (times can tie under a test clock).
  seq bigserial not null unique,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  trigger text not null check (trigger in ('schedule', 'cli', 'ops')),
  payments_checked int not null,
  refunds_checked int not null,
  provider_charges int not null,
  provider_refunds int not null,
  in_flight int not null,
  ledger_provider_fen bigint not null,
  provider_net_fen bigint not null,
  difference_count int not null,
  -- The differences themselves (at most the first 500; difference_count has them all).
  differences jsonb not null
);
