import type { Db } from '../../platform/db.ts';

export type PaymentStatusView = 'unpaid' | 'processing' | 'paid' | 'failed';

/** A platform-funded amount and the expense it is charged to (`platform_expense:<expense>`). */
export interface ExpenseShare {
  expense: string;
  fen: number;
}

/**
 * What orders needs from payments (payments' OrderPaymentsPort, given to orders at construction):
 * the ledger's named operations for an order's money, in the caller's transaction.
 */
export interface OrderPayments {
  /** The refund written under this reference, if any. */
  findRefund(trx: Db, reference: string): Promise<{ id: string; orderId: string; amountFen: number } | null>;
  /** Money back to the buyer for order lines (refund row, ledger, provider call queued or the bill shrinks). */
  refundLineMoney(
    trx: Db,
    r: {
      reference: string;
      orderId: string;
      storeId: string;
      amountFen: number;
      funder: 'merchant' | 'platform';
      expense: string;
      kind: 'refund' | 'compensation';
      reason: string;
      settled: boolean;
      commissionBps: number;
      discountsBack: ExpenseShare[];
    },
  ): Promise<{ refundId: string; amountFen: number; duplicate: boolean }>;
  /**
   * An order refunded in full: its platform-funded line refunds are recovered from the merchant side
   * (escrow before settlement, the payable after). Once per order; returns the fen recovered.
   */
  recoverPlatformRefunds(
    trx: Db,
    order: { orderId: string; storeId: string; settled: boolean; commissionBps: number },
  ): Promise<number>;
  /** Pays the merchant for an order (ledger `settlement`), inside the caller's transaction. */
  settleOrder(
    trx: Db,
    order: {
      orderId: string;
      storeId: string;
      escrowFen: number;
      platformFunded: ExpenseShare[];
      commissionBps: number;
    },
  ): Promise<{ grossFen: number; commissionFen: number; posted: boolean }>;
  /** Whether a payment covering this order is with the provider (created or authorized, not yet captured or failed). */
  paymentInProgress(trx: Db, orderId: string): Promise<boolean>;
  /** The payment status of each checkout, in one query. */
  paymentStatuses(db: Db, checkoutIds: string[]): Promise<Map<string, PaymentStatusView>>;
}
