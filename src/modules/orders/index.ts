export { canonicalJson, idempotent, requestHash } from './idempotency.ts';
export type { OrderPayments, PaymentStatusView } from './ports.ts';
export { PURCHASED, type PurchasedLine, purchasedLines } from './purchases.ts';
export { ordersRoutes } from './routes.ts';
export { OrdersService } from './service.ts';
export { type OrderEvent, type OrderStatus, transition } from './state-machine.ts';
export { orderTasks } from './tasks.ts';
export type { OrderView } from './views.ts';
