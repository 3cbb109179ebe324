-- An order line's money (issue 11): list price per unit, each discount with its funder, what the
-- buyer paid for the line, and the platform-funded part. The ledger's migration adds some of these
-- too; `if not exists` lets either come first.
alter table order_lines
  add column if not exists list_price_fen bigint,
  add column if not exists discounts jsonb not null default '[]'::jsonb,
  add column if not exists paid_fen bigint,
  add column if not exists platform_funded_fen bigint not null default 0;
update order_lines set list_price_fen = unit_price_fen where list_price_fen is null;
update order_lines set paid_fen = unit_price_fen * quantity where paid_fen is null;
alter table orders add column if not exists platform_funded_fen bigint not null default 0;
