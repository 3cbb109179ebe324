-- 0-yuan store opening: no fee and no deposit are recorded explicitly, so the promise is auditable.
create table stores (
  id uuid primary key,
  owner_account_id uuid not null unique references accounts (id),
  name text not null unique,
  description text not null default '',
  logo_url text not null default '',
  contact_phone text not null default '',
  business_type text not null default 'apparel' check (business_type in ('apparel', 'food', 'general')),
  opening_fee_fen bigint not null default 0 check (opening_fee_fen = 0),
  deposit_fen bigint not null default 0 check (deposit_fen = 0),
  status text not null default 'open' check (status in ('open', 'suspended')),
  opened_at timestamptz not null
);

create table store_staff (
  store_id uuid not null references stores (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  staff_role text not null default 'owner' check (staff_role in ('owner', 'staff')),
  primary key (store_id, account_id)
);
create index store_staff_account on store_staff (account_id);
