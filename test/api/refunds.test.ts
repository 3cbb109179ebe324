import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RefundLinesInput } from '../../src/modules/orders/index.ts';
import { accountBalance, trialBalance } from '../../src/modules/payments/index.ts';
import { apiOf } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay, settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Per-line refunds (orders.refundLines) and what they do in the ledger: out of escrow before the
 * merchant is paid, clawed back (with the commission share) after; platform-funded refunds out of
 * the platform's expense; never more than a line paid; once per reference; the order `refunded`
 * once every line is refunded in full. Commission is 500 bps (the default), stored on the order.
 */
describe('per-line refunds, settlement and clawback', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let buyers = 0;
  let stores = 0;

  /** A new store (its own payable account) and a paid order of `quantity` × one SKU at `priceFen`. */
  async function paidOrder(priceFen = 5000, quantity = 2) {
    stores += 1;
    const phone = `1371000${String(stores).padStart(4, '0')}`;
    const merchant = await t.signIn(phone, 'merchant');
    const { storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, phone) });
    buyers += 1;
    const buyer = await t.signIn(`1361000${String(buyers).padStart(4, '0')}`);
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen, stock: 10 }] });
    const skuId = skuIds[0] as string;
    const checkout = await placeAndPay(
      t,
      buyer,
      { lines: [{ skuId, quantity }], address: testAddress },
      `co-${skuId}`,
    );
    const orderId = checkout.orders[0].id as string;
    return { merchant, buyer, storeId, skuId, orderId, totalFen: checkout.totalFen as number };
  }

  async function complete(o: { merchant: string; buyer: string; orderId: string }) {
    const shipped = await api('POST', `/merchant/orders/${o.orderId}/ship`, o.merchant, {
      carrier: 'sf',
      trackingNo: `SF${o.orderId.slice(0, 8)}`,
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    const confirmed = await api('POST', `/orders/${o.orderId}/confirm-receipt`, o.buyer);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  }

  const refund = (input: Omit<RefundLinesInput, 'actor' | 'reason'> & { reason?: string }) =>
    t.db
      .transaction()
      .execute((trx) =>
        t.services.orders.refundLines(trx, { reason: 'test', actor: 'system:test', ...input }),
      );

  /** The entries of the ledger transaction(s) of `kind` whose refund row or reference belongs to the order. */
  async function entries(orderId: string, kind: string) {
    const rows = await sql<{ account: string; amount_fen: number }>`
      select e.account, e.amount_fen from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
      where t.kind = ${kind} and (t.reference = ${orderId}
        or t.reference in (select id::text from refunds where order_id = ${orderId}))
      order by e.id`.execute(t.db);
    return rows.rows.map((r) => ({ account: r.account, amountFen: Number(r.amount_fen) }));
  }

  const payable = async (storeId: string) => 0 - (await accountBalance(t.db, `merchant_payable:${storeId}`));
  const line = async (orderId: string) =>
    (
      await sql<{ refunded_quantity: number; refunded_fen: number }>`
        select refunded_quantity, refunded_fen::int as refunded_fen from order_lines where order_id = ${orderId}`.execute(
        t.db,
      )
    ).rows[0];
  const order = async (orderId: string) =>
    (
      await sql<{ status: string; settled_at: Date | null; commission_bps: number }>`
        select status, settled_at, commission_bps from orders where id = ${orderId}`.execute(t.db)
    ).rows[0];

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
  });
  afterAll(async () => t.close());
  afterEach(async () => {
    expect((await trialBalance(t.db)).totalFen).toBe(0);
  });

  it('refunds part of a line before settlement out of escrow; settlement pays the merchant the rest', async () => {
    const o = await paidOrder(5000, 2);
    expect(await order(o.orderId)).toMatchObject({ commission_bps: 500, settled_at: null });
    const r = await refund({
      orderId: o.orderId,
      reference: `return:${o.orderId}:1`,
      funder: 'merchant',
      lines: [{ skuId: o.skuId, quantity: 1, amountFen: 5000 }],
    });
    expect(r).toEqual({ refundedFen: 5000, duplicate: false });
    expect(await line(o.orderId)).toEqual({ refunded_quantity: 1, refunded_fen: 5000 });
    expect(await entries(o.orderId, 'refund')).toEqual([
      { account: 'order_escrow', amountFen: 5000 },
      { account: 'provider_clearing', amountFen: -5000 },
    ]);
    await settlePayments(t); // the provider refund
    const refunds = await sql<{ status: string; funder: string; reference: string }>`
      select status, funder, reference from refunds where order_id = ${o.orderId}`.execute(t.db);
    expect(refunds.rows).toEqual([
      { status: 'succeeded', funder: 'merchant', reference: `return:${o.orderId}:1` },
    ]);

    await complete(o);
    expect(await entries(o.orderId, 'settlement')).toEqual([
      { account: 'order_escrow', amountFen: 5000 },
      { account: `merchant_payable:${o.storeId}`, amountFen: -4750 },
      { account: 'platform_revenue', amountFen: -250 },
    ]);
    expect(await payable(o.storeId)).toBe(4750);
    expect((await order(o.orderId))?.settled_at).not.toBeNull();
    expect((await order(o.orderId))?.status).toBe('completed');
  });

  it('claws a refund after settlement back from the merchant, with the commission share', async () => {
    const o = await paidOrder(5000, 2);
    await complete(o);
    expect(await payable(o.storeId)).toBe(9500);
    await refund({
      orderId: o.orderId,
      reference: `return:${o.orderId}:1`,
      funder: 'merchant',
      lines: [{ skuId: o.skuId, quantity: 1, amountFen: 5000 }],
    });
    expect(await entries(o.orderId, 'clawback')).toEqual([
      { account: `merchant_payable:${o.storeId}`, amountFen: 4750 },
      { account: 'platform_revenue', amountFen: 250 },
      { account: 'provider_clearing', amountFen: -5000 },
    ]);
    expect(await payable(o.storeId)).toBe(4750);
    expect((await order(o.orderId))?.status).toBe('completed');
  });

  it('pays a platform-funded refund out of the platform expense, leaving the merchant whole', async () => {
    const o = await paidOrder(5000, 2);
    const expenseBefore = await accountBalance(t.db, 'platform_expense:price_protection');
    await refund({
      orderId: o.orderId,
      reference: `pp:${o.orderId}:1`,
      funder: 'platform',
      expense: 'price_protection',
      kind: 'compensation',
      lines: [{ skuId: o.skuId, quantity: 0, amountFen: 600 }],
    });
    expect(await entries(o.orderId, 'compensation')).toEqual([
      { account: 'platform_expense:price_protection', amountFen: 600 },
      { account: 'provider_clearing', amountFen: -600 },
    ]);
    expect(await accountBalance(t.db, 'platform_expense:price_protection')).toBe(expenseBefore + 600);
    await complete(o);
    expect(await payable(o.storeId)).toBe(9500);
  });

  it('refuses a refund beyond what a line paid with 409, changing nothing', async () => {
    const o = await paidOrder(5000, 2);
    await refund({
      orderId: o.orderId,
      reference: `a:${o.orderId}`,
      funder: 'merchant',
      lines: [{ skuId: o.skuId, quantity: 0, amountFen: 9000 }],
    });
    const before = await dbFingerprint(t.db);
    for (const lines of [
      [{ skuId: o.skuId, quantity: 0, amountFen: 1001 }],
      [{ skuId: o.skuId, quantity: 3, amountFen: 1 }],
    ]) {
      await expect(
        refund({ orderId: o.orderId, reference: `b:${o.orderId}`, funder: 'platform', lines }),
      ).rejects.toMatchObject({ status: 409, code: 'refund_exceeds_paid' });
    }
    await expect(
      refund({
        orderId: o.orderId,
        reference: `c:${o.orderId}`,
        funder: 'merchant',
        lines: [{ skuId: o.orderId, quantity: 0, amountFen: 1 }],
      }),
    ).rejects.toMatchObject({ status: 422, code: 'refund_line_unknown' });
    expect(await dbFingerprint(t.db)).toBe(before);
    await settlePayments(t);
  });

  it('applies the same reference once', async () => {
    const o = await paidOrder(5000, 2);
    const input = {
      orderId: o.orderId,
      reference: `once:${o.orderId}`,
      funder: 'merchant' as const,
      lines: [{ skuId: o.skuId, quantity: 0, amountFen: 700 }],
    };
    expect(await refund(input)).toEqual({ refundedFen: 700, duplicate: false });
    expect(await refund(input)).toEqual({ refundedFen: 700, duplicate: true });
    expect(await line(o.orderId)).toEqual({ refunded_quantity: 0, refunded_fen: 700 });
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from refunds where order_id = ${o.orderId}`.execute(t.db);
    expect(n.rows[0]?.n).toBe(1);
    await settlePayments(t);
  });

  it('makes the order refunded once every line is refunded in full, and closes its money', async () => {
    const o = await paidOrder(5000, 2);
    await refund({
      orderId: o.orderId,
      reference: `pp:${o.orderId}`,
      funder: 'platform',
      expense: 'price_protection',
      lines: [{ skuId: o.skuId, quantity: 0, amountFen: 1000 }],
    });
    await refund({
      orderId: o.orderId,
      reference: `all:${o.orderId}`,
      funder: 'merchant',
      lines: [{ skuId: o.skuId, quantity: 2, amountFen: 9000 }],
    });
    const after = await order(o.orderId);
    expect(after?.status).toBe('refunded');
    expect(after?.settled_at).not.toBeNull();
    // The platform's 1000 fen came back out of escrow: neither the merchant nor escrow keeps any of it.
    expect(await entries(o.orderId, 'recovery')).toEqual([
      { account: 'order_escrow', amountFen: 1000 },
      { account: 'platform_expense:price_protection', amountFen: -1000 },
    ]);
    expect(await entries(o.orderId, 'settlement')).toEqual([]);
    expect(await payable(o.storeId)).toBe(0);
    const events = await sql<{ to_status: string }>`
      select to_status from order_events where order_id = ${o.orderId} order by id`.execute(t.db);
    expect(events.rows.map((e) => e.to_status)).toEqual(['pending_payment', 'paid', 'refunded']);
    await settlePayments(t); // order.refunded: the sale is uncounted, the stock (never shipped) back on sale
    const product = await sql<{ sales: number; stock: number }>`
      select p.sales, s.stock from skus s join products p on p.id = s.product_id where s.id = ${o.skuId}`.execute(
      t.db,
    );
    expect(product.rows[0]).toEqual({ sales: 0, stock: 10 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
    await paidOrder(1000, 1);
    for (const statement of [
      sql`update ledger_entries set amount_fen = amount_fen + 1`,
      sql`delete from ledger_entries`,
      sql`update ledger_transactions set reference = 'x'`,
      sql`delete from ledger_transactions`,
      sql`truncate ledger_entries, ledger_transactions`,
    ]) {
      await expect(statement.execute(t.db)).rejects.toThrow(/append-only/);
    }
  });

  it('lists each order’s money line by line', async () => {
    const o = await paidOrder(3000, 3);
    await refund({
      orderId: o.orderId,
      reference: `lm:${o.orderId}`,
      funder: 'merchant',
      lines: [{ skuId: o.skuId, quantity: 1, amountFen: 3000 }],
    });
    const money = await t.services.orders.lineMoney(t.db, [o.orderId]);
    expect(money.get(o.orderId)).toMatchObject({
      status: 'paid',
      storeId: o.storeId,
      paymentMethod: 'online',
      commissionBps: 500,
      totalFen: 9000,
      merchantRefundedFen: 3000,
      settledAt: null,
      lines: [
        {
          skuId: o.skuId,
          quantity: 3,
          listPriceFen: 3000,
          paidFen: 9000,
          refundedQuantity: 1,
          refundedFen: 3000,
          discounts: [],
        },
      ],
    });
    await settlePayments(t);
  });
});
