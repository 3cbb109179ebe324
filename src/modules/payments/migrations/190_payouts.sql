-- Issue 11 (payout). Money to a buyer that is not a refund of a line (return-shipping subsidy, …)
-- is paid as a provider PAYOUT to the buyer's payment method, not as a refund of the capture: it
-- keeps its `refunds` row (kind `compensation`, against_lines false, idempotent by reference) but
-- `paid_as = 'payout'`. A payout is not capped by the capture and is not counted in
-- payments.refunded_fen; reconciliation compares it with the provider's payouts. Rows written
-- before this migration were paid as refunds and stay `refund`.
alter table refunds add column paid_as text not null default 'refund' check (paid_as in ('refund', 'payout'));
alter table refunds add constraint refunds_payout_not_against_lines check (paid_as = 'refund' or not against_lines);

-- The sandbox provider's own books of payouts (a transfer to the payer of a charge), idempotent on
-- our id (merchant_reference). A payout does not touch the charge's refunded_fen.
create table sandbox_provider_payouts (
  id text primary key,
  charge_id text not null references sandbox_provider_charges (id),
  merchant_reference text not null unique,
  amount_fen bigint not null check (amount_fen > 0),
  created_at timestamptz not null
);
