import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createProduct, createStore, testAddress } from '../../../test/support/fixtures.ts';
import { freshDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../../platform/auth.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Database, Db } from '../../platform/db.ts';
import { EventBus, subscriber } from '../../platform/events.ts';
import { OrderPaymentsPort } from '../payments/index.ts';
import { OrdersService } from './service.ts';

/** Counts every statement Kysely sends (query builder and raw `sql` alike); BEGIN/COMMIT are not queries. */
class StatementCounter implements KyselyPlugin {
  statements: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push(args.node.kind);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe('checkout issues a constant number of SQL statements (no N+1)', () => {
  let database: Database;
  let counted: Db;
  const counter = new StatementCounter();
  let orders: OrdersService;
  const stores: string[] = [];
  const skus: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    counted = database.db.withPlugin(counter);
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
    counter.statements = [];
    const res = await orders.checkout(buyer, `count-${lineCount}-${useCart}`, {
      ...(useCart ? {} : { lines }),
      address: testAddress,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body.checkout.orders.flatMap((o) => o.lines)).toHaveLength(lineCount);
    return counter.statements.length;
  };

  it('is the same for 1, 15 and 45 lines over 1 to 3 stores, with or without the cart', async () => {
    const one = await statementsFor(1, false);
    const fifteen = await statementsFor(15, false);
    const fortyFive = await statementsFor(45, false);
    expect(fifteen).toBe(one);
    expect(fortyFive).toBe(one);
    // idempotency key, lock + reserve + read the SKUs, store names, and one statement for every
    // write (checkout, orders, lines, events, cart delete, idempotency answer) = 4 statements
    // (plus BEGIN and COMMIT). It was 11 before the writes were folded into CTEs. Pricing adds 5:
    // lock the subsidies, the quote (SKU prices, subsidies, coupons) and the buyer as the stores'
    // customer (with no subsidy or coupon to draw).
    expect(one).toBe(9);
    const fromCart = await statementsFor(45, true);
    expect(fromCart).toBe(one + 1); // reading the cart
    console.log(`checkout statements: ${one} (+1 when it reads the cart), plus BEGIN/COMMIT`);
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
      counter.statements = [];
      const page = await orders.listForBuyer(buyer, { page: 1, pageSize: 20 });
      expect(page.items).toHaveLength(i + 1);
      counts.push(counter.statements.length);
    }
    expect(new Set(counts).size).toBe(1);
  });
});
