import type { WorkerTask } from '../../platform/workers.ts';
import type { OrdersService } from './service.ts';

/**
 * Background work of the orders module: unpaid orders expire, the sandbox carrier delivers,
 * delivered orders are confirmed received `autoConfirmDays()` days after delivery (an operator
 * setting, kept in after-sale's policy).
 */
export function orderTasks(orders: OrdersService, autoConfirmDays: () => Promise<number>): WorkerTask[] {
  return [
    { name: 'orders.expire', intervalMs: 5_000, drain: true, run: () => orders.expireDue() },
    { name: 'orders.sandbox-carrier', intervalMs: 5_000, drain: true, run: () => orders.deliverDue() },
    {
      name: 'orders.auto-confirm',
      intervalMs: 60_000,
      drain: true,
      run: async () => orders.autoConfirmDue(await autoConfirmDays()),
    },
  ];
}
