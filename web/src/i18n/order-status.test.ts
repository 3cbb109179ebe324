import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES as SERVER_ORDER_STATUSES } from '../../../src/modules/orders/state-machine.ts';
import { ORDER_STATUSES } from '../api.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

describe('order status labels', () => {
  it('the web app knows every status the server has', () => {
    expect([...ORDER_STATUSES].sort()).toEqual([...SERVER_ORDER_STATUSES].sort());
  });

  it('every status has a label in both languages, for the consoles and for the buyer', () => {
    for (const messages of [zhCN, en]) {
      for (const status of SERVER_ORDER_STATUSES) {
        expect(messages.status[status as keyof typeof messages.status], status).toBeTruthy();
        expect(messages.buyerApp.status[status], status).toBeTruthy();
      }
    }
  });

  it("the buyer reads each status in a buyer's words, the same meaning in both languages", () => {
    expect(en.buyerApp.status).toEqual({
      pending_payment: 'To pay',
      paid: 'To ship',
      shipped: 'To receive',
      delivered: 'Delivered',
      completed: 'Completed',
      cancelled: 'Cancelled',
      expired: 'Closed (unpaid)',
      refunded: 'Refunded',
    });
    expect(zhCN.buyerApp.status.paid).toBe('待发货');
    expect(zhCN.buyerApp.status.shipped).toBe('待收货');
    // 待发货 is an order waiting to be shipped, not just "paid"
    expect(en.status.paid).toBe('To ship');
  });
});
