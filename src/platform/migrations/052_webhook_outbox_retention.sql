-- Platform part of migration 052_webhook_outbox_retention (the payments module created it before
-- the platform had migrations of its own; same name, so a database that ran it does not run it again).
-- Retention deletes done outbox jobs by age in small batches.
create index outbox_done on outbox (done_at) where done_at is not null;

-- Outbox jobs (platform/outbox.ts) that failed too often: kept with their last error for an
-- operator, who can send one back to the outbox; the id is the job's outbox id.
create table outbox_dead_letters (
  id bigint primary key,
  topic text not null,
  payload jsonb not null,
  attempts int not null,
  last_error text not null,
  failed_at timestamptz not null
);
create index outbox_dead_letters_failed on outbox_dead_letters (failed_at desc, id desc);
