-- An order is not settled to the merchant while a hold is on it (an open after-sale request):
-- confirming receipt completes it, and the settlement waits until the last hold is released.
create table order_settlement_holds (
  order_id uuid not null references orders (id),
  ref text not null,
  created_at timestamptz not null,
  primary key (order_id, ref)
);
