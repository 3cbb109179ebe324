import { defineModule } from '../../platform/module.ts';
import { accountCreatedAt, maskedPhones } from '../identity/index.ts';
import {
  billChargeStatuses,
  chargePayLaterFee,
  checkoutHasLivePayment,
  creditRefundedFen,
} from '../payments/index.ts';
import { creditRoutes } from './routes.ts';
import { CreditService } from './service.ts';

export { seedCreditDemo } from './demo-seed.ts';
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
    const ledger = use('ledger');
    return {
      credit: new CreditService({
        db,
        clock,
        log,
        orders: {
          payableCheckout: (trx, actor, checkoutId) => orders.payableCheckout(trx, actor, checkoutId),
          markOrdersPaidOnCredit: (trx, checkoutId, orderIds, at) =>
            orders.markOrdersPaidOnCredit(trx, checkoutId, orderIds, at),
          checkoutOf: async (actor, checkoutId) => {
            const { checkout } = await orders.getCheckout(actor, checkoutId);
            return { paymentStatus: checkout.paymentStatus, orders: checkout.orders };
          },
          buyerHistory: (db, buyerId) => orders.buyerOrderHistory(db, buyerId),
          // A bill owes the order's total less what was given back on credit (refunds, compensations).
          orderFacts: async (db, orderIds) => {
            const money = await orders.lineMoney(db, orderIds);
            const back = await creditRefundedFen(db, orderIds);
            return new Map(
              [...money].map(([id, m]) => [
                id,
                {
                  status: m.status,
                  completedAt: m.completedAt,
                  settledAt: m.settledAt,
                  paidFen: m.totalFen,
                  refundedFen: back.get(id) ?? 0,
                },
              ]),
            );
          },
        },
        payments: {
          advanceCredit: (trx, input) => ledger.advanceCredit(trx, input),
          chargePayLaterFee,
          checkoutHasLivePayment,
          billChargeStatuses,
          chargeBill: (input) => payments.chargeBill(input),
          refundBillCharge: (trx, input) => payments.refundBillCharge(trx, input),
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
    {
      name: 'credit.bills',
      intervalMs: 60_000,
      runAtStart: true,
      exclusive: true,
      run: () => credit.runBills(),
    },
  ],
});
