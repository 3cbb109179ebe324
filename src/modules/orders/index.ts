import { defineModule } from '../../platform/module.ts';
import { OrderPaymentsPort } from '../payments/index.ts';
import { ordersRoutes } from './routes.ts';
import { OrdersService } from './service.ts';
import { orderTasks } from './tasks.ts';

export {
  type AttributedFilter,
  type AttributedProductSales,
  type AttributedTotals,
  attributedProductSales,
  attributedTotals,
  type ChannelGmv,
  channelGmv,
} from './attributed-sales.ts';
export type { BuyerOrderHistory } from './buyer-history.ts';
export { CARRIERS, type Carrier } from './carriers.ts';
export {
  type DeliveredCursor,
  type DeliveredLine,
  linesDeliveredBetween,
  orderLineTitles,
} from './delivered-lines.ts';
export type { HeldOrder, HeldOrderInput, HeldUnits, StockHolder } from './held-orders.ts';
export { logisticsInputs, SHIP_WITHIN_HOURS, type StoreLogisticsInputs } from './logistics-inputs.ts';
export type {
  LineMoney,
  OrderMoney,
  RefundLinesInput,
  RefundLinesResult,
} from './order-money.ts';
export { type PaidOrderFacts, paidOrderFacts } from './paid-order-facts.ts';
export { checkoutOrdersForPaySql } from './payable-orders.ts';
export type { ExpenseShare, OrderPayments, PaymentStatusView } from './ports.ts';
export { PURCHASED, type PurchasedLine, purchasedLines } from './purchases.ts';
export { type LineAmount, type ProtectedLine, protectedLines, refundLinesBatch } from './refund-batch.ts';
export type { LineDiscount, PaymentMethod } from './schema.ts';
export { type OrderEvent, type OrderStatus, transition } from './state-machine.ts';
export type { OrderView } from './views.ts';
export { OrdersService, ordersRoutes, orderTasks };

declare module '../../platform/module.ts' {
  interface ServiceRegistry {
    orders: OrdersService;
  }
}

/**
 * Cart, checkout, orders and their life cycle. Built before payments: the refunds and settlements
 * that move money inside orders' transactions come from payments' order port, which needs only
 * the platform, so payments (which needs orders) is built after without a setter.
 */
export const ordersModule = defineModule({
  name: 'orders',
  build: ({ db, clock, log, config, events }) => ({
    orders: new OrdersService({
      db,
      clock,
      log,
      config,
      events,
      payments: new OrderPaymentsPort({ clock, events }),
    }),
  }),
  routes: async ({ orders }, { api }) => {
    await api.register(ordersRoutes(orders));
  },
  // The auto-confirm delay is an operator setting of after-sale's policy (built after orders: read when run).
  tasks: ({ orders }, ctx) => orderTasks(orders, () => ctx.use('aftersale').autoConfirmDays()),
});
