import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { BillChargeStatus } from '../payments/index.ts';
import type { IneligibleReason } from './credit-limit.ts';
import type { CreditDb } from './tables.ts';

/** What a bill needs to know of its order (from orders' line money). */
export interface OrderFacts {
  status: string;
  completedAt: Date | null;
  /** When the merchant was paid (null while an after-sale request holds the settlement). */
  settledAt: Date | null;
  /** What the buyer owes for the order's lines (Σ paid). */
  paidFen: number;
  /** What was refunded of them so far. */
  refundedFen: number;
}

/** What credit needs from orders (its index builds this from the orders service). */
export interface CreditOrders {
  payableCheckout(
    trx: Db,
    actor: Actor,
    checkoutId: string,
  ): Promise<{ totalFen: number; orders: Array<{ orderId: string; amountFen: number }> }>;
  markOrdersPaidOnCredit(
    trx: Db,
    checkoutId: string,
    orderIds: string[],
    at: Date,
  ): Promise<Array<{ orderId: string; storeId: string; totalFen: number }>>;
  /** A checkout of the buyer's (404 otherwise): its orders with store, status and total, and its payment status. */
  checkoutOf(
    actor: Actor,
    checkoutId: string,
  ): Promise<{
    paymentStatus: string;
    orders: Array<{ id: string; storeId: string; status: string; totalFen: number }>;
  }>;
  buyerHistory(db: Db, buyerId: string): Promise<{ finishedOrders: number; refundedOrders: number }>;
  orderFacts(db: Db, orderIds: string[]): Promise<Map<string, OrderFacts>>;
}

/** What credit needs from payments (named ledger operations and the bill charges). */
export interface CreditPayments {
  advanceCredit(trx: Db, input: { orderId: string; amountFen: number }): Promise<unknown>;
  chargePayLaterFee(
    trx: Db,
    input: { reference: string; storeId: string; amountFen: number; at: Date },
  ): Promise<unknown>;
  checkoutHasLivePayment(db: Db, checkoutId: string): Promise<boolean>;
  chargeBill(input: { reference: string; buyerId: string; amountFen: number }): Promise<string>;
  /** Money of a charged bill given back through the provider (ledger refundCredit); idempotent by reference. */
  refundBillCharge(
    trx: Db,
    input: { reference: string; billReference: string; orderId: string; amountFen: number },
  ): Promise<boolean>;
  billChargeStatuses(db: Db, references: string[]): Promise<Map<string, BillChargeStatus>>;
}

/** What credit needs from identity. */
export interface CreditAccounts {
  createdAt(db: Db, accountId: string): Promise<Date | null>;
  maskedPhones(db: Db, accountIds: string[]): Promise<Map<string, string>>;
}

export interface CreditDeps {
  db: CreditDb;
  clock: Clock;
  log: Logger;
  orders: CreditOrders;
  payments: CreditPayments;
  accounts: CreditAccounts;
}

export interface CreditLine {
  limitFen: number;
  usedFen: number;
  availableFen: number;
  frozen: boolean;
  reason: IneligibleReason | null;
  accountAgeDays: number;
  finishedOrders: number;
  refundedOrders: number;
  dueDays: number;
}
