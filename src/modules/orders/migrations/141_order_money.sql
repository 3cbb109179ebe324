-- Issue 11 (ledger): what each order and line is worth, for per-line refunds and settlement.
--
-- NOTE for pricing (migration 150): this migration already adds order_lines.list_price_fen,
-- discounts, paid_fen, platform_funded_fen and orders.platform_funded_fen with
-- `add column if not exists` (backfilled from unit_price_fen × quantity, no discounts). Add them with
-- `add column if not exists` too (and backfill/alter as needed), so the two migrations compose in
-- either merge order.

-- The commission rate is stored when the order is placed (checkout writes config.commissionBps).
alter table orders add column commission_bps int not null default 500
  check (commission_bps between 0 and 10000);
alter table orders add column payment_method text not null default 'online'
  check (payment_method in ('online', 'pay_later'));
-- When the merchant was paid for the order (ledger `settlement`); null until then.
alter table orders add column settled_at timestamptz;
-- Money the merchant funded back to the buyer (before settlement out of escrow, after it clawed back).
alter table orders add column merchant_refunded_fen bigint not null default 0 check (merchant_refunded_fen >= 0);
alter table orders add column if not exists platform_funded_fen bigint not null default 0;

alter table order_lines add column if not exists list_price_fen bigint;
update order_lines set list_price_fen = unit_price_fen where list_price_fen is null;
alter table order_lines add column if not exists discounts jsonb not null default '[]'::jsonb;
alter table order_lines add column if not exists paid_fen bigint;
update order_lines set paid_fen = unit_price_fen * quantity where paid_fen is null;
alter table order_lines alter column paid_fen set not null;
alter table order_lines add column if not exists platform_funded_fen bigint not null default 0;

alter table order_lines add column refunded_quantity int not null default 0;
alter table order_lines add column refunded_fen bigint not null default 0;
-- A line never gives back more units than were bought, nor more money than was paid for it.
alter table order_lines add constraint order_lines_refund_within_paid
  check (refunded_quantity between 0 and quantity and refunded_fen between 0 and paid_fen);

-- Orders from before: a completed order was settled when it completed; a paid order refunded
-- (in full: a buyer's cancel, a late payment) has every line refunded and nothing left to settle.
update orders set settled_at = completed_at where status = 'completed' and settled_at is null;
update order_lines ol set refunded_quantity = ol.quantity, refunded_fen = ol.paid_fen
where exists (select 1 from refunds r where r.order_id = ol.order_id);
update orders o set merchant_refunded_fen = o.total_fen, settled_at = coalesce(o.closed_at, o.created_at)
where o.paid_at is not null and o.settled_at is null and exists (select 1 from refunds r where r.order_id = o.id);

create index orders_unsettled on orders (completed_at) where settled_at is null and status = 'completed';
