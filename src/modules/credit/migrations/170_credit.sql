-- Use first, pay later (先用后付). The operator's policy (one row), which stores switched it on,
-- the buyers' bills (one per order paid on credit) and the reminders an overdue buyer is sent.

create table credit_policy (
  id smallint primary key check (id = 1),
  base_limit_fen bigint not null check (base_limit_fen >= 0),
  per_completed_order_fen bigint not null check (per_completed_order_fen >= 0),
  max_limit_fen bigint not null check (max_limit_fen >= 0),
  min_account_age_days int not null check (min_account_age_days >= 0),
  min_completed_orders int not null check (min_completed_orders >= 0),
  -- Refunded orders / finished orders above this share (basis points) and the line is closed.
  max_refund_share_bps int not null check (max_refund_share_bps between 0 and 10000),
  due_days int not null check (due_days between 0 and 365),
  reminder_days int not null check (reminder_days between 1 and 365),
  freeze_when_overdue boolean not null,
  -- What the merchant pays on a pay-later order's collected amount, outside the promotion window.
  fee_bps int not null check (fee_bps between 0 and 10000),
  promotion_starts_at timestamptz,
  promotion_ends_at timestamptz,
  updated_at timestamptz not null,
  check (promotion_starts_at is null or promotion_ends_at is null or promotion_starts_at < promotion_ends_at)
);
insert into credit_policy values
  (1, 50000, 20000, 500000, 30, 1, 3000, 15, 3, true, 60, null, null, now());

-- A store's switch (merchants' own tables are not touched).
create table credit_store_settings (
  store_id uuid primary key,
  pay_later_enabled boolean not null,
  updated_at timestamptz not null
);

-- One bill per order paid on credit. `amount_fen` is what is still owed (the order's total less
-- its refunds, refreshed by the sweep); 0 before the charge closes the bill.
create table credit_bills (
  id uuid primary key,
  checkout_id uuid not null,
  order_id uuid not null unique,
  buyer_id uuid not null,
  store_id uuid not null,
  original_fen bigint not null check (original_fen > 0),
  amount_fen bigint not null check (amount_fen >= 0 and amount_fen <= original_fen),
  fee_bps int not null check (fee_bps between 0 and 10000),
  status text not null check (status in ('open', 'charging', 'paid', 'overdue', 'closed')),
  due_at timestamptz,
  charged_fen bigint not null default 0 check (charged_fen >= 0),
  charge_attempts int not null default 0,
  last_reminded_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  paid_at timestamptz,
  closed_at timestamptz
);
create index credit_bills_buyer on credit_bills (buyer_id, created_at desc);
create index credit_bills_live on credit_bills (status, due_at) where status in ('open', 'charging', 'overdue');

-- Reminders of an overdue bill: notifications the buyer sees in the app (and an SMS would carry).
create table credit_reminders (
  id bigserial primary key,
  bill_id uuid not null references credit_bills (id),
  buyer_id uuid not null,
  amount_fen bigint not null,
  days_overdue int not null,
  created_at timestamptz not null
);
create index credit_reminders_buyer on credit_reminders (buyer_id, created_at desc);
