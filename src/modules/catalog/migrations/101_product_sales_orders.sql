-- The sales counter (products.sales) is kept by catalog's subscribers to order.paid and
-- order.cancelled, which run at least once and in any order: this row per order is how each
-- order is counted once (sold adds, a cancel after paying takes it back, whatever came first).
create table product_sales_orders (
  order_id uuid primary key,
  sold boolean not null default false,
  returned boolean not null default false
);
-- Orders counted before the counter became a subscriber (read once, here, from the orders table).
insert into product_sales_orders (order_id, sold, returned)
select id, true, status = 'cancelled' from orders where paid_at is not null;
