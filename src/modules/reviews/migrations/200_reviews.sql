-- Reviews (reviews module): one per delivered order line, its follow-up, the merchant's reply, moderation,
-- and the aggregates the product page reads (kept in the same transaction as every change, see stats.ts).
create table reviews (
  id uuid primary key,
  order_id uuid not null,
  sku_id uuid not null,
  product_id uuid not null,
  store_id uuid not null,
  buyer_id uuid not null,
  -- What was bought, for the "by size" filter.
  size text not null,
  color text not null,
  rating smallint not null check (rating between 1 and 5),
  body text not null default '',
  tags text[] not null default '{}' check (cardinality(tags) <= 10),
  photos text[] not null default '{}' check (cardinality(photos) <= 9),
  -- The size assistant's one question (small | fit | large), asked here or told before.
  fit text check (fit in ('small', 'fit', 'large')),
  anonymous boolean not null default false,
  -- Written by the platform when the buyer said nothing within the operator's window: rating 5, no text.
  is_default boolean not null default false,
  created_at timestamptz not null,
  -- The buyer's one follow-up (追评), within the policy's days of the review.
  follow_up_body text,
  follow_up_photos text[] not null default '{}' check (cardinality(follow_up_photos) <= 9),
  follow_up_at timestamptz,
  -- The merchant's one public reply.
  reply_body text,
  replied_at timestamptz,
  replied_by uuid,
  -- Moderation: visible | hidden (by an operator, with a reason the buyer sees).
  status text not null default 'visible' check (status in ('visible', 'hidden')),
  -- What the contact/link detector found in the text (link, phone, wechat, qq, email); empty when clean.
  flags text[] not null default '{}',
  -- none | pending (flagged or reported, in the operators' queue) | resolved (an operator decided).
  moderation text not null default 'none' check (moderation in ('none', 'pending', 'resolved')),
  hidden_reason text,
  hidden_at timestamptz,
  hidden_by uuid,
  unique (order_id, sku_id)
);
create index reviews_product on reviews (product_id, created_at desc) where status = 'visible';
create index reviews_store on reviews (store_id, created_at desc);
create index reviews_buyer on reviews (buyer_id, created_at desc);
create index reviews_moderation on reviews (created_at) where moderation = 'pending';

-- A merchant's report of an abusive review: one per review.
create table review_reports (
  review_id uuid primary key references reviews (id),
  store_id uuid not null,
  reported_by uuid not null,
  reason text not null check (reason in ('abusive', 'spam', 'irrelevant', 'privacy', 'other')),
  note text not null default '',
  created_at timestamptz not null,
  -- Filled when an operator decides: hidden | dismissed.
  resolution text check (resolution in ('hidden', 'dismissed')),
  resolved_at timestamptz,
  resolved_by uuid
);

-- Photos a buyer uploaded for a review: a review may only use its own buyer's unused uploads.
create table review_photo_uploads (
  url text primary key,
  buyer_id uuid not null,
  created_at timestamptz not null,
  used_by uuid references reviews (id)
);
create index review_photo_uploads_buyer on review_photo_uploads (buyer_id, created_at desc);

-- Aggregates of the visible reviews, per product and per store (stats.ts keeps them; a recount checks them).
create table review_product_stats (
  product_id uuid primary key,
  store_id uuid not null,
  review_count int not null default 0,
  rating_sum bigint not null default 0,
  r1 int not null default 0,
  r2 int not null default 0,
  r3 int not null default 0,
  r4 int not null default 0,
  r5 int not null default 0,
  with_photos int not null default 0,
  default_count int not null default 0,
  fit_small int not null default 0,
  fit_true int not null default 0,
  fit_large int not null default 0
);
create table review_store_stats (
  store_id uuid primary key,
  review_count int not null default 0,
  rating_sum bigint not null default 0,
  r1 int not null default 0,
  r2 int not null default 0,
  r3 int not null default 0,
  r4 int not null default 0,
  r5 int not null default 0,
  with_photos int not null default 0,
  default_count int not null default 0,
  fit_small int not null default 0,
  fit_true int not null default 0,
  fit_large int not null default 0
);
-- Tag and size counts of a product's visible reviews (the tag chips and the "by size" filter).
create table review_tag_counts (
  product_id uuid not null,
  tag text not null,
  count int not null default 0,
  primary key (product_id, tag)
);
create table review_size_counts (
  product_id uuid not null,
  size text not null,
  count int not null default 0,
  primary key (product_id, size)
);

-- The operator's review policy (one record; defaults hold until one is saved).
create table review_policy (
  id int primary key check (id = 1),
  policy jsonb not null,
  updated_by uuid not null,
  updated_at timestamptz not null
);

-- How far the default-review task has gone: lines delivered at or before this instant (and, at that
-- instant, orders up to this id) have been given their default review when they had none.
create table review_default_cursor (
  id int primary key check (id = 1),
  delivered_at timestamptz not null,
  order_id uuid not null
);
