import { defineModule } from '../../platform/module.ts';
import { flashSaleRoutes } from './routes.ts';
import { FLASH_HOLDER, FlashSalesService } from './service.ts';

export type { FlashSaleView } from './api-schema.ts';
export { FLASH_HOLDER, FlashSalesService };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    flashSales: FlashSalesService;
  }
}

/** Flash sales (秒杀): N units of a SKU at a price for a window, never oversold (docs/FLASH-SALES.md). */
export const flashSalesModule = defineModule({
  name: 'flashsales',
  build: (ctx) => {
    const orders = ctx.use('orders');
    const live = ctx.use('live');
    const flashSales = new FlashSalesService({
      db: ctx.db,
      clock: ctx.clock,
      log: ctx.log,
      realtime: ctx.realtime,
      notifications: ctx.notifications,
      orders,
      // The live module's sessions (built before this one).
      live: () => live,
    });
    orders.registerStockHolder(FLASH_HOLDER, flashSales);
    return { flashSales };
  },
  routes: async ({ flashSales }, { api }) => {
    await api.register(flashSaleRoutes(flashSales));
  },
  tasks: ({ flashSales }) => [
    { name: 'flashsales.end-due', intervalMs: 2_000, drain: true, run: () => flashSales.endDue() },
  ],
  stop: async ({ flashSales }) => {
    flashSales.stop();
  },
});
