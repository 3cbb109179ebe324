-- The outbox becomes the event bus (platform/events.ts): a job is one subscriber's delivery of one
-- event, so each subscriber progresses, retries and fails on its own. Jobs written before this
-- migration belong to the one handler their topic had.
alter table outbox add column subscriber text;
update outbox set subscriber = case topic
  when 'payment.capture' then 'payments.capture-at-provider'
  when 'payment.refund' then 'payments.refund-at-provider'
  else topic end;
alter table outbox alter column subscriber set not null;

alter table outbox_dead_letters add column subscriber text;
update outbox_dead_letters set subscriber = case topic
  when 'payment.capture' then 'payments.capture-at-provider'
  when 'payment.refund' then 'payments.refund-at-provider'
  else topic end;
alter table outbox_dead_letters alter column subscriber set not null;
