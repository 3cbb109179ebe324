import type { Db } from '../../platform/db.ts';

export type PaymentStatusView = 'unpaid' | 'processing' | 'paid' | 'failed';

/** What orders needs from payments (payments' OrderPaymentsPort, given to orders at construction). */
export interface OrderPayments {
  /** Full refund of a paid order, inside the caller's transaction (refund row, ledger, provider call queued). */
  refundOrder(
    trx: Db,
    order: { orderId: string; checkoutId: string; amountFen: number },
    reason: string,
  ): Promise<void>;
  /** Pays the merchant for a completed order (ledger), inside the caller's transaction. */
  settleOrder(trx: Db, order: { orderId: string; storeId: string; totalFen: number }): Promise<void>;
  /** Whether a payment covering this order is with the provider (created or authorized, not yet captured or failed). */
  paymentInProgress(trx: Db, orderId: string): Promise<boolean>;
  /** The payment status of each checkout, in one query. */
  paymentStatuses(db: Db, checkoutIds: string[]): Promise<Map<string, PaymentStatusView>>;
}
