import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, idempotent } from '../../../test/support/api.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../../../test/support/fixtures.ts';
import { settlePayments } from '../../../test/support/payments.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import type { FlashSalesDeps } from './service.ts';

/** Flash sales on PGlite: every rule through the API (the concurrency test is test/pg/flash-sale.pg.test.ts). */
describe('flash sales (秒杀)', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let otherMerchant: string;
  let storeId: string;
  let otherStore: string;
  let phoneSeq = 0;
  const buyer = async () => {
    phoneSeq += 1;
    return t.signIn(`1362000${String(1000 + phoneSeq).padStart(4, '0')}`);
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    merchant = await t.signIn('13720000001', 'merchant');
    otherMerchant = await t.signIn('13720000002', 'merchant');
    ({ storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13720000001') }));
    ({ storeId: otherStore } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13720000002'),
    }));
  });
  afterAll(async () => t.close());

  let keySeq = 0;
  const buy = (cookie: string, saleId: string, key = `flash-key-${++keySeq}`) =>
    api('POST', `/flash-sales/${saleId}/purchases`, cookie, { address: testAddress }, idempotent(key));
  const sku = async (stock = 100, priceFen = 9_900) => {
    const p = await createProduct(t.db, storeId, { skus: [{ priceFen, stock }] });
    return { skuId: p.skuIds[0] as string, productId: p.productId };
  };
  const skuRow = async (skuId: string) =>
    (
      await sql<{ stock: number; reserved: number; stock_version: number }>`
        select stock, reserved, stock_version from skus where id = ${skuId}`.execute(t.db)
    ).rows[0] as { stock: number; reserved: number; stock_version: number };
  /** A live session of the store selling these products, scheduled through the live module's route (its answer is `{ session }`). */
  const sessionFor = async (productId: string, cookie = merchant, more: string[] = []): Promise<string> => {
    const res = await api('POST', '/merchant/live/sessions', cookie, {
      title: 'Flash test session',
      scheduledAt: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      productIds: [productId, ...more],
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { session: { id: string } }).session.id;
  };
  const start = async (body: Record<string, unknown>, cookie = merchant) =>
    api('POST', '/merchant/flash-sales', cookie, { durationSeconds: 600, ...body });
  const startOk = async (body: Record<string, unknown>) => {
    const res = await start(body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().sale as {
      id: string;
      remaining: number;
      units: number;
      status: string;
      sessionId: string;
    };
  };
  const sale = async (id: string) => (await api('GET', `/flash-sales/${id}`)).json().sale;

  it('takes the units out of the SKU once (logged), sells them at the flash price with live attribution', async () => {
    const { skuId, productId } = await sku(100, 9_900);
    const sessionId = await sessionFor(productId);
    const messages: RealtimeMessage[] = [];
    // The app's hub, as the service was given it (Gravity does not expose it).
    const hub = (t.services.flashSales as unknown as { deps: FlashSalesDeps }).deps.realtime;
    const unsubscribe = hub.subscribe(`live:${sessionId}`, (m) => messages.push(m));
    const s = await startOk({ sessionId, skuId, priceFen: 1_990, units: 10 });
    expect(s).toMatchObject({ units: 10, remaining: 10, status: 'running', sessionId });
    expect(await skuRow(skuId)).toMatchObject({ stock: 90, reserved: 10 });
    const moves = await sql<{ kind: string; reason: string; reserved_delta: number }>`
      select kind, reason, reserved_delta from stock_movements where sku_id = ${skuId} and ref = ${s.id}`.execute(
      t.db,
    );
    expect(moves.rows).toEqual([{ kind: 'reserve', reason: 'flash_sale_started', reserved_delta: 10 }]);
    expect(messages.at(-1)).toMatchObject({ type: 'flash', saleId: s.id, remaining: 10, status: 'running' });

    const before = await skuRow(skuId);
    const b = await buy(await buyer(), s.id);
    expect(b.statusCode, b.body).toBe(201);
    const p = b.json();
    expect(p.totalFen).toBe(1_990);
    // The SKU row was not touched by the purchase.
    expect(await skuRow(skuId)).toEqual(before);
    const order = (
      await sql<{ status: string; channel: string; content_id: string; total_fen: string }>`
        select status, channel, content_id, total_fen from orders where id = ${p.orderId}`.execute(t.db)
    ).rows[0];
    expect(order).toMatchObject({ status: 'pending_payment', channel: 'live', content_id: sessionId });
    const line = (
      await sql<{ unit_price_fen: string; channel: string; content_id: string }>`
        select unit_price_fen, channel, content_id from order_lines where order_id = ${p.orderId}`.execute(
        t.db,
      )
    ).rows[0];
    expect(line).toMatchObject({ channel: 'live', content_id: sessionId });
    expect(Number(line?.unit_price_fen)).toBe(1_990);
    expect(await sale(s.id)).toMatchObject({ remaining: 9, orders: 1 });
    // The room hears about it, throttled (one message for the change).
    // The throttled message comes on a timer: wait for it by count of polls, not a fixed time.
    for (let i = 0; i < 250 && messages.at(-1)?.remaining !== 9; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(messages.at(-1)).toMatchObject({ type: 'flash', remaining: 9 });
    unsubscribe();
  });

  it('pays through the normal pay flow without touching the SKU row', async () => {
    const { skuId } = await sku(20);
    const s = await startOk({ skuId, priceFen: 500, units: 5 });
    const cookie = await buyer();
    const p = (await buy(cookie, s.id)).json();
    const before = await skuRow(skuId);
    const pay = await api(
      'POST',
      `/checkouts/${p.checkoutId}/pay`,
      cookie,
      undefined,
      idempotent(`pay-${p.checkoutId}`),
    );
    expect(pay.statusCode, pay.body).toBe(202);
    await settlePayments(t);
    const status = (
      await sql<{ status: string }>`select status from orders where id = ${p.orderId}`.execute(t.db)
    ).rows[0]?.status;
    expect(status).toBe('paid');
    expect(await skuRow(skuId)).toEqual(before);
  });

  it('one per buyer by default; a configured limit; limit_reached', async () => {
    const { skuId } = await sku();
    const one = await startOk({ skuId, priceFen: 100, units: 5 });
    const cookie = await buyer();
    expect((await buy(cookie, one.id)).statusCode).toBe(201);
    const again = await buy(cookie, one.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('limit_reached');
    const two = await startOk({ skuId, priceFen: 100, units: 5, perBuyerLimit: 2 });
    expect((await buy(cookie, two.id)).statusCode).toBe(201);
    expect((await buy(cookie, two.id)).statusCode).toBe(201);
    expect((await buy(cookie, two.id)).json().error.code).toBe('limit_reached');
    expect(await sale(two.id)).toMatchObject({ remaining: 3, orders: 2 });
  });

  it('sells exactly the units, then answers sold_out (nothing written)', async () => {
    const { skuId } = await sku();
    const s = await startOk({ skuId, priceFen: 100, units: 3 });
    const answers = await Promise.all(Array.from({ length: 6 }, async () => buy(await buyer(), s.id)));
    const codes = answers.map((a) => (a.statusCode === 201 ? 'ok' : a.json().error.code)).sort();
    expect(codes).toEqual(['ok', 'ok', 'ok', 'sold_out', 'sold_out', 'sold_out']);
    const orders = await sql<{ n: number }>`
      select count(*)::int as n from order_lines l join skus s on s.id = l.sku_id where l.sku_id = ${skuId}`.execute(
      t.db,
    );
    expect(orders.rows[0]?.n).toBe(3);
    expect(await sale(s.id)).toMatchObject({ remaining: 0, orders: 3 });
  });

  it('a retry of a purchase that went through gets its order back once the sale is sold out or ended', async () => {
    const { skuId } = await sku();
    const s = await startOk({ skuId, priceFen: 100, units: 1 });
    const cookie = await buyer();
    const first = await buy(cookie, s.id, 'retry-after-sold-out');
    expect(first.statusCode).toBe(201);
    // Another buyer learns it is sold out (the process now answers sold_out from memory).
    expect((await buy(await buyer(), s.id)).json().error.code).toBe('sold_out');
    const retry = await buy(cookie, s.id, 'retry-after-sold-out');
    expect(retry.statusCode).toBe(201);
    expect(retry.json().orderId).toBe(first.json().orderId);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await buy(cookie, s.id)).json().error.code).toBe('sold_out');
    // …and after the sale ended.
    expect((await api('POST', `/merchant/flash-sales/${s.id}/end`, merchant)).statusCode).toBeLessThan(300);
    const afterEnd = await buy(cookie, s.id, 'retry-after-sold-out');
    expect(afterEnd.statusCode).toBe(201);
    expect(afterEnd.json().orderId).toBe(first.json().orderId);
    expect((await buy(cookie, s.id)).statusCode).toBe(409);
  });

  it('an Idempotency-Key retried 20 times makes one order', async () => {
    const { skuId } = await sku();
    const s = await startOk({ skuId, priceFen: 100, units: 5, perBuyerLimit: 3 });
    const cookie = await buyer();
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await buy(cookie, s.id, 'same-key-flash-1'));
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.json().orderId)).size).toBe(1);
    expect(answers.slice(1).every((a) => a.headers['idempotent-replayed'] === 'true')).toBe(true);
    expect(await sale(s.id)).toMatchObject({ remaining: 4, orders: 1 });
    // The same key with another body (another sale) is refused.
    const other = await startOk({ skuId, priceFen: 100, units: 1 });
    const reused = await buy(cookie, other.id, 'same-key-flash-1');
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
  });

  it('unpaid flash orders expire and give their unit back to the sale, once; the buyer may buy again', async () => {
    const { skuId } = await sku(50);
    const s = await startOk({ skuId, priceFen: 100, units: 2, durationSeconds: 86_400 });
    const cookie = await buyer();
    const first = (await buy(cookie, s.id)).json();
    expect((await buy(await buyer(), s.id)).statusCode).toBe(201);
    expect((await buy(await buyer(), s.id)).json().error.code).toBe('sold_out');
    const before = await skuRow(skuId);
    t.clock.advance(t.config.unpaidOrderTtlMinutes * 60_000 + 1000);
    // (Unpaid orders of the tests before expire too.)
    expect(await t.services.orders.expireDue(t.clock.now())).toBeGreaterThanOrEqual(2);
    expect(await t.services.orders.expireDue(t.clock.now())).toBe(0);
    expect(await sale(s.id)).toMatchObject({ remaining: 2, orders: 0 });
    // Back to the sale, not to the SKU.
    expect(await skuRow(skuId)).toEqual(before);
    // The first buyer may buy again (their claim came back with the unit), and is sold the unit back.
    const again = await buy(cookie, s.id);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().orderId).not.toBe(first.orderId);
    expect(await sale(s.id)).toMatchObject({ remaining: 1, orders: 1 });
  });

  it('a cancelled unpaid flash order gives its unit back to the sale', async () => {
    const { skuId } = await sku(50);
    const s = await startOk({ skuId, priceFen: 100, units: 2 });
    const cookie = await buyer();
    const p = (await buy(cookie, s.id)).json();
    const cancel = await api('POST', `/orders/${p.orderId}/cancel`, cookie);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await sale(s.id)).toMatchObject({ remaining: 2, orders: 0 });
    expect((await skuRow(skuId)).stock).toBe(48);
  });

  it('ending returns what is left to the SKU (logged); later expiries go to the SKU; stock is conserved', async () => {
    const { skuId } = await sku(50);
    const s = await startOk({ skuId, priceFen: 100, units: 10 });
    const paidBuyer = await buyer();
    const paid = (await buy(paidBuyer, s.id)).json();
    await api(
      'POST',
      `/checkouts/${paid.checkoutId}/pay`,
      paidBuyer,
      undefined,
      idempotent(`pay-${paid.checkoutId}`),
    );
    await settlePayments(t);
    const unpaid = (await buy(await buyer(), s.id)).json();
    expect(unpaid.orderId).toBeTruthy();
    expect(await skuRow(skuId)).toMatchObject({ stock: 40, reserved: 10 });
    const end = await api('POST', `/merchant/flash-sales/${s.id}/end`, merchant);
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json().sale).toMatchObject({ status: 'ended', remaining: 0 });
    // 8 back to the SKU: the paid and the unpaid orders keep theirs.
    expect(await skuRow(skuId)).toMatchObject({ stock: 48, reserved: 2 });
    const ended = await sql<{ kind: string; on_hand_delta: number; reserved_delta: number }>`
      select kind, on_hand_delta, reserved_delta from stock_movements where ref = ${s.id} and reason = 'flash_sale_ended'`.execute(
      t.db,
    );
    expect(ended.rows).toEqual([{ kind: 'release', on_hand_delta: 0, reserved_delta: -8 }]);
    // Ending twice is harmless.
    expect((await api('POST', `/merchant/flash-sales/${s.id}/end`, merchant)).statusCode).toBe(200);
    expect(await skuRow(skuId)).toMatchObject({ stock: 48, reserved: 2 });
    // After the end, buying answers `ended`, and the unpaid order's expiry gives its unit to the SKU.
    expect((await buy(await buyer(), s.id)).json().error.code).toBe('ended');
    t.clock.advance(t.config.unpaidOrderTtlMinutes * 60_000 + 1000);
    await t.services.orders.expireDue(t.clock.now());
    expect(await skuRow(skuId)).toMatchObject({ stock: 49, reserved: 1 });
  });

  it('not_started before its start, ended after its window; the worker ends it and returns the stock', async () => {
    const { skuId } = await sku(30);
    const s = await startOk({ skuId, priceFen: 100, units: 5, startsInSeconds: 60, durationSeconds: 60 });
    expect(s.status).toBe('scheduled');
    expect((await buy(await buyer(), s.id)).json().error.code).toBe('not_started');
    t.clock.advance(61_000);
    expect((await buy(await buyer(), s.id)).statusCode).toBe(201);
    t.clock.advance(60_000);
    expect((await buy(await buyer(), s.id)).json().error.code).toBe('ended');
    expect(await sale(s.id)).toMatchObject({ status: 'ended' });
    expect(await t.services.flashSales.endDue(t.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await skuRow(skuId)).toMatchObject({ stock: 29, reserved: 1 });
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const { skuId } = await sku(5, 1_000);
    const tooHigh = await start({ skuId, priceFen: 1_001, units: 1 });
    expect(tooHigh.statusCode).toBe(422);
    expect(tooHigh.json().error.code).toBe('flash_price_too_high');
    const tooMany = await start({ skuId, priceFen: 100, units: 6 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('not_enough_stock');
    expect((await start({ skuId, priceFen: 100, units: 1 }, otherMerchant)).statusCode).toBe(404);
    for (const bad of [
      { skuId, priceFen: 0, units: 1 },
      { skuId, priceFen: 100, units: 0 },
      { skuId, priceFen: 100, units: 1, perBuyerLimit: 0 },
      { skuId, priceFen: 100, units: 1, durationSeconds: 1 },
      { skuId: 'nope', priceFen: 100, units: 1 },
      { skuId, priceFen: 1.5, units: 1 },
      { skuId, priceFen: 100, units: 1, extra: true },
    ]) {
      expect((await start(bad)).statusCode).toBe(400);
    }
    expect(await skuRow(skuId)).toMatchObject({ stock: 5, reserved: 0 });
    const s = await startOk({ skuId, priceFen: 100, units: 1 });
    const cookie = await buyer();
    const noKey = await api('POST', `/flash-sales/${s.id}/purchases`, cookie, { address: testAddress });
    expect(noKey.statusCode).toBe(400);
    const badAddress = await api(
      'POST',
      `/flash-sales/${s.id}/purchases`,
      cookie,
      { address: { ...testAddress, name: 'a\u0000b' } },
      idempotent('bad-address-1'),
    );
    expect(badAddress.statusCode).toBe(400);
    expect((await api('GET', `/flash-sales/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await buy(cookie, crypto.randomUUID())).statusCode).toBe(404);
    expect((await api('POST', `/merchant/flash-sales/${s.id}/end`, otherMerchant)).statusCode).toBe(404);
    // A merchant cannot buy, a buyer cannot start a sale.
    expect((await buy(merchant, s.id)).statusCode).toBe(403);
    expect((await start({ skuId, priceFen: 100, units: 1 }, cookie)).statusCode).toBe(403);
    expect(await sale(s.id)).toMatchObject({ remaining: 1, orders: 0 });
  });

  it("a sale tied to a live session: the store's own, not over, selling the product", async () => {
    const { skuId, productId } = await sku(10);
    const other = await createProduct(t.db, storeId, { skus: [{ priceFen: 500, stock: 10 }] });
    const sessionId = await sessionFor(productId);
    const stockBefore = await skuRow(skuId);
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from flash_sales`.execute(t.db)).rows[0]?.n;
    const before = await count();
    // Unknown, or another store's session: 404 (whose it is stays unsaid).
    const unknown = await start({ sessionId: crypto.randomUUID(), skuId, priceFen: 100, units: 1 });
    expect(unknown.statusCode, unknown.body).toBe(404);
    const foreignProduct = (await createProduct(t.db, otherStore, { skus: [{ priceFen: 500, stock: 10 }] }))
      .productId;
    const foreign = await sessionFor(foreignProduct, otherMerchant);
    expect((await start({ sessionId: foreign, skuId, priceFen: 100, units: 1 })).statusCode).toBe(404);
    // A product the session does not sell: 422.
    const notIn = await start({ sessionId, skuId: other.skuIds[0], priceFen: 100, units: 1 });
    expect(notIn.statusCode, notIn.body).toBe(422);
    expect(notIn.json().error.code).toBe('product_not_in_session');
    // A session that is over: 409.
    const over = await sessionFor(productId);
    expect((await api('POST', `/merchant/live/sessions/${over}/start`, merchant)).statusCode).toBe(200);
    expect((await api('POST', `/merchant/live/sessions/${over}/stop`, merchant)).statusCode).toBe(200);
    const ended = await start({ sessionId: over, skuId, priceFen: 100, units: 1 });
    expect(ended.statusCode, ended.body).toBe(409);
    expect(ended.json().error.code).toBe('session_over');
    // Nothing changed; the session's own product in its own session starts.
    expect(await count()).toBe(before);
    expect(await skuRow(skuId)).toEqual(stockBefore);
    expect(await startOk({ sessionId, skuId, priceFen: 100, units: 1 })).toMatchObject({ sessionId });
  });

  it("lists the store's sales, by session", async () => {
    const { skuId, productId } = await sku(10);
    const sessionId = await sessionFor(productId);
    const s = await startOk({ sessionId, skuId, priceFen: 100, units: 1 });
    const list = await api('GET', `/merchant/flash-sales?sessionId=${sessionId}`, merchant);
    expect(list.statusCode).toBe(200);
    expect(list.json().sales.map((x: { id: string }) => x.id)).toEqual([s.id]);
    const other = await api('GET', `/merchant/flash-sales?sessionId=${sessionId}`, otherMerchant);
    expect(other.json().sales).toEqual([]);
  });
});
