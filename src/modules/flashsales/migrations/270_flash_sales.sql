-- Flash sales (秒杀): N units of a SKU at a price for a window (flashsales module, docs/FLASH-SALES.md).
-- The units leave the SKU's sellable stock once when the sale is made (catalog's stock movement log
-- says so) and what is left goes back when it ends; in between they live in `flash_sale_shards`, K
-- rows per sale so buyers do not queue on one row, each never below zero.
create table flash_sales (
  id uuid primary key,
  store_id uuid not null,
  session_id uuid,
  sku_id uuid not null,
  product_id uuid not null,
  title text not null,
  image text not null,
  size text not null,
  color text not null,
  price_fen bigint not null check (price_fen > 0),
  list_price_fen bigint not null,
  units int not null check (units > 0),
  per_buyer_limit int not null check (per_buyer_limit > 0),
  shards int not null check (shards > 0),
  status text not null check (status in ('running', 'ended')),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  ended_at timestamptz,
  -- What went back to the SKU when it ended.
  returned_units int,
  created_by uuid not null,
  created_at timestamptz not null
);
create index flash_sales_session on flash_sales (session_id, created_at desc) where session_id is not null;
create index flash_sales_store on flash_sales (store_id, created_at desc);
create index flash_sales_running_ends on flash_sales (ends_at) where status = 'running';

-- The allotment, sharded: a buyer takes a unit from any shard with some left.
create table flash_sale_shards (
  sale_id uuid not null references flash_sales (id),
  shard int not null,
  remaining int not null check (remaining >= 0),
  primary key (sale_id, shard)
) with (fillfactor = 50);

-- Claims per buyer: at most the sale's per-buyer limit (one row per buyer and sale: the unique key).
-- No foreign key to flash_sales here nor in flash_sale_claims: its check would take a key-share lock
-- on the one sale row in every purchase (a hot row); the service writes only ids of existing sales.
create table flash_sale_buyers (
  sale_id uuid not null,
  buyer_id uuid not null,
  claimed int not null check (claimed >= 0),
  primary key (sale_id, buyer_id)
);

-- Each unit sold: the order it went to and the shard it came from; `returned_at` once the order
-- closed unpaid (the unit went back to the sale, or to the SKU after the sale ended).
create table flash_sale_claims (
  order_id uuid primary key,
  sale_id uuid not null,
  buyer_id uuid not null,
  shard int not null,
  quantity int not null,
  claimed_at timestamptz not null,
  returned_at timestamptz
);
create index flash_sale_claims_sale on flash_sale_claims (sale_id) where returned_at is null;

-- A purchase is one statement (flashsales service.ts): a refusal found after a write in it raises
-- here, and the whole statement rolls back.
create or replace function flash_refused(code text) returns boolean
language plpgsql volatile as $$
begin
  raise exception 'flash_refused %', code using errcode = 'GF001';
end;
$$;
