-- The ops size metrics, one row per settled day (a day that ended more than the settle window ago, so
-- no refund request can still change it): computed once, read by every later request, so a year of
-- metrics no longer loads a year of order lines. Recent days are computed per request, a week at a time.
create table size_metrics_days (
  day date primary key,
  lines integer not null,
  with_recommendation integer not null,
  size_refunds_with integer not null,
  size_refunds_without integer not null,
  recommendations_shown integer not null,
  fit_small integer not null,
  fit_fit integer not null,
  fit_large integer not null
);

-- Per-day counts of shown recommendations and fit outcomes read a range of created_at.
create index size_recommendations_created on size_recommendations (created_at);
create index size_fit_outcomes_created on size_fit_outcomes (created_at);
