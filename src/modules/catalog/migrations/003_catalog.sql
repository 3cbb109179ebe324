-- Two-level category tree: a root (parent_id null) and its leaves.
create table categories (
  id text primary key,
  parent_id text references categories (id),
  name_zh text not null,
  name_en text not null,
  sort int not null default 0,
  is_apparel boolean not null default false
);

create table products (
  id uuid primary key,
  store_id uuid not null references stores (id),
  category_id text not null references categories (id),
  title text not null check (length(title) between 1 and 120),
  description text not null default '',
  images jsonb not null default '[]',
  status text not null default 'on_sale' check (status in ('on_sale', 'off_sale')),
  -- Garment measurements in cm per size label, e.g. {"M": {"chest": 100, "length": 68}}.
  size_chart jsonb,
  fit_type text check (fit_type in ('slim', 'regular', 'loose')),
  brand text not null default '',
  sales int not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index products_store on products (store_id, created_at desc);
create index products_category on products (category_id, created_at desc);
create index products_listing on products (status, created_at desc);

create table skus (
  id uuid primary key,
  product_id uuid not null references products (id) on delete cascade,
  size text not null default '',
  color text not null default '',
  price_fen bigint not null check (price_fen > 0),
  -- Stock can never go below zero, whatever the code above does.
  stock int not null check (stock >= 0),
  unique (product_id, size, color)
);
create index skus_product on skus (product_id);
