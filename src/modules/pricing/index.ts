import { defineModule } from '../../platform/module.ts';
import { pricingRoutes } from './routes.ts';
import { PricingService, pricingSubscribers, pricingTasks } from './service.ts';

export { allocateProRata } from './allocate.ts';
export {
  type CouponView,
  couponList,
  couponSchema,
  type MyCouponView,
  myCouponAnswer,
  quoteCouponSchema,
  quoteDiscountSchema,
  quoteSchema,
} from './api-schema.ts';
export { seedPricingDemo } from './demo-seed.ts';
export {
  type PriceChange,
  type PricePoint,
  priceAt,
  priceHistory,
  recordPrices,
  refreshFinalPrices,
} from './price-history.ts';
export {
  type Channel,
  type CouponRow as QuoteCouponRow,
  computeQuote,
  type DiscountKind,
  type Quote,
  type QuoteContext,
  type QuoteCoupon,
  type QuoteDiscount,
  type QuoteFacts,
  type QuoteLine,
  type QuoteLineInput,
  quote,
  quoteEach,
  type SkuRow as QuoteSkuRow,
  type SubsidyRow as QuoteSubsidyRow,
} from './quote.ts';
export {
  releaseOrderPricing,
  releaseSubsidyUnits,
} from './redeem.ts';
export { finalUnitFenSql, subsidisedUnitFenSql } from './subsidy-sql.ts';
export type { CouponKind, Funder, PriceCause } from './tables.ts';
export { PricingService, pricingRoutes };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    pricing: PricingService;
  }
}

/**
 * Prices (到手价): the quote (list price − subsidy − the best coupons), coupons, low-price subsidies
 * with budget caps, and the price history with cause and funder (`price.changed`).
 * Catalog and orders call its functions (`quote`, `recordPrices`, `computeQuote`…) in their own
 * transactions; it depends on no other module's service.
 */
export const pricingModule = defineModule({
  name: 'pricing',
  build: ({ db, clock, events }) => ({ pricing: new PricingService({ db, clock, events }) }),
  routes: async ({ pricing }, { api }) => {
    await api.register(pricingRoutes(pricing));
  },
  tasks: ({ pricing }) => pricingTasks(pricing),
  subscribers: ({ pricing }) => pricingSubscribers(pricing),
});
