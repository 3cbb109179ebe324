-- Issue 11 (ledger). Ledger kinds become an open list named in code (payments/ledger.ts
-- LEDGER_KINDS); the ledger is append-only; refunds are per line / per amount, idempotent by a
-- reference, with a funder, and may never touch the provider (a pay-later order's bill shrinks).

-- 1. Kinds: any lower-case name (the TS registry is the list of names in use).
alter table ledger_transactions drop constraint if exists ledger_transactions_kind_check;
alter table ledger_transactions add constraint ledger_transactions_kind_name check (kind ~ '^[a-z][a-z_]{1,39}$');

-- 2. Append-only: a posted transaction is never changed or removed; a correction is a new
-- transaction (a reversal). The database refuses UPDATE, DELETE and TRUNCATE.
create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is refused (post a reversing transaction instead)',
    tg_op, tg_table_name using errcode = 'P0001';
end;
$$;

create trigger ledger_transactions_append_only before update or delete on ledger_transactions
  for each row execute function ledger_refuse_change();
create trigger ledger_transactions_no_truncate before truncate on ledger_transactions
  for each statement execute function ledger_refuse_change();
create trigger ledger_entries_append_only before update or delete on ledger_entries
  for each row execute function ledger_refuse_change();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
  for each statement execute function ledger_refuse_change();

-- 3. Refunds: many per order (per line, per amount), each once per `reference`.
alter table refunds drop constraint if exists refunds_order_id_reason_key;
alter table refunds add column reference text;
update refunds set reference = 'order:' || order_id || ':' || reason where reference is null;
alter table refunds alter column reference set not null;
alter table refunds add constraint refunds_reference_key unique (reference);
-- Who pays it: the merchant (escrow before settlement, a clawback after) or the platform
-- (platform_expense:<expense>).
alter table refunds add column funder text not null default 'merchant' check (funder in ('merchant', 'platform'));
alter table refunds add column expense text;
-- refund: money back against order lines; compensation: money to the buyer not against a line.
alter table refunds add column kind text not null default 'refund' check (kind in ('refund', 'compensation'));
-- A pay-later order not charged yet: no payment, the bill shrinks (credit_receivable), nothing
-- goes to the provider; such a refund is `succeeded` when written.
-- Whether the money was given back against order lines (orders.refundLines) or beside them
-- (compensateBuyer): platform-funded line refunds are recovered when the order is refunded in full.
alter table refunds add column against_lines boolean not null default true;
alter table refunds alter column payment_id drop not null;
alter table refunds add constraint refunds_provider_or_credit check (payment_id is not null or status = 'succeeded');
create index refunds_order on refunds (order_id);
