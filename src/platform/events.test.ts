import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/test-db.ts';
import { ManualClock } from './clock.ts';
import type { Database } from './db.ts';
import { listDeadLetters, retryDeadLetter } from './dead-letters.ts';
import { EventBus, type EventPayload, subscriber } from './events.ts';

const operator = {
  accountId: '00000000-0000-4000-8000-000000000001',
  role: 'operator',
  phone: '',
  storeId: null,
} as const;
const placed = (n: number): EventPayload<'order.placed'> => ({
  orderId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  storeId: '00000000-0000-4000-8000-0000000000aa',
  buyerId: '00000000-0000-4000-8000-0000000000bb',
  totalFen: 100 * n,
  lines: [
    {
      skuId: '00000000-0000-4000-8000-0000000000cc',
      productId: '00000000-0000-4000-8000-0000000000dd',
      quantity: 1,
      amountFen: 100 * n,
      attribution: { channel: 'direct', impressionId: null, contentId: null },
    },
  ],
});

describe('the event bus: each subscriber progresses, retries and fails on its own', () => {
  let database: Database;
  const clock = new ManualClock('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database.close());
  beforeEach(async () => {
    await sql`delete from outbox`.execute(database.db);
    await sql`delete from outbox_dead_letters`.execute(database.db);
  });

  /** A bus whose `ledger` subscriber fails while `failing` says so; what each handler saw is recorded. */
  const busWith = (maxAttempts: number) => {
    const seen = { ledger: [] as number[], counter: [] as number[], other: 0 };
    const state = { failing: true };
    const bus = new EventBus({ db: database.db, clock, log: pino({ level: 'silent' }), maxAttempts });
    bus.subscribe(
      subscriber('test.ledger', 'order.placed', async (e) => {
        if (state.failing) throw new Error(`ledger down (${e.totalFen})`);
        seen.ledger.push(e.totalFen);
      }),
      subscriber('test.counter', 'order.placed', async (e) => {
        seen.counter.push(e.totalFen);
      }),
      subscriber('test.other-topic', 'order.paid', async () => {
        seen.other += 1;
      }),
    );
    return { bus, seen, state };
  };
  const publish = (bus: EventBus, n: number) =>
    database.db.transaction().execute((trx) => bus.publish(trx, 'order.placed', placed(n)));
  /** Runs the bus until nothing is due now. */
  const drain = async (bus: EventBus) => {
    for (let i = 0; i < 50; i += 1) if ((await bus.runOnce()) === 0) return;
    throw new Error('the bus did not drain');
  };

  it('writes one delivery per subscriber of the topic, in the publisher transaction', async () => {
    const { bus } = busWith(5);
    expect(bus.subscribersOf('order.placed').sort()).toEqual(['test.counter', 'test.ledger']);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await bus.publish(trx, 'order.placed', placed(1));
        throw new Error('the publisher changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await count('outbox')).toBe(0); // rolled back with the publisher's change
    await publish(bus, 1);
    const rows = await sql<{ subscriber: string }>`select subscriber from outbox order by subscriber`.execute(
      database.db,
    );
    expect(rows.rows.map((r) => r.subscriber)).toEqual(['test.counter', 'test.ledger']);
  });

  it('refuses a payload that does not match its topic, writing nothing', async () => {
    const { bus } = busWith(5);
    const bad = { ...placed(1), orderId: 'not-a-uuid' };
    await expect(
      database.db.transaction().execute((trx) => bus.publish(trx, 'order.placed', bad)),
    ).rejects.toThrow();
    expect(await count('outbox')).toBe(0);
  });

  it('retries a failing subscriber with backoff while the others go on, then delivers it once', async () => {
    const { bus, seen, state } = busWith(5);
    await publish(bus, 1);
    await drain(bus);
    expect(seen.counter).toEqual([100]); // not held back by the ledger's failure
    expect(seen.ledger).toEqual([]);
    const job = await sql<{ attempts: number; last_error: string; done_at: Date | null }>`
      select attempts, last_error, done_at from outbox where subscriber = 'test.ledger'`.execute(database.db);
    expect(job.rows[0]).toMatchObject({ attempts: 1, last_error: 'ledger down (100)', done_at: null });

    // A later event reaches the healthy subscriber at once.
    await publish(bus, 2);
    await drain(bus);
    expect(seen.counter).toEqual([100, 200]);

    // Not retried before its backoff (1 s after the first attempt, 2 s after the second…).
    state.failing = false;
    await publish(bus, 3);
    await drain(bus);
    expect(seen.ledger).toEqual([300]);
    clock.advance(1_000);
    await drain(bus);
    expect(seen.ledger.sort()).toEqual([100, 200, 300]);
    expect(seen.counter.sort()).toEqual([100, 200, 300]); // each once
    expect(seen.other).toBe(0); // another topic's subscriber heard nothing
    expect(await count('outbox where done_at is null')).toBe(0);
  });

  it('parks a subscriber that keeps failing in the dead letters after N attempts, by name; an operator sends it back to that subscriber only', async () => {
    const { bus, seen, state } = busWith(3);
    await publish(bus, 7);
    for (let round = 0; round < 10; round += 1) {
      await drain(bus);
      clock.advance(301_000);
    }
    expect(seen.counter).toEqual([700]);
    const letters = await listDeadLetters(database.db, operator, { page: 1, pageSize: 10 });
    expect(letters.total).toBe(1);
    expect(letters.items[0]).toMatchObject({
      topic: 'order.placed',
      subscriber: 'test.ledger',
      attempts: 3,
      lastError: 'ledger down (700)',
      payload: placed(7),
    });
    expect(await count('outbox where done_at is null')).toBe(0);

    state.failing = false;
    await retryDeadLetter(database.db, clock, operator, letters.items[0]?.id as number);
    await drain(bus);
    expect(seen.ledger).toEqual([700]);
    expect(seen.counter).toEqual([700]); // the sent-back delivery was the ledger's alone
  });

  it('refuses two subscribers with one name', () => {
    const { bus } = busWith(3);
    expect(() => bus.subscribe(subscriber('test.counter', 'order.placed', async () => {}))).toThrow(
      'two subscribers are named test.counter',
    );
  });

  async function count(from: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(from)}`.execute(database.db);
    return r.rows[0]?.n ?? 0;
  }
});
