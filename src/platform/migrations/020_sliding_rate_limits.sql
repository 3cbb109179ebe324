-- Rate limits become sliding windows: one row per bucket with the times of its accepted hits in
-- its window (refused hits are not kept). The fixed-window counters it replaces are short-lived.
drop table rate_limits;
create table rate_limits (
  bucket text primary key,
  hits timestamptz[] not null,
  last_hit_at timestamptz not null
);
create index rate_limits_last_hit on rate_limits (last_hit_at);
