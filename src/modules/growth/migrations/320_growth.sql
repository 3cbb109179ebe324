-- The newbie village (商家新手村): one row per store and step done. The row is written in the same
-- transaction as the step's reward, with `on conflict do nothing`, so a reward is granted once even
-- when an event is redelivered and the periodic check runs in two processes at once.
create table growth_village_steps (
  store_id uuid not null,
  step text not null check (step in ('profile', 'first_product', 'size_chart', 'first_video', 'first_live',
                                     'first_order', 'first_shipment', 'first_good_review')),
  done_at timestamptz not null,
  reward_kind text not null check (reward_kind in ('traffic', 'fee_free', 'none')),
  -- traffic: impressions granted; fee_free: the days of the commission rebate programme joined.
  reward_amount int not null default 0 check (reward_amount >= 0),
  primary key (store_id, step)
);

-- Incentive programmes as data (operators). `remaining_fen` is the budget not yet paid: a payout takes
-- from it with a conditional update in the ledger entry's transaction, so it never goes below zero.
create table growth_programmes (
  id uuid primary key,
  name text not null check (length(name) between 1 and 60),
  kind text not null check (kind in ('first_sale_gmv', 'commission_rebate')),
  -- Stores opened at most this many days before their first paid order are eligible.
  eligible_store_days int not null check (eligible_store_days between 1 and 3650),
  period_days int not null check (period_days between 1 and 365),
  rate_bps int not null check (rate_bps between 1 and 10000),
  cap_fen bigint not null check (cap_fen > 0),
  budget_fen bigint not null check (budget_fen > 0),
  remaining_fen bigint not null check (remaining_fen >= 0 and remaining_fen <= budget_fen),
  status text not null check (status in ('active', 'paused', 'exhausted', 'ended')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- A store in a programme: its period starts at its first paid order. Settled once (status moves from
-- accruing only by a conditional update) at the period's end.
create table growth_incentives (
  programme_id uuid not null references growth_programmes (id),
  store_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'accruing' check (status in ('accruing', 'paid', 'exhausted', 'nothing')),
  gmv_fen bigint not null default 0,
  refunds_fen bigint not null default 0,
  earned_fen bigint not null default 0,
  paid_fen bigint not null default 0,
  settled_at timestamptz,
  primary key (programme_id, store_id)
);
create index growth_incentives_due on growth_incentives (ends_at) where status = 'accruing';
create index growth_incentives_store on growth_incentives (store_id);

-- Paid orders as growth needs them (from order.paid: one row per order, so redelivery counts once),
-- and what went back to the buyer on them (whole-order refunds/cancellations, after-sale refunds).
create table growth_orders (
  order_id uuid primary key,
  store_id uuid not null,
  total_fen bigint not null,
  paid_at timestamptz not null,
  refunded_in_full boolean not null default false
);
create index growth_orders_store on growth_orders (store_id, paid_at);

create table growth_refunds (
  request_id uuid primary key,
  order_id uuid not null,
  amount_fen bigint not null
);
create index growth_refunds_order on growth_refunds (order_id);

-- The default programmes, so a fresh install pays new stores without an operator's setup first.
insert into growth_programmes (id, name, kind, eligible_store_days, period_days, rate_bps, cap_fen, budget_fen,
                               remaining_fen, status, created_at, updated_at)
values ('5e0c2a52-6a37-4b4e-9d0e-8f0b6f1a0001', '首销GMV激励', 'first_sale_gmv', 90, 30, 500, 200000,
        100000000, 100000000, 'active', now(), now()),
       ('5e0c2a52-6a37-4b4e-9d0e-8f0b6f1a0002', '新商免佣期', 'commission_rebate', 90, 30, 500, 500000,
        100000000, 100000000, 'active', now(), now());
