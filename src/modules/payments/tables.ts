import type { Generated, Kysely } from 'kysely';
import type { PaymentRow, RefundRow } from './schema.ts';

/** The tables payments' migrations create; no other module queries them. */
export interface PaymentsTables {
  payments: PaymentRow;
  refunds: RefundRow;
  webhook_events: { event_id: string; type: string; payload: unknown; received_at: Date };
  ledger_transactions: {
    id: string;
    kind: 'payment' | 'settlement' | 'refund';
    reference: string;
    created_at: Date;
  };
  ledger_entries: { id: Generated<number>; transaction_id: string; account: string; amount_fen: number };
  payment_orders: { payment_id: string; order_id: string; amount_fen: number };
  payment_anomalies: {
    id: Generated<number>;
    event_id: string;
    event_type: string;
    payment_id: string | null;
    refund_id: string | null;
    kind:
      | 'amount_mismatch'
      | 'currency_mismatch'
      | 'provider_ref_mismatch'
      | 'unknown_payment'
      | 'unknown_refund';
    expected_amount_fen: number | null;
    received_amount_fen: number;
    expected_currency: string | null;
    received_currency: string;
    payload: unknown;
    received_at: Date;
  };
  reconciliation_runs: {
    id: string;
    seq: Generated<number>;
    started_at: Date;
    finished_at: Date;
    trigger: 'schedule' | 'cli' | 'ops';
    payments_checked: number;
    refunds_checked: number;
    provider_charges: number;
    provider_refunds: number;
    in_flight: number;
    ledger_provider_fen: number;
    provider_net_fen: number;
    difference_count: number;
    differences: unknown;
  };
  /** The sandbox payment provider's own books (it plays the provider inside this module). */
  sandbox_provider_charges: {
    id: string;
    merchant_reference: string;
    amount_fen: number;
    currency: string;
    status: 'authorized' | 'failed' | 'captured';
    failure_reason: string | null;
    captured_fen: number;
    refunded_fen: number;
    created_at: Date;
    updated_at: Date;
  };
  sandbox_provider_refunds: {
    id: string;
    charge_id: string;
    merchant_reference: string;
    amount_fen: number;
    created_at: Date;
  };
  sandbox_provider_payouts: {
    id: string;
    charge_id: string;
    merchant_reference: string;
    amount_fen: number;
    created_at: Date;
  };
  sandbox_provider_webhooks: {
    id: Generated<number>;
    event_id: string;
    type: string;
    payload: unknown;
    is_replay: boolean;
    deliver_at: Date;
    delivered_at: Date | null;
    attempts: number;
    last_status: number | null;
  };
}

/** The database as payments sees it: its own tables only. */
export type PaymentsDb = Kysely<PaymentsTables>;
