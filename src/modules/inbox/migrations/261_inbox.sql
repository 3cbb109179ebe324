-- A buyer's notification centre (inbox module): notices kept here and pushed live on `buyer:<id>`.
-- `dedupe_key` makes a notice once per account for one cause (an event delivered twice notifies once).
create table inbox_notices (
  id uuid primary key,
  account_id uuid not null,
  kind text not null,
  title text not null,
  body text not null,
  link text,
  dedupe_key text,
  created_at timestamptz not null,
  read_at timestamptz
);
create index inbox_notices_account on inbox_notices (account_id, created_at desc);
create unique index inbox_notices_dedupe on inbox_notices (account_id, dedupe_key) where dedupe_key is not null;
