-- Retention deletes idempotency keys by age in small batches.
create index idempotency_keys_created on idempotency_keys (created_at);
