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
  ['paid', 'refund', 'refunded'],
  ['shipped', 'refund', 'refunded'],
  ['delivered', 'refund', 'refunded'],
  ['completed', 'refund', 'refunded'],
];

describe('order state machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  // Every (status, event) pair, from the contract's own lists: the implementation's lists must
  // match them, so a status or event added on one side only is caught here.
  const STATUSES: OrderStatus[] = [
    'pending_payment',
    'paid',
    'shipped',
    'delivered',
    'completed',
    'cancelled',
    'expired',
    'refunded',
  ];
  const EVENTS: OrderEvent[] = ['pay', 'cancel', 'expire', 'ship', 'deliver', 'confirm', 'refund'];
  const pairs = STATUSES.flatMap((from) => EVENTS.map((event) => [from, event] as const));
  const legalTarget = (from: OrderStatus, event: OrderEvent) =>
    LEGAL.find(([f, e]) => f === from && e === event)?.[2];
  const illegal = pairs.filter(([from, event]) => legalTarget(from, event) === undefined);

  it('knows exactly the statuses and events of the contract', () => {
    expect([...ORDER_STATUSES].sort()).toEqual([...STATUSES].sort());
    expect([...ORDER_EVENTS].sort()).toEqual([...EVENTS].sort());
  });

  it(`allows exactly the ${LEGAL.length} legal transitions of the ${pairs.length} (status, event) pairs`, () => {
    const allowed = pairs
      .filter(([from, event]) => canTransition(from, event))
      .map(([from, event]) => [from, event, transition(from, event)]);
    expect(allowed).toEqual(
      pairs.filter(([f, e]) => legalTarget(f, e)).map(([f, e]) => [f, e, legalTarget(f, e)]),
    );
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

  it('final states have no way out (a completed order can still be refunded in full)', () => {
    expect(ORDER_EVENTS.filter((e) => canTransition('completed', e))).toEqual(['refund']);
    for (const s of ['cancelled', 'expired', 'refunded'] as const) {
      expect(ORDER_EVENTS.filter((e) => canTransition(s, e))).toEqual([]);
    }
  });

  it('lists the sources of an event for set-based updates', () => {
    expect(sourcesOf('confirm').sort()).toEqual(['delivered', 'shipped']);
    expect(sourcesOf('cancel').sort()).toEqual(['paid', 'pending_payment']);
    expect(sourcesOf('expire')).toEqual(['pending_payment']);
  });
});
