import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import {
  canTransition,
  ORDER_EVENTS,
  ORDER_STATUSES,
  type OrderEvent,
  type OrderStatus,
  sourcesOf,
  transition,
} from './state-machine.ts';

/** The contract's life cycle, written out independently of the implementation's table. */
const LEGAL: Array<[OrderStatus, OrderEvent, OrderStatus]> = [
  ['pending_payment', 'pay', 'paid'],
  ['pending_payment', 'cancel', 'cancelled'],
  ['pending_payment', 'expire', 'expired'],
  ['paid', 'ship', 'shipped'],
  ['paid', 'cancel', 'cancelled'],
  ['shipped', 'deliver', 'delivered'],
  ['shipped', 'confirm', 'completed'],
  ['delivered', 'confirm', 'completed'],
];

describe('order state machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  const illegal = ORDER_STATUSES.flatMap((from) =>
    ORDER_EVENTS.filter((event) => !LEGAL.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  it(`has exactly the legal transitions of the contract and refuses the other ${illegal.length}`, () => {
    expect(illegal.length + LEGAL.length).toBe(ORDER_STATUSES.length * ORDER_EVENTS.length);
  });

  it.each(illegal)('refuses %s --%s--> with 409 illegal_transition', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    try {
      transition(from, event);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 409, code: 'illegal_transition', details: { from, event } });
    }
  });

  it('final states have no way out', () => {
    for (const s of ['completed', 'cancelled', 'expired', 'refunded'] as const) {
      expect(ORDER_EVENTS.filter((e) => canTransition(s, e))).toEqual([]);
    }
  });

  it('lists the sources of an event for set-based updates', () => {
    expect(sourcesOf('confirm').sort()).toEqual(['delivered', 'shipped']);
    expect(sourcesOf('cancel').sort()).toEqual(['paid', 'pending_payment']);
    expect(sourcesOf('expire')).toEqual(['pending_payment']);
  });
});
