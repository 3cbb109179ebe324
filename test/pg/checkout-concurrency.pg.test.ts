import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { trialBalance } from '../../src/modules/payments/index.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db.ts';
import { AppError } from '../../src/platform/errors.ts';
import {
  countRows,
  createAccount,
  createProduct,
  createStore,
  registerFixtureServices,
  stockOf,
  testAddress,
} from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { freshDatabase, usePostgres } from '../support/test-db.ts';

/** Real concurrency needs real connections: these run on PostgreSQL only (`npm run test:pg`). */
describe.runIf(usePostgres)('checkout under concurrency (PostgreSQL)', () => {
  let database: Database;
  let g: Gravity;
  let storeId: string;

  const buyer = async (): Promise<Actor> => ({
    accountId: await createAccount(database.db, 'buyer'),
    role: 'buyer',
    phone: '',
    storeId: null,
  });

  beforeAll(async () => {
    database = await freshDatabase(60);
    const config = {
      ...loadConfig({ NODE_ENV: 'test' }),
      sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 },
    };
    g = await buildApp({
      config,
      db: database.db,
      clock: new ManualClock('2026-03-01T08:00:00Z'),
      log: pino({ level: 'silent' }),
    });
    await g.app.ready();
    registerFixtureServices(database.db, g.services);
    ({ storeId } = await createStore(database.db));
  });
  afterAll(async () => {
    await g.stop();
    await g.app.close();
    await database.close();
  });

  it('sells exactly 50 units to 200 buyers checking out at once, never below zero', async () => {
    const { skuIds } = await createProduct(database.db, storeId, { skus: [{ priceFen: 19_900, stock: 50 }] });
    const sku = skuIds[0] as string;
    const buyers = await Promise.all(Array.from({ length: 200 }, buyer));
    let sampling = true;
    let lowest = Number.POSITIVE_INFINITY;
    const sampler = (async () => {
      while (sampling) {
        lowest = Math.min(lowest, await stockOf(database.db, sku));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const results = await Promise.allSettled(
      buyers.map((b, i) =>
        g.services.orders.checkout(b, `rush-${i}`, {
          lines: [{ skuId: sku, quantity: 1 }],
          address: testAddress,
        }),
      ),
    );
    sampling = false;
    await sampler;
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const err of refused) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 409, code: 'out_of_stock' });
    }
    expect(await stockOf(database.db, sku)).toBe(0);
    expect(lowest).toBeGreaterThanOrEqual(0);
    const sold = await sql<{ orders: number; units: number }>`
      select count(distinct o.id)::int as orders, coalesce(sum(l.quantity), 0)::int as units
      from orders o join order_lines l on l.order_id = o.id where l.sku_id = ${sku}`.execute(database.db);
    expect(sold.rows[0]).toEqual({ orders: 50, units: 50 });
    // Refused checkouts left no idempotency keys behind (their transactions rolled back).
    expect(await countRows(database.db, 'idempotency_keys')).toBe(50);
  });

  it('makes one order and one charge from 20 parallel retries with one Idempotency-Key', async () => {
    const { skuIds } = await createProduct(database.db, storeId, { skus: [{ priceFen: 5_000, stock: 100 }] });
    const sku = skuIds[0] as string;
    const b = await buyer();
    const body = { lines: [{ skuId: sku, quantity: 2 }], address: testAddress };
    const placed = await Promise.all(
      Array.from({ length: 20 }, () => g.services.orders.checkout(b, 'same-key-20x', structuredClone(body))),
    );
    const ids = new Set(placed.map((p) => p.body.checkout.id));
    expect(ids.size).toBe(1);
    expect(placed.filter((p) => !p.replayed)).toHaveLength(1);
    expect(await stockOf(database.db, sku)).toBe(98);
    const checkoutId = [...ids][0] as string;
    const orders = await sql<{
      n: number;
    }>`select count(*)::int as n from orders where checkout_id = ${checkoutId}`.execute(database.db);
    expect(orders.rows[0]?.n).toBe(1);

    // Pay: 20 parallel retries with one key, and 20 more with 20 different keys.
    const paid = await Promise.all([
      ...Array.from({ length: 20 }, () => g.services.payments.pay(b, checkoutId, 'same-pay-key-20x')),
      ...Array.from({ length: 20 }, (_, i) => g.services.payments.pay(b, checkoutId, `other-pay-key-${i}`)),
    ]);
    expect(new Set(paid.map((p) => p.body.payment.id)).size).toBe(1);
    const payments = await sql<{
      id: string;
    }>`select id from payments where checkout_id = ${checkoutId}`.execute(database.db);
    expect(payments.rows).toHaveLength(1);
    const charges = await sql<{ n: number }>`
      select count(*)::int as n from sandbox_provider_charges where merchant_reference = ${payments.rows[0]?.id}`.execute(
      database.db,
    );
    expect(charges.rows[0]?.n).toBe(1);

    await settlePayments(g);
    const captured = await sql<{
      status: string;
    }>`select status from payments where checkout_id = ${checkoutId}`.execute(database.db);
    expect(captured.rows).toEqual([{ status: 'captured' }]);
    const ledger = await sql<{ n: number }>`
      select count(*)::int as n from ledger_transactions where kind = 'payment' and reference = ${payments.rows[0]?.id}`.execute(
      database.db,
    );
    expect(ledger.rows[0]?.n).toBe(1);
    expect((await trialBalance(database.db)).totalFen).toBe(0);
  });

  it('applies a webhook delivered 10 times at once exactly once', async () => {
    const { skuIds } = await createProduct(database.db, storeId, { skus: [{ priceFen: 700, stock: 5 }] });
    const b = await buyer();
    const co = await g.services.orders.checkout(b, 'webhook-race', {
      lines: [{ skuId: skuIds[0] as string, quantity: 1 }],
      address: testAddress,
    });
    const checkoutId = co.body.checkout.id;
    await g.services.payments.pay(b, checkoutId, 'webhook-race-pay');
    await settlePayments(g);
    const sent = await sql<{ payload: { type: string; data: { paymentId: string } } }>`
      select payload from sandbox_provider_webhooks where delivered_at is not null`.execute(database.db);
    const payment = await sql<{
      id: string;
    }>`select id from payments where checkout_id = ${checkoutId}`.execute(database.db);
    const capturedEvent = sent.rows.find(
      (r) => r.payload.type === 'payment.captured' && r.payload.data.paymentId === payment.rows[0]?.id,
    );
    expect(capturedEvent).toBeDefined();
    // A fresh event id for the same capture, sent 10 times concurrently (a provider retry storm).
    const storm = JSON.stringify({ ...capturedEvent?.payload, id: 'evt_storm_1' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        g.app.inject({
          method: 'POST',
          url: '/api/v1/payments/webhook',
          payload: storm,
          headers: g.services.sandboxPayments.sign(storm),
        }),
      ),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(answers.filter((a) => a.json().duplicate === false)).toHaveLength(1);
    const ledger = await sql<{ n: number }>`
      select count(*)::int as n from ledger_transactions where kind = 'payment' and reference = ${payment.rows[0]?.id}`.execute(
      database.db,
    );
    expect(ledger.rows[0]?.n).toBe(1);
    expect((await trialBalance(database.db)).totalFen).toBe(0);
  });
});
