-- The demo seed's progress (src/seed): one row per finished step, written in the step's own transaction,
-- so an interrupted first start resumes where it stopped and never looks finished. Kept beside the
-- accounts table because "is this a fresh install" is asked of both.
create table seed_steps (
  name text primary key,
  finished_at timestamptz not null,
  -- what the step created that later steps need (ids), so a resumed seed continues with the same data
  result jsonb not null default 'null'
);
