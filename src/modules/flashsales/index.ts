import { defineModule } from '../../platform/module.ts';

/** Flash sales (秒杀): N units of a SKU at a price for a window, never oversold. */
export const flashSalesModule = defineModule({
  name: 'flashsales',
  build: () => ({}),
});
