import { conflict } from '../../platform/errors.ts';

/** Every state an order can be in (the `orders.status` check constraint lists the same). */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'expired',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = ['pay', 'cancel', 'expire', 'ship', 'deliver', 'confirm', 'refund'] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/**
 * The whole order life cycle. Anything not listed is illegal.
 * pending_payment → paid | cancelled | expired; paid → shipped | cancelled (refunded);
 * shipped → delivered | completed; delivered → completed. The rest are final.
 * paid | shipped | delivered | completed → refunded when every line is refunded in full
 * (orders.refundLines).
 */
const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  pending_payment: { pay: 'paid', cancel: 'cancelled', expire: 'expired' },
  paid: { ship: 'shipped', cancel: 'cancelled', refund: 'refunded' },
  shipped: { deliver: 'delivered', confirm: 'completed', refund: 'refunded' },
  delivered: { confirm: 'completed', refund: 'refunded' },
  completed: { refund: 'refunded' },
  cancelled: {},
  expired: {},
  refunded: {},
};

/** The state after `event`, or a 409 `illegal_transition`. */
export function transition(from: OrderStatus, event: OrderEvent): OrderStatus {
  const to = TRANSITIONS[from]?.[event];
  if (!to) {
    throw conflict('illegal_transition', `An order that is ${from} cannot ${event}`, { from, event });
  }
  return to;
}

export function canTransition(from: OrderStatus, event: OrderEvent): boolean {
  return TRANSITIONS[from]?.[event] !== undefined;
}

/** States from which `event` is legal (for set-based updates: `where status = any(…)`). */
export function sourcesOf(event: OrderEvent): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => canTransition(s, event));
}

/** The statuses in which the buyer's money sits in escrow (paid, not yet settled). */
export const IN_ESCROW: OrderStatus[] = ['paid', 'shipped', 'delivered'];
/** The statuses that count as sold (GMV). */
export const SOLD: OrderStatus[] = ['paid', 'shipped', 'delivered', 'completed'];
