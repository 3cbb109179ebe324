-- Retention (README "Data retention") deletes by age in small batches; these keep each batch an index scan.
create index sessions_expires on sessions (expires_at);
create index sms_codes_created on sms_codes (created_at);
