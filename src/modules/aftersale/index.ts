import { defineModule } from '../../platform/module.ts';
import { aftersaleRoutes } from './routes.ts';
import { AftersaleService } from './service.ts';

export type { AftersaleKind, DecisionRule } from './auto-approval.ts';
export { AFTERSALE_KINDS, DECISION_RULES } from './auto-approval.ts';
export { type AftersalePolicy, DEFAULT_POLICY } from './policy.ts';
export {
  AFTERSALE_REASONS,
  type AftersaleDeps,
  type AftersaleReason,
  type AftersaleStatus,
  type AftersaleView,
} from './service.ts';
export { AFTERSALE_STATUSES, OPEN_STATUSES } from './states.ts';
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
    return {
      aftersale: new AftersaleService({
        db,
        clock,
        orders,
        // TODO(ledger merge): orders.refundLines and payments' compensateBuyer.
        money: {
          refundLines: async () => {
            throw new Error('refundLines: waiting for the ledger branch');
          },
          compensateBuyer: async () => {
            throw new Error('compensateBuyer: waiting for the ledger branch');
          },
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
