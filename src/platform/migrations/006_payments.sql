-- Platform part of migration 006_payments (the payments module created it before the platform had
-- migrations of its own; same name, so a database that ran it does not run it again).
-- Work to do after a commit (calls to the provider), claimed with FOR UPDATE SKIP LOCKED.
create table outbox (
  id bigserial primary key,
  topic text not null,
  payload jsonb not null,
  run_at timestamptz not null,
  attempts int not null default 0,
  last_error text,
  done_at timestamptz
);
create index outbox_due on outbox (run_at) where done_at is null;
