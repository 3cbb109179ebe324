-- The merchant dashboard sums a store's orders by the day they were paid (last 30 days).
create index orders_store_paid on orders (store_id, paid_at) where paid_at is not null;
