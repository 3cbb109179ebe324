export type PaymentStatus = 'created' | 'authorized' | 'captured' | 'failed';

export interface PaymentRow {
  id: string;
  /** Null for a pay-later bill's charge, which has `bill_reference` instead (credit-charges.ts). */
  checkout_id: string | null;
  bill_reference: string | null;
  buyer_id: string;
  amount_fen: number;
  currency: string;
  status: PaymentStatus;
  provider_ref: string | null;
  failure_reason: string | null;
  refunded_fen: number;
  created_at: Date;
  updated_at: Date;
}

export interface RefundRow {
  id: string;
  payment_id: string;
  order_id: string;
  amount_fen: number;
  reason: string;
  status: 'requested' | 'succeeded' | 'failed';
  provider_ref: string | null;
  /** `refund` of the captured payment, or a provider `payout` to the buyer (money not against a line). */
  paid_as: 'refund' | 'payout';
  created_at: Date;
  updated_at: Date;
}
