-- An anonymous viewer (the `gravity_viewer` cookie) who signed in: their anonymous impressions count as
-- shown to that buyer (clicks, add-to-carts and order credit after signing in on the product page).
-- One row per anonymous id (the latest buyer seen with it), so the table grows with viewers, not requests.
create table traffic_viewer_links (
  anon_id uuid primary key,
  buyer_id uuid not null,
  linked_at timestamptz not null
);
create index traffic_viewer_links_buyer on traffic_viewer_links (buyer_id);

-- A cancelled or refunded order may arrive before its order.placed was noted: it is kept (reversed, no
-- buyer known) so a late payment credit is skipped.
alter table traffic_orders alter column buyer_id drop not null;

-- A contract's window within its day: a cold-start minimum starts when the store is first planned (its
-- first day is prorated by the share of the day left) and ends at the store's `newUntil` when that falls
-- within the day (no cold-start boost after it). Null = the day's start / end.
alter table traffic_contracts add column starts_at timestamptz, add column ends_at timestamptz;
