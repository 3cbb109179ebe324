-- The store experience score (店铺体验分), one row per store and Asia/Shanghai business day: the
-- three dimensions and the overall in hundredths (0–500), whether each had enough data, and the raw
-- figures they were computed from (experience-score.ts), so the console can show what to improve
-- and a score can be explained later. Recomputing a day replaces its row.
create table store_experience_scores (
  store_id uuid not null references stores (id),
  day date not null,
  overall int not null check (overall between 0 and 500),
  product int not null check (product between 0 and 500),
  logistics int not null check (logistics between 0 and 500),
  service int not null check (service between 0 and 500),
  enough_product boolean not null,
  enough_logistics boolean not null,
  enough_service boolean not null,
  inputs jsonb not null,
  window_from timestamptz not null,
  window_to timestamptz not null,
  computed_at timestamptz not null,
  primary key (store_id, day)
);
-- The ops list (lowest latest score first) and "has today been computed?".
create index store_experience_scores_day on store_experience_scores (day, overall);
