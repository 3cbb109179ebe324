-- A buyer's address book: saved delivery addresses, one of them the default. Orders keep their own
-- snapshot of the address they were placed with, so editing or deleting here changes no order.
create table buyer_addresses (
  id uuid primary key,
  account_id uuid not null references accounts (id),
  name text not null check (length(name) between 1 and 40),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  province text not null check (length(province) between 1 and 40),
  city text not null check (length(city) between 1 and 40),
  district text not null check (length(district) between 1 and 40),
  detail text not null check (length(detail) between 1 and 200),
  is_default boolean not null default false,
  -- Save order: two addresses saved within one clock tick still have a newest.
  saved_seq bigint generated always as identity,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index buyer_addresses_account on buyer_addresses (account_id, saved_seq);
-- At most one default per buyer.
create unique index buyer_addresses_one_default on buyer_addresses (account_id) where is_default;
