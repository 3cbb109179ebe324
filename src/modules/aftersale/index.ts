import { defineModule } from '../../platform/module.ts';
import { aftersaleRoutes } from './routes.ts';
import { AftersaleService } from './service.ts';

export type { AftersaleKind, DecisionRule } from './auto-approval.ts';
export { AFTERSALE_KINDS, DECISION_RULES } from './auto-approval.ts';
export { openRequestLines } from './open-lines.ts';
export { type AftersalePolicy, DEFAULT_POLICY } from './policy.ts';
export {
  AFTERSALE_REASONS,
  type AftersaleDeps,
  type AftersaleReason,
  type AftersaleStatus,
  type AftersaleView,
} from './service.ts';
export { QUALITY_REASONS, type StoreServiceInputs, serviceInputs } from './service-inputs.ts';
export { AFTERSALE_STATUSES, OPEN_STATUSES } from './states.ts';
export type { StoreAftersaleOffers } from './store-offers.ts';
export { AftersaleService, aftersaleRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    aftersale: AftersaleService;
  }
}

/**
 * After-sale: refund only, return and refund, exchange; rules, SLAs, abuse review, return-shipping
 * subsidy (publishes `aftersale.requested`; its SLA task is `aftersale.sla`).
 */
export const aftersaleModule = defineModule({
  name: 'aftersale',
  build: ({ db, clock, events, use }) => {
    const orders = use('orders');
    const ledger = use('ledger');
    return {
      aftersale: new AftersaleService({
        db,
        clock,
        orders: {
          getForBuyer: (actor, orderId) => orders.getForBuyer(actor, orderId),
          lineMoneyOf: async (d, orderId) =>
            (await orders.lineMoney(d, [orderId])).get(orderId)?.lines ?? null,
          holdSettlement: (trx, orderId, ref) => orders.holdSettlement(trx, orderId, ref),
          releaseSettlement: (trx, orderId, ref) => orders.releaseSettlement(trx, orderId, ref),
        },
        money: {
          refundLines: (trx, input) => orders.refundLines(trx, input),
          compensateBuyer: (trx, input) => ledger.compensateBuyer(trx, input),
        },
        events,
      }),
    };
  },
  routes: async ({ aftersale }, { api }) => {
    await api.register(aftersaleRoutes(aftersale));
  },
  tasks: ({ aftersale }) => [
    { name: 'aftersale.sla', intervalMs: 60_000, drain: true, run: () => aftersale.slaDue() },
  ],
});
