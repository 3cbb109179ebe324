-- Platform part of migration 001_identity (the identity module created it before the platform had
-- migrations of its own; same name, so a database that ran it does not run it again).
-- Shared rate-limit counters (fixed windows), so limits hold across server instances.
create table rate_limits (
  bucket text not null,
  window_start timestamptz not null,
  hits int not null,
  primary key (bucket, window_start)
);
