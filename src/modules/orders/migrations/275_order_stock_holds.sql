-- Orders whose stock is held by another module (a flash sale's allotment), not by the SKU's own
-- sellable stock: when such an order closes unpaid (expired, cancelled) or is refunded before it
-- ships, its units go back to the holder while the holder still holds them (the sale runs), else to
-- the SKU. `released_at` makes that happen exactly once per order (held-orders.ts).
create table order_stock_holds (
  order_id uuid primary key references orders (id),
  holder text not null,
  hold_id uuid not null,
  sku_id uuid not null,
  quantity int not null check (quantity > 0),
  released_at timestamptz
);
create index order_stock_holds_hold on order_stock_holds (hold_id);
