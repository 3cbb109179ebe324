-- Replays (返场, issue 14): what a live session left to sell again after it ended.
--
-- replay_reports: the session's hit products and suggested clips, written when the session ends
-- (`live.ended`) and again each time the merchant opens the report (orders keep being paid and
-- refunded after the end). A snapshot for the record; the report itself is computed on demand.
create table replay_reports (
  session_id uuid primary key,
  store_id uuid not null,
  hits jsonb not null,
  suggestions jsonb not null,
  computed_at timestamptz not null
);

-- replay_clip_jobs: a clip cut from the session's recording with ffmpeg and published as a replay
-- video, as a background job (never in the request): queued → running → done (video_id) | failed
-- (error). A running job whose worker died is claimed again after a lease, up to 3 attempts.
create table replay_clip_jobs (
  id uuid primary key,
  -- Request order: two asked within one clock tick still have a newest.
  seq bigint generated always as identity,
  store_id uuid not null,
  session_id uuid not null,
  product_id uuid not null,
  from_ms integer not null check (from_ms >= 0),
  to_ms integer not null check (to_ms > from_ms),
  title text not null check (length(title) between 1 and 80),
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  attempts integer not null default 0,
  video_id uuid,
  error text,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz
);
create index replay_clip_jobs_session on replay_clip_jobs (session_id, seq);
create index replay_clip_jobs_due on replay_clip_jobs (seq) where status in ('queued', 'running');
-- The same clip asked twice (a double click) is one job, unless the first failed.
create unique index replay_clip_jobs_once on replay_clip_jobs (session_id, product_id, from_ms, to_ms)
  where status <> 'failed';
