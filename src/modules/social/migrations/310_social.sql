-- Who follows which store now (a buyer follows a store once; unfollowing deletes the row).
create table social_follows (
  store_id uuid not null,
  buyer_id uuid not null,
  source text not null check (source in ('live', 'video', 'store', 'coupon', 'product', 'other')),
  followed_at timestamptz not null,
  primary key (store_id, buyer_id)
);
create index social_follows_buyer on social_follows (buyer_id, followed_at desc);
create index social_follows_recent on social_follows (store_id, followed_at desc);

-- Each store's follows and unfollows per business day (Asia/Shanghai) and source (an unfollow counts
-- under the source of the follow it ends): fans on a day = the sum of (followed - unfollowed) up to it,
-- so fans over time, new fans by source and unfollows never scan the follows.
create table social_fan_days (
  store_id uuid not null,
  day date not null,
  source text not null,
  followed int not null default 0,
  unfollowed int not null default 0,
  primary key (store_id, day, source)
);

-- A store's fans now, kept with each follow and unfollow (the fan count every page shows).
create table social_fan_totals (
  store_id uuid primary key,
  fans int not null check (fans >= 0)
);
