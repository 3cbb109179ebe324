import { type CompiledQuery, sql } from 'kysely';
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
  /** After this many more facts reads, a merchant changes `bumpSku`'s list price (a race, made certain). */
  let bumps = 0;
  let bumpSku = '';

  beforeAll(async () => {
    database = await freshDatabase();
    counter = countQueries(database.db);
    // Before the write statement, a merchant may change a price (a race between the facts read
    // and the write, made certain): `bumps` times.
    counted = new Proxy(counter.db, {
      get(target, prop) {
        if (prop === 'executeQuery') {
          return async (query: CompiledQuery) => {
            if (bumps > 0 && query.sql.includes('checkout_refused')) {
              bumps -= 1;
              await sql`update sku_prices set list_price_fen = list_price_fen + 10 where sku_id = ${bumpSku}`.execute(
                target,
              );
            }
            return target.executeQuery(query);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
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

  it('replays a retry from the tables as first answered: the facts read, the checkout, its store names', async () => {
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
    expect(counter.count()).toBe(3);
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

  it('reads the facts again when a list price changed under the quote, then refuses with price_changed', async () => {
    const buyer: Actor = {
      accountId: await createAccount(database.db, 'buyer'),
      role: 'buyer',
      phone: '',
      storeId: null,
    };
    bumpSku = skus[44] as string;
    const price = async () =>
      Number(
        (
          await sql<{
            p: number;
          }>`select list_price_fen as p from sku_prices where sku_id = ${bumpSku}`.execute(database.db)
        ).rows[0]?.p,
      );
    const stock = async () =>
      Number(
        (await sql<{ s: number }>`select stock as s from skus where id = ${bumpSku}`.execute(database.db))
          .rows[0]?.s,
      );
    const before = await price();
    bumps = 1;
    const placed = await orders.checkout(buyer, 'bumped-once', {
      lines: [{ skuId: bumpSku, quantity: 1 }],
      address: testAddress,
    });
    expect(placed.body.checkout.orders[0]?.lines[0]?.listPriceFen).toBe(before + 10);
    expect(placed.body.checkout.totalFen).toBe(before + 10);

    const stockBefore = await stock();
    bumps = 3;
    await expect(
      orders.checkout(buyer, 'bumped-thrice', {
        lines: [{ skuId: bumpSku, quantity: 1 }],
        address: testAddress,
      }),
    ).rejects.toMatchObject({ code: 'price_changed', status: 409 });
    expect(bumps).toBe(0);
    expect(await stock()).toBe(stockBefore);
    const keys = await sql`select 1 from idempotency_keys where key = 'bumped-thrice'`.execute(database.db);
    expect(keys.rows).toHaveLength(0);
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
