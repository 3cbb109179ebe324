create table accounts (
  id uuid primary key,
  phone text not null unique,
  role text not null check (role in ('buyer', 'merchant', 'operator')),
  nickname text not null default '',
  created_at timestamptz not null default now()
);

-- Sandbox SMS codes: only a hash is stored; attempts count wrong guesses.
create table sms_codes (
  id uuid primary key,
  phone text not null,
  code_hash text not null,
  attempts int not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index sms_codes_phone_created on sms_codes (phone, created_at desc);

create table sessions (
  token_hash text primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_account on sessions (account_id);
