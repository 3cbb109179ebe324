-- Platform part of migration 005_orders (the orders module created it before the platform had
-- migrations of its own; same name, so a database that ran it does not run it again).
-- Idempotency keys for POSTs that move money or stock: the first answer is replayed;
-- the same key with a different request body is a conflict.
create table idempotency_keys (
  account_id uuid not null,
  scope text not null,
  key text not null,
  request_hash text not null,
  status_code int not null,
  response jsonb not null,
  created_at timestamptz not null,
  primary key (account_id, scope, key)
);
