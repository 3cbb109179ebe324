import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createProduct, createStore, testAddress } from '../../../test/support/fixtures.ts';
import { freshDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../../platform/auth.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Database, Db } from '../../platform/db.ts';
import { EventBus, subscriber } from '../../platform/events.ts';
import { countQueries } from '../../platform/query-counter.ts';
import { OrderPaymentsPort } from '../payments/index.ts';
import { OrdersService } from './service.ts';

describe('checkout issues a constant number of SQL statements (no N+1)', () => {
  let database: Database;
  let counted: Db;
  let counter: ReturnType<typeof countQueries>;
  let orders: OrdersService;
  const stores: string[] = [];
  const skus: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    counter = countQueries(database.db);
    counted = counter.db;
    const clock = new ManualClock();
    const events = new EventBus({ db: counted, clock, log: pino({ level: 'silent' }) });
    // A subscriber to order.placed, as in the app: the events of all the orders are one statement.
    events.subscribe(subscriber('test.count-orders', 'order.placed', async () => {}));
    orders = new OrdersService({
      db: counted,
      clock,
      log: pino({ level: 'silent' }),
      config: { unpaidOrderTtlMinutes: 15, sandboxDeliverySeconds: 60, commissionBps: 0 },
      events,
      payments: new OrderPaymentsPort({ clock, events }),
    });
    for (let s = 0; s < 3; s += 1) {
      const { storeId } = await createStore(database.db);
      stores.push(storeId);
      const { skuIds } = await createProduct(database.db, storeId, {
        skus: Array.from({ length: 15 }, (_, i) => ({ priceFen: 100 + i, stock: 100, size: `S${i}` })),
      });
      skus.push(...skuIds);
    }
  });
  afterAll(async () => database.close());

  const statementsFor = async (lineCount: number, useCart: boolean) => {
    const buyer: Actor = {
      accountId: await createAccount(database.db, 'buyer'),
      role: 'buyer',
      phone: '',
      storeId: null,
    };
    const lines = skus.slice(0, lineCount).map((skuId) => ({ skuId, quantity: 2 }));
    if (useCart) for (const l of lines) await orders.setCartItem(buyer, l.skuId, l.quantity);
    counter.reset();
    const res = await orders.checkout(buyer, `count-${lineCount}-${useCart}`, {
      ...(useCart ? {} : { lines }),
      address: testAddress,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body.checkout.orders.flatMap((o) => o.lines)).toHaveLength(lineCount);
    return counter.count();
  };

  it('is two statements (the facts read, place-checkout.sql) for 1, 10 and 45 lines over 1 to 3 stores, with or without the cart', async () => {
    // Counted like bench/checkout.ts (countQueries): prepared statements included, no BEGIN/COMMIT.
    expect(await statementsFor(1, false)).toBe(2);
    expect(await statementsFor(10, false)).toBe(2);
    expect(await statementsFor(45, false)).toBe(2);
    expect(await statementsFor(45, true)).toBe(2); // the cart is read with the facts
  });

  it('replays a retry with one more read, rebuilt from the tables as first answered', async () => {
    const buyer: Actor = {
      accountId: await createAccount(database.db, 'buyer'),
      role: 'buyer',
      phone: '',
      storeId: null,
    };
    const input = {
      lines: [skus[20], skus[3], skus[31], skus[4]].map((skuId) => ({ skuId: skuId as string, quantity: 1 })),
      address: testAddress,
    };
    const first = await orders.checkout(buyer, 'replay-me', input);
    counter.reset();
    const again = await orders.checkout(buyer, 'replay-me', input);
    expect(counter.count()).toBe(2);
    expect(again.replayed).toBe(true);
    expect(again.statusCode).toBe(201);
    expect(again.body).toEqual(first.body);
    const stored = await database.db
      .selectFrom('idempotency_keys' as never)
      .select(['response' as never])
      .where('key' as never, '=', 'replay-me' as never)
      .executeTakeFirstOrThrow();
    expect((stored as { response: unknown }).response).toEqual({ checkoutId: first.body.checkout.id });
    for (const o of first.body.checkout.orders) expect(o.orderNo).toMatch(/^\d{8}-\d{9}$/);
  });

  it('lists orders in a constant number of statements', async () => {
    const buyer: Actor = {
      accountId: await createAccount(database.db, 'buyer'),
      role: 'buyer',
      phone: '',
      storeId: null,
    };
    const counts: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await orders.checkout(buyer, `list-${i}`, {
        lines: [{ skuId: skus[i * 7] as string, quantity: 1 }],
        address: testAddress,
      });
      counter.reset();
      const page = await orders.listForBuyer(buyer, { page: 1, pageSize: 20 });
      expect(page.items).toHaveLength(i + 1);
      counts.push(counter.count());
    }
    expect(new Set(counts).size).toBe(1);
  });
});
