-- The ops overview's order figures, fed by the orders' events (order.placed, order.paid,
-- order.cancelled) instead of read from the orders table: one row per order with what was heard,
-- so a redelivered event, or events heard out of order, count once and right.
create table ops_order_figures (
  order_id uuid primary key,
  placed boolean not null default false,
  paid boolean not null default false,
  cancelled_after_paid boolean not null default false,
  total_fen bigint not null default 0
);
-- Orders before the figures became subscribers (read once, here, from the orders table).
insert into ops_order_figures (order_id, placed, paid, cancelled_after_paid, total_fen)
select id, true, paid_at is not null, paid_at is not null and status = 'cancelled', total_fen from orders;
