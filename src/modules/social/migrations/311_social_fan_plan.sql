-- The fan-growth plan (涨粉计划), operator-set: a new store (opened at most `max_store_age_days` ago)
-- enrolls for `days` days with the target max(ceil(start × (100 + target_pct) / 100), start + min_gain).
create table social_plan_settings (
  id smallint primary key check (id = 1),
  target_pct int not null check (target_pct between 1 and 1000),
  days int not null check (days between 1 and 365),
  min_gain int not null check (min_gain between 0 and 100000),
  max_store_age_days int not null check (max_store_age_days between 1 and 365),
  -- impressions of extra exposure per fan a store is behind its linear path, and the most per day
  impressions_per_fan int not null check (impressions_per_fan between 0 and 100000),
  max_daily_impressions int not null check (max_daily_impressions between 0 and 10000000),
  updated_at timestamptz,
  updated_by uuid
);
insert into social_plan_settings (id, target_pct, days, min_gain, max_store_age_days, impressions_per_fan,
  max_daily_impressions)
values (1, 50, 30, 10, 30, 200, 5000);

-- A store's enrolment: its fans when it enrolled, the target, the plan's last day.
create table social_plan_stores (
  store_id uuid primary key,
  started_on date not null,
  ends_on date not null check (ends_on > started_on),
  start_fans int not null check (start_fans >= 0),
  target_fans int not null check (target_fans > start_fans),
  enrolled_by uuid not null,
  enrolled_at timestamptz not null
);
