import type { Actor } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';

/** What payments needs from orders (implemented by OrdersService). */
export interface PaymentOrders {
  /** The orders of a checkout payable now (locked until the caller commits) and their sum; 409 when none. */
  payableCheckout(
    trx: Db,
    actor: Actor,
    checkoutId: string,
  ): Promise<{ id: string; totalFen: number; orders: Array<{ orderId: string; amountFen: number }> }>;
  /** Marks the payment's covered orders paid; returns those already closed (to refund). */
  markOrdersPaid(
    trx: Db,
    checkoutId: string,
    orderIds: string[],
    at: Date,
  ): Promise<Array<{ orderId: string; checkoutId: string; amountFen: number }>>;
  escrowFenForStore(db: Db, storeId: string): Promise<number>;
  /** Refunds what is left of every line of an order (merchant-funded), once per reference. */
  refundInFull(
    trx: Db,
    orderId: string,
    r: { reference: string; reason: string; actor: string },
  ): Promise<{ refundedFen: number; duplicate: boolean }>;
}
