-- Charges of pay-later bills (module credit): a payment with no checkout, named by the bill's
-- reference. It goes through the same provider flow (authorize, capture, webhooks, recovery,
-- reconciliation); on capture the ledger collects the credit receivable instead of paying orders.
alter table payments alter column checkout_id drop not null;
alter table payments add column bill_reference text;
alter table payments add constraint payments_checkout_or_bill
  check ((checkout_id is null) <> (bill_reference is null));
-- At most one live (not failed) charge per bill: a bill is never charged twice; a failed one may be retried.
create unique index payments_one_live_per_bill on payments (bill_reference) where status <> 'failed';
