-- Short videos (videos module): a merchant's uploads with their poster and probe facts, what they link
-- to (products for the cart link, a live session for reservation and replay clips), buyers' likes,
-- comments and views.
create table videos (
  id uuid primary key,
  store_id uuid not null,
  -- seeding 种草 | reservation 直播预约 | replay 返场 | plain
  kind text not null check (kind in ('seeding', 'reservation', 'replay', 'plain')),
  title text not null,
  -- draft until the merchant publishes it; hidden takes it out of the feed.
  status text not null default 'draft' check (status in ('draft', 'published', 'hidden')),
  product_ids uuid[] not null default '{}' check (cardinality(product_ids) <= 10),
  live_session_id uuid,
  -- Files under <media dir>/videos: <id>.<mp4|webm> and <id>.jpg.
  file_name text not null,
  content_type text not null,
  size_bytes bigint not null,
  duration_ms integer not null,
  width integer not null,
  height integer not null,
  likes integer not null default 0,
  comments integer not null default 0,
  views integer not null default 0,
  created_at timestamptz not null,
  published_at timestamptz
);
create index videos_feed on videos (published_at desc, id desc) where status = 'published';
create index videos_store on videos (store_id, created_at desc);
create index videos_session on videos (live_session_id) where live_session_id is not null;

create table video_likes (
  video_id uuid not null references videos (id) on delete cascade,
  buyer_id uuid not null,
  created_at timestamptz not null,
  primary key (video_id, buyer_id)
);

create table video_comments (
  id uuid primary key,
  video_id uuid not null references videos (id) on delete cascade,
  buyer_id uuid not null,
  body text not null,
  created_at timestamptz not null
);
create index video_comments_video on video_comments (video_id, created_at desc, id desc);
