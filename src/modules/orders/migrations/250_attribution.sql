-- Attribution (issue 13): where the buyer came from, carried from the click through checkout so every
-- order line is credited to the traffic that produced it (src/platform/attribution.ts). The channel is
-- the surface (feed, search, store, video, live, replay, direct), `impression_id` the feed impression
-- clicked (traffic module; its format only is checked here), `content_id` the short video, live
-- session or replay clip. Rows from before this change came from nowhere known: 'direct', nulls.
-- Adding a column with a constant default rewrites no rows.
alter table cart_items
  add column channel text not null default 'direct'
    check (channel in ('feed', 'search', 'store', 'video', 'live', 'replay', 'direct')),
  add column impression_id uuid,
  add column content_id uuid;

alter table checkouts
  add column channel text not null default 'direct'
    check (channel in ('feed', 'search', 'store', 'video', 'live', 'replay', 'direct')),
  add column impression_id uuid,
  add column content_id uuid;

alter table orders
  add column channel text not null default 'direct'
    check (channel in ('feed', 'search', 'store', 'video', 'live', 'replay', 'direct')),
  add column impression_id uuid,
  add column content_id uuid;

alter table order_lines
  add column channel text not null default 'direct'
    check (channel in ('feed', 'search', 'store', 'video', 'live', 'replay', 'direct')),
  add column impression_id uuid,
  add column content_id uuid;
