import type { RawBuilder } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { attributionSchema } from './attribution.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { enqueue, enqueueFrom, enqueueSql, type OutboxJob, OutboxRunner } from './outbox.ts';

/**
 * The event bus: modules meet through named events instead of calling each other to react. The
 * publisher writes the event inside its own transaction (`publish(trx, 'order.paid', payload)`),
 * so the event exists exactly when the change does; each subscriber a module declares gets its own
 * delivery (a row of the outbox), run after the commit, retried with backoff and parked in the
 * dead letters after too many failures, without holding back the other subscribers of that event
 * or later events. Delivery is at least once: every handler is idempotent.
 *
 * TOPICS is the one registry of events: name → the zod schema of its payload. A payload is
 * checked when published (a wrong one fails the publisher's transaction) and again when delivered.
 */
const id = z.uuid();
/**
 * The lines of an order as its events carry them: what was bought, what the buyer paid for it
 * (`amountFen`, the line's paid amount after every discount) and where the buyer came from
 * (`attribution`, kept from the cart or the buy-now request through checkout), so the traffic
 * module credits each line's money to the impression and source that produced it.
 */
const lines = z.array(
  z.object({
    skuId: id,
    productId: id,
    quantity: z.number().int().positive(),
    amountFen: z.number().int().nonnegative(),
    attribution: attributionSchema,
  }),
);
export type OrderEventLine = z.infer<typeof lines>[number];

export const TOPICS = {
  /** Payments asks itself to capture an authorized payment at the provider (a command, after commit). */
  'payment.capture': z.object({ paymentId: id }),
  /** Payments asks itself to send a requested refund to the provider (a command, after commit). */
  'payment.refund': z.object({ refundId: id }),
  /** Payments asks itself to send a requested payout (money to a buyer not against a line) to the provider. */
  'payment.payout': z.object({ payoutId: id }),
  /**
   * `payment.refund` for a batch (price protection refunds thousands at once): one event carries
   * the batch's refunds, each still sent to the provider on its own.
   */
  'payment.refunds': z.object({ refundIds: z.array(id).min(1) }),
  /** An order was placed (one per store of a checkout), with its lines and their attribution. */
  'order.placed': z.object({ orderId: id, storeId: id, buyerId: id, totalFen: z.number().int(), lines }),
  /** An order was paid: its payment was captured while it waited for it. */
  'order.paid': z.object({ orderId: id, storeId: id, totalFen: z.number().int(), lines }),
  /** A buyer cancelled an order; `wasPaid` when it had been paid (and is refunded in full). */
  'order.cancelled': z.object({ orderId: id, storeId: id, wasPaid: z.boolean(), lines }),
  /** A paid order was refunded in full (every line; orders.refundLines): it is `refunded`. */
  'order.refunded': z.object({ orderId: id, storeId: id, wasShipped: z.boolean(), lines }),
  /** A buyer asked for an after-sale refund of one order line, with a reason. */
  'aftersale.requested': z.object({
    requestId: id,
    orderId: id,
    skuId: id,
    buyerId: id,
    reason: z.string().min(1),
  }),
  /**
   * A buyer reviewed an order line, or the platform wrote its default review (reviews module), in the
   * writing transaction. The size assistant learns from `fit`; growth and traffic read the rating.
   */
  'review.created': z.object({
    reviewId: id,
    orderId: id,
    skuId: id,
    productId: id,
    storeId: id,
    buyerId: id,
    rating: z.number().int().min(1).max(5),
    fit: z.enum(['small', 'fit', 'large']).nullable(),
    isDefault: z.boolean(),
  }),
  /**
   * A SKU's list price (merchant) or platform subsidy changed, effective `at` (pricing's price
   * history row `changeId`); published in the changing transaction. Price protection subscribes.
   */
  'price.changed': z.object({
    skuId: id,
    changeId: id,
    cause: z.enum(['merchant_price', 'subsidy']),
    funder: z.enum(['merchant', 'platform']),
    at: z.iso.datetime(),
  }),
  /** A merchant started a live session (live module); the reservers are notified (inbox). */
  'live.started': z.object({ sessionId: id, storeId: id, title: z.string(), startedAt: z.iso.datetime() }),
  /** A live session ended (live module); replays list its hit products and suggest clips. */
  'live.ended': z.object({ sessionId: id, storeId: id, endedAt: z.iso.datetime() }),
  /** A merchant scheduled a live session (live module); the store's fans are told (social). */
  'live.scheduled': z.object({ sessionId: id, storeId: id, title: z.string(), startsAt: z.iso.datetime() }),
  /** A merchant published a short video (videos module); the store's fans are told (social). */
  'video.published': z.object({ videoId: id, storeId: id, title: z.string(), kind: z.string() }),
  /**
   * A buyer followed a store (social module), from where (`source`); `at` is when. Growth and analytics
   * count fans from it.
   */
  'fan.followed': z.object({
    storeId: id,
    buyerId: id,
    source: z.enum(['live', 'video', 'store', 'coupon', 'product', 'other']),
    at: z.iso.datetime(),
  }),
  /** A buyer stopped following a store (social module). */
  'fan.unfollowed': z.object({ storeId: id, buyerId: id, at: z.iso.datetime() }),
  /**
   * Money went back to a buyer for after-sale lines (a partial or whole refund, aftersale module), with
   * the buyer's reason: growth's rebates are net of it, analytics counts refunds by reason.
   */
  'aftersale.refunded': z.object({
    requestId: id,
    orderId: id,
    storeId: id,
    buyerId: id,
    skuId: id,
    reason: z.string().min(1),
    amountFen: z.number().int().nonnegative(),
    at: z.iso.datetime(),
  }),
} as const;

