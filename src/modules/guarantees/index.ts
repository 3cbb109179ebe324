import { subscriber } from '../../platform/events.ts';
import { defineModule } from '../../platform/module.ts';
import { protectedLines, refundLinesBatch } from '../orders/index.ts';
import { bookedByReference, platformExpenses } from '../payments/index.ts';
import { priceHistory, quote } from '../pricing/index.ts';
import { guaranteesRoutes } from './routes.ts';
import { GuaranteesService } from './service.ts';

export {
  channelTriggersProtection,
  PROTECTION_DAYS,
  protectionEndsAt,
  protectionReference,
} from './compensation.ts';
export { type DropOutcome, type PriceDrop, PriceProtection } from './price-protection.ts';
export { GuaranteesService, guaranteesRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    guarantees: GuaranteesService;
  }
}

/**
 * The guarantees the platform keeps by itself: seven-day price protection (a subscriber of
 * `price.changed`, and the buyer's check), and what each guarantee costs the merchant and the platform.
 */
export const guaranteesModule = defineModule({
  name: 'guarantees',
  build: ({ db, clock, events, use }) => {
    const orders = use('orders');
    const aftersale = use('aftersale');
    const credit = use('credit');
    return {
      guarantees: new GuaranteesService({
        db,
        clock,
        orders: {
          getForBuyer: (actor, orderId) => orders.getForBuyer(actor, orderId),
          protectedLines,
          refundLines: (trx, input) => orders.refundLines(trx, input),
          refundLinesBatch: (trx, batch) => refundLinesBatch(trx, { clock, events }, batch),
        },
        pricing: { quote },
        priceHistory,
        ledger: { platformExpenses, merchantCostsByReference: bookedByReference },
        storeOffers: {
          aftersale: (storeId) => aftersale.offersOf(storeId),
          payLater: async (storeId) => (await credit.storesOffering(db, [storeId])).has(storeId),
        },
      }),
    };
  },
  routes: async ({ guarantees }, { api }) => {
    await api.register(guaranteesRoutes(guarantees));
  },
  subscribers: ({ guarantees }) => [
    subscriber('guarantees.price-protection', 'price.changed', async (p) => {
      await guarantees.onPriceChanged({
        skuId: p.skuId,
        changeId: p.changeId,
        cause: p.cause,
        at: new Date(p.at),
      });
    }),
  ],
});
