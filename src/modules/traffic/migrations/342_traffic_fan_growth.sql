-- Extra exposure for a store behind its fan-growth plan (涨粉计划), asked by the social module per
-- business day; today's row becomes a `fan_growth` budget contract when the day is planned.
create table traffic_fan_growth_boosts (
  day date not null,
  store_id uuid not null,
  impressions int not null check (impressions > 0),
  primary key (day, store_id)
);
