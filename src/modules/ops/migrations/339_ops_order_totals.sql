-- The overview's order figures as running totals, moved in the transaction that changes an order's
-- row of ops_order_figures (by the difference it makes), so the overview reads 16 rows instead of
-- aggregating every order. Spread over slots by order so concurrent events do not queue on one row.
create table ops_order_totals (
  slot smallint primary key check (slot between 0 and 15),
  orders bigint not null default 0,
  paid_orders bigint not null default 0,
  gmv_fen bigint not null default 0
);
insert into ops_order_totals (slot) select generate_series(0, 15);
update ops_order_totals t set orders = f.orders, paid_orders = f.paid_orders, gmv_fen = f.gmv_fen
from (
  select count(*) filter (where placed) as orders,
         count(*) filter (where paid and not cancelled_after_paid) as paid_orders,
         coalesce(sum(total_fen) filter (where paid and not cancelled_after_paid), 0) as gmv_fen
  from ops_order_figures
) f
where t.slot = 0;
