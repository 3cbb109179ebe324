import { defineModule } from '../../platform/module.ts';
import { accountCreatedAt, maskedPhones } from '../identity/index.ts';
import { billFactsTemp } from '../orders/index.ts';
import {
  advanceCredit,
  billChargeStatuses,
  chargePayLaterFee,
  checkoutHasLivePayment,
} from '../payments/index.ts';
import { creditRoutes } from './routes.ts';
import { CreditService } from './service.ts';

export type { CreditLine, OrderFacts } from './service.ts';
export { CreditService, creditRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    credit: CreditService;
  }
}

/** Use first, pay later (先用后付): credit policy and lines, pay-later checkout, bills, overdue debt. */
export const creditModule = defineModule({
  name: 'credit',
  build: ({ db, clock, log, use }) => {
    const orders = use('orders');
    const payments = use('payments');
    return {
      credit: new CreditService({
        db,
        clock,
        log,
        orders: {
          payableCheckout: (trx, actor, checkoutId) => orders.payableCheckout(trx, actor, checkoutId),
          markOrdersPaidOnCredit: (trx, checkoutId, orderIds, at) =>
            orders.markOrdersPaidOnCredit(trx, checkoutId, orderIds, at),
          buyerHistory: (_db, buyerId) => orders.buyerOrderHistory(buyerId),
          orderFacts: (db, orderIds) => billFactsTemp(db, orderIds),
        },
        payments: {
          advanceCredit,
          chargePayLaterFee,
          checkoutHasLivePayment,
          billChargeStatuses,
          chargeBill: (input) => payments.chargeBill(input),
        },
        accounts: { createdAt: accountCreatedAt, maskedPhones },
      }),
    };
  },
  routes: async ({ credit }, { api }) => {
    await api.register(creditRoutes(credit));
  },
  tasks: ({ credit }) => [
    // Due dates, charges, their outcomes and reminders: every minute (due dates are days apart).
    { name: 'credit.bills', intervalMs: 60_000, runAtStart: true, run: () => credit.runBills() },
  ],
});