export type Topic = keyof typeof TOPICS;
export type EventPayload<T extends Topic> = z.infer<(typeof TOPICS)[T]>;

/** A module's reaction to one topic. */
export interface Subscriber<T extends Topic = Topic> {
  /** `module.what-it-does`, unique: it names the subscriber's deliveries and dead letters. */
  name: string;
  topic: T;
  /** Runs after the publisher committed, outside any transaction; must be idempotent. */
  handle(payload: EventPayload<T>, job: OutboxJob): Promise<void>;
}

/** Any subscriber, whatever its topic (what a module's descriptor lists). */
export type AnySubscriber = { [T in Topic]: Subscriber<T> }[Topic];

/** Declares a subscriber with its payload typed from the topic. */
export function subscriber<T extends Topic>(
  name: string,
  topic: T,
  handle: Subscriber<T>['handle'],
): Subscriber<T> {
  return { name, topic, handle };
}

/** What a publishing module is given at construction. */
export interface Publisher {
  /** Writes the event inside the caller's transaction: one delivery per subscriber of the topic. */
  publish<T extends Topic>(trx: Db, topic: T, payload: EventPayload<T>): Promise<void>;
  /** Several events of one topic in one statement (one per order of a checkout, say). */
  publishAll<T extends Topic>(trx: Db, topic: T, payloads: Array<EventPayload<T>>): Promise<void>;
  /** `publishAll` as SQL, for a CTE of the caller's own statement (`with …, queued as (<this>)`). */
  publishSql<T extends Topic>(topic: T, payloads: Array<EventPayload<T>>): RawBuilder<unknown>;
  /**
   * `publish` as SQL for the caller's own statement (`with moved as (…), queued as (<this>)`):
   * one event per row of the CTE `source`, without a round trip of its own.
   */
  publishFrom<T extends Topic>(source: string, topic: T, payload: EventPayload<T>): RawBuilder<unknown>;
  /**
   * The names of a topic's subscribers: for a prepared statement of fixed text that writes the
   * outbox rows itself (`unnest($n::text[])` of these names, as `enqueueFrom` does).
   */
  subscribersOf(topic: Topic): string[];
}

export interface EventBusOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Attempts after which a failing delivery goes to the dead letters (outbox.ts's default otherwise). */
  maxAttempts?: number;
}

export class EventBus implements Publisher {
  private readonly subscribers = new Map<string, AnySubscriber>();
  private readonly handlers: Record<string, (job: OutboxJob) => Promise<void>> = {};
  private readonly runner: OutboxRunner;

  constructor(private readonly options: EventBusOptions) {
    this.runner = new OutboxRunner({ ...options, handlers: this.handlers });
  }

  /**
   * Adds subscribers (composition time, before the first publish: an event reaches the
   * subscribers its topic has when it is published).
   */
  subscribe(...subscribers: AnySubscriber[]): void {
    for (const sub of subscribers) {
      if (this.subscribers.has(sub.name)) throw new Error(`two subscribers are named ${sub.name}`);
      this.subscribers.set(sub.name, sub);
      const schema: z.ZodType = TOPICS[sub.topic];
      const handle = sub.handle as (payload: unknown, job: OutboxJob) => Promise<void>;
      this.handlers[sub.name] = (job) => handle(schema.parse(job.payload), job);
    }
  }

  /** The names of a topic's subscribers. */
  subscribersOf(topic: Topic): string[] {
    return [...this.subscribers.values()].filter((s) => s.topic === topic).map((s) => s.name);
  }

  /** Every subscriber, for the documentation and the tests. */
  list(): Array<{ name: string; topic: Topic }> {
    return [...this.subscribers.values()].map(({ name, topic }) => ({ name, topic }));
  }

  publish<T extends Topic>(trx: Db, topic: T, payload: EventPayload<T>): Promise<void> {
    return this.publishAll(trx, topic, [payload]);
  }

  async publishAll<T extends Topic>(trx: Db, topic: T, payloads: Array<EventPayload<T>>): Promise<void> {
    const checked = payloads.map((p) => TOPICS[topic].parse(p) as Record<string, unknown>);
    await enqueue(trx, topic, checked, this.options.clock.now(), this.subscribersOf(topic));
  }

  publishSql<T extends Topic>(topic: T, payloads: Array<EventPayload<T>>): RawBuilder<unknown> {
    const checked = payloads.map((p) => TOPICS[topic].parse(p) as Record<string, unknown>);
    return enqueueSql(topic, checked, this.options.clock.now(), this.subscribersOf(topic));
  }

  publishFrom<T extends Topic>(source: string, topic: T, payload: EventPayload<T>): RawBuilder<unknown> {
    const checked = TOPICS[topic].parse(payload) as Record<string, unknown>;
    return enqueueFrom(source, topic, checked, this.options.clock.now(), this.subscribersOf(topic));
  }

  /**
   * Runs one batch of due deliveries (claimed with SKIP LOCKED and a lease, see outbox.ts);
   * returns how many ran. The platform's worker calls it; tests call it to drain.
   */
  runOnce(): Promise<number> {
    return this.runner.runOnce();
  }
}
