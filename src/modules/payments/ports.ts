import type { Actor } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';

/** What payments needs from orders (implemented by OrdersService). */
export interface PaymentOrders {
  payableCheckout(trx: Db, actor: Actor, checkoutId: string): Promise<{ id: string; totalFen: number }>;
  markCheckoutPaid(
    trx: Db,
    checkoutId: string,
    at: Date,
  ): Promise<Array<{ orderId: string; checkoutId: string; amountFen: number }>>;
  escrowFenForStore(db: Db, storeId: string): Promise<number>;
}
