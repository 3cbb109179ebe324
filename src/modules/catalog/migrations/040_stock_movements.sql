-- Stock is kept as two numbers per SKU: `stock` is what can still be sold (sellable) and `reserved`
-- counts units promised to orders that have not shipped yet (waiting for payment, or paid). On hand,
-- what is on the shelf, is stock + reserved. Checkout moves units from stock to reserved; a cancel or
-- expiry moves them back; shipping takes them off the shelf (reserved and on hand both drop).
-- Merchants change on hand by relative adjustments, or by an absolute count that carries the
-- `stock_version` it was read at (bumped by every change), so a sale in between is never overwritten.
alter table skus add column reserved int not null default 0 check (reserved >= 0);
alter table skus add column stock_version bigint not null default 0;

-- Until now reservations were only implicit (already taken out of `stock`): count them once, from the
-- orders that hold stock, so cancels and shipments of those orders find their units reserved.
update skus s set reserved = h.qty
from (select l.sku_id, sum(l.quantity)::int as qty
      from order_lines l join orders o on o.id = l.order_id
      where o.status in ('pending_payment', 'paid')
      group by l.sku_id) h
where s.id = h.sku_id;

-- Every change of a SKU's stock, append-only: who, why, the deltas and the numbers it left.
create table stock_movements (
  id bigint generated always as identity primary key,
  sku_id uuid not null references skus (id) on delete cascade,
  at timestamptz not null,
  kind text not null check (kind in ('initial', 'adjust', 'set', 'reserve', 'release', 'capture')),
  -- 'merchant:<account>', 'buyer:<account>', 'system:expiry'.
  actor text not null,
  -- The merchant's words for an adjustment, or what caused it (order_cancelled, order_shipped …).
  reason text not null default '',
  -- The checkout or order behind a movement, when there is one.
  ref uuid,
  on_hand_delta int not null,
  reserved_delta int not null,
  on_hand int not null check (on_hand >= 0),
  reserved int not null check (reserved >= 0),
  -- A merchant's adjustment sent again with the same Idempotency-Key is applied once.
  idempotency_key text,
  unique (sku_id, idempotency_key)
);
create index stock_movements_sku on stock_movements (sku_id, id desc);
