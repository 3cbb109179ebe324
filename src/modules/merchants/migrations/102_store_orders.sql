-- Orders per store for the ops merchant list, kept by merchants' subscriber to order.placed (one
-- row per order, so a redelivered event counts once).
create table store_orders (
  order_id uuid primary key,
  store_id uuid not null
);
create index store_orders_store on store_orders (store_id);
-- Orders placed before the count became a subscriber (read once, here, from the orders table).
insert into store_orders (order_id, store_id) select id, store_id from orders;
