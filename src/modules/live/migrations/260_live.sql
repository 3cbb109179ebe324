-- Live sessions (live module): a store's scheduled broadcast, its products, the product being presented
-- (pinned), and a secret stream key the publisher (OBS/ffmpeg) authenticates with; never shown to buyers.
create table live_sessions (
  id uuid primary key,
  store_id uuid not null,
  title text not null,
  cover text,
  scheduled_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended', 'cancelled')),
  started_at timestamptz,
  ended_at timestamptz,
  product_ids uuid[] not null default '{}',
  pinned_product_id uuid,
  stream_key text not null unique,
  peak_viewers int not null default 0,
  created_at timestamptz not null
);
create index live_sessions_store on live_sessions (store_id, scheduled_at desc);
create index live_sessions_status on live_sessions (status, scheduled_at);

-- A buyer's reservation (预约): once per buyer and session; `source_video_id` when made from a
-- reservation video (the loop's first step).
create table live_reservations (
  session_id uuid not null references live_sessions (id),
  buyer_id uuid not null,
  source_video_id uuid,
  created_at timestamptz not null,
  primary key (session_id, buyer_id)
);
create index live_reservations_buyer on live_reservations (buyer_id);

-- Unique viewers of a session: the account, or an anonymous key per client.
create table live_viewers (
  session_id uuid not null references live_sessions (id),
  viewer_key text not null,
  first_seen timestamptz not null,
  primary key (session_id, viewer_key)
);

-- When each product was presented (讲解中): replays suggest clips from these intervals.
create table live_pins (
  id bigint generated always as identity primary key,
  session_id uuid not null references live_sessions (id),
  product_id uuid not null,
  pinned_at timestamptz not null,
  unpinned_at timestamptz
);
create index live_pins_session on live_pins (session_id, pinned_at);

create table live_comments (
  id uuid primary key,
  session_id uuid not null references live_sessions (id),
  author_id uuid not null,
  name text not null,
  text text not null,
  created_at timestamptz not null
);
create index live_comments_session on live_comments (session_id, created_at desc);

-- Paid order lines attributed to a session (channel live, contentId = session), from `order.paid`:
-- the console's orders and GMV and the sales ticker; the key makes the subscriber idempotent.
create table live_sales (
  session_id uuid not null references live_sessions (id),
  order_id uuid not null,
  sku_id uuid not null,
  product_id uuid not null,
  quantity int not null,
  amount_fen bigint not null,
  paid_at timestamptz not null,
  primary key (session_id, order_id, sku_id)
);
