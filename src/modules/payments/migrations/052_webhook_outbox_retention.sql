-- Retention deletes webhook events by age in small batches (the outbox part of this migration is
-- the platform's: src/platform/migrations/052_webhook_outbox_retention.sql).
create index webhook_events_received on webhook_events (received_at);
