import type { WorkerTask } from '../../platform/workers.ts';
import type { OrdersService } from './service.ts';

/** Background work of the orders module: unpaid orders expire, the sandbox carrier delivers. */
export function orderTasks(orders: OrdersService): WorkerTask[] {
  return [
    { name: 'orders.expire', intervalMs: 5_000, drain: true, run: () => orders.expireDue() },
    { name: 'orders.sandbox-carrier', intervalMs: 5_000, drain: true, run: () => orders.deliverDue() },
  ];
}
