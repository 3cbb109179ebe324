-- Moderation (reviews module): when an operator last decided on a review and who, also for reviews that
-- were only flagged (a report keeps its own resolved_at / resolved_by). The resolved queue reads newest first.
alter table reviews add column moderated_at timestamptz;
alter table reviews add column moderated_by uuid;
create index reviews_moderated on reviews (moderated_at desc, id desc) where moderation = 'resolved';
