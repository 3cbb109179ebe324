-- Which orders a payment covers: the orders of its checkout still waiting to be paid when it was
-- created (an order cancelled before paying is left out, so the rest of the checkout can be paid).
-- Capture, refunds and settlement act on these orders; the payment's amount is their sum.
create table payment_orders (
  payment_id uuid not null references payments (id),
  order_id uuid not null references orders (id),
  amount_fen bigint not null check (amount_fen > 0),
  primary key (payment_id, order_id)
);
create index payment_orders_order on payment_orders (order_id);

-- Payments made before this table covered every order of their checkout.
insert into payment_orders (payment_id, order_id, amount_fen)
select p.id, o.id, o.total_fen from payments p join orders o on o.checkout_id = p.checkout_id;
