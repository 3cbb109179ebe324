-- After-sale becomes a flow: kinds (refund only, return and refund, exchange), quantities and amounts,
-- decisions that record the rule and actor that made them, SLA deadlines, return and replacement
-- parcels, a timeline, the operator's policy and each store's after-sale settings.
alter table aftersale_requests drop constraint aftersale_requests_reason_check;
alter table aftersale_requests add constraint aftersale_requests_reason_check check (reason in
  ('size_too_small', 'size_too_large', 'quality', 'not_as_described', 'not_received', 'changed_mind', 'other'));
alter table aftersale_requests drop constraint aftersale_requests_status_check;
alter table aftersale_requests add constraint aftersale_requests_status_check check (status in
  ('requested', 'review', 'approved', 'returning', 'refunded', 'exchanged', 'rejected', 'cancelled'));
-- One OPEN request per order line (a rejected or cancelled one may be asked again).
alter table aftersale_requests drop constraint aftersale_requests_order_id_sku_id_key;
create unique index aftersale_requests_open_line on aftersale_requests (order_id, sku_id)
  where status in ('requested', 'review', 'approved', 'returning');

alter table aftersale_requests
  add column kind text not null default 'return_refund'
    check (kind in ('refund_only', 'return_refund', 'exchange')),
  add column quantity int not null default 1 check (quantity > 0),
  add column exchange_sku_id uuid,
  add column province text not null default '',
  -- The deadline of the step the request waits in (merchant decision, buyer's return, return receipt).
  add column due_at timestamptz,
  add column decided_by_rule text,
  add column decided_by text,
  add column decided_at timestamptz,
  add column decision_note text not null default '' check (length(decision_note) <= 500),
  add column return_carrier text,
  add column return_tracking_no text,
  add column return_shipped_at timestamptz,
  add column return_received_at timestamptz,
  add column replacement_carrier text,
  add column replacement_tracking_no text,
  add column replacement_shipped_at timestamptz,
  add column refunded_fen bigint not null default 0 check (refunded_fen >= 0),
  add column shipping_subsidy_fen bigint not null default 0 check (shipping_subsidy_fen >= 0),
  add column shipping_subsidy_funder text check (shipping_subsidy_funder in ('merchant', 'platform')),
  add column closed_at timestamptz,
  add constraint aftersale_exchange_sku check ((kind = 'exchange') = (exchange_sku_id is not null));

create index aftersale_requests_due on aftersale_requests (due_at)
  where status in ('requested', 'approved', 'returning') and due_at is not null;
create index aftersale_requests_status on aftersale_requests (status, created_at desc);

-- What happened to each request, in order: the timeline buyers, merchants and operators see.
create table aftersale_events (
  id bigserial primary key,
  request_id uuid not null references aftersale_requests (id),
  action text not null,
  from_status text,
  to_status text not null,
  -- The named rule behind a decision ('low_amount_good_standing', 'sla_timeout', …), null for a person's.
  rule text,
  -- 'buyer:<id>', 'merchant:<id>', 'operator:<id>', 'system:rules', 'system:sla'.
  actor text not null,
  note text not null default '' check (length(note) <= 500),
  at timestamptz not null
);
create index aftersale_events_request on aftersale_events (request_id, id);

-- The operator's after-sale policy: one row, validated by the application (defaults when absent).
create table aftersale_policy (
  id smallint primary key check (id = 1),
  policy jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null
);

-- Each store's after-sale settings (refund-only for low-price goods, shipping insurance).
create table aftersale_store_settings (
  store_id uuid primary key references stores (id),
  low_price_refund_only boolean not null default false,
  shipping_insurance boolean not null default false,
  updated_at timestamptz not null
);
