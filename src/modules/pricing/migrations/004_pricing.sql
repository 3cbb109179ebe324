-- Every price a SKU has had, with when it started; price protection reads this.
create table price_history (
  id bigserial primary key,
  sku_id uuid not null references skus (id) on delete cascade,
  price_fen bigint not null check (price_fen > 0),
  effective_at timestamptz not null
);
create index price_history_sku on price_history (sku_id, effective_at desc);
