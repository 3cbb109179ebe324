import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileCommand } from '../../src/modules/payments/reconcile-command.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Reconciliation of our payments, refunds and ledger with the provider's own records. */
let t: TestApp;
let api: ReturnType<typeof apiOf>;
let ops: string;
let storeId: string;
let buyers = 0;

/** A buyer's paid order (settled through the sandbox); returns its ids. */
async function paidOrder(priceFen: number) {
  buyers += 1;
  const buyer = await t.signIn(`1362222${String(buyers).padStart(4, '0')}`);
  const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen, stock: 5 }] });
  const co = (
    await api(
      'POST',
      '/checkouts',
      buyer,
      { lines: [{ skuId: skuIds[0], quantity: 1 }], address: testAddress },
      idempotent(`rc-co-${skuIds[0]}`),
    )
  ).json().checkout;
  const paymentId = (
    await api('POST', `/checkouts/${co.id}/pay`, buyer, undefined, idempotent(`rc-pay-${co.id}`))
  ).json().payment.id as string;
  await settlePayments(t);
  return { buyer, orderId: co.orders[0].id as string, paymentId };
}

const lastRun = async () => {
  const res = await api('GET', '/ops/reconciliation', ops);
  expect(res.statusCode).toBe(200);
  return res.json().run;
};

beforeAll(async () => {
  t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
  api = apiOf(t);
  await t.signIn('13722220001', 'merchant');
  storeId = (await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13722220001') })).storeId;
  await t.services.identity.provision('13922220000', 'operator', 'ops');
  ops = await t.signIn('13922220000', 'operator');
});
afterAll(async () => t.close());

describe('reconciliation with the payment provider', () => {
  it('is for operators only, and has no run before the first', async () => {
    expect(await lastRun()).toBeNull();
    const buyer = await t.signIn('13622229999');
    expect((await api('GET', '/ops/reconciliation', buyer)).statusCode).toBe(403);
    expect((await api('POST', '/ops/reconciliation', buyer)).statusCode).toBe(403);
  });

  it('reports zero differences after paid orders and a refund, from the CLI and the ops API', async () => {
    await paidOrder(3998);
    await paidOrder(12_000);
    const refunded = await paidOrder(5000);
    expect((await api('POST', `/orders/${refunded.orderId}/cancel`, refunded.buyer)).statusCode).toBe(200);
    await settlePayments(t);

    const lines: string[] = [];
    expect(await reconcileCommand(t.services.payments, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('no differences');
    const summary = JSON.parse(lines.at(-1) as string);
    expect(summary).toMatchObject({
      ok: true,
      paymentsChecked: 3,
      refundsChecked: 1,
      differences: 0,
      inFlight: 0,
      ledgerProviderFen: 3998 + 12_000,
      providerNetFen: 3998 + 12_000,
    });

    const run = await lastRun();
    expect(run).toMatchObject({ id: summary.runId, trigger: 'cli', differenceCount: 0, differences: [] });
  });

  it('shows a tampered provider amount as a difference, on each side of the ledger', async () => {
    const { paymentId } = await paidOrder(4400);
    // The provider's own table stands for the outside world: it now says it captured 1 fen less.
    await sql`update sandbox_provider_charges set captured_fen = captured_fen - 1
      where merchant_reference = ${paymentId}`.execute(t.db);
    const res = await api('POST', '/ops/reconciliation', ops);
    expect(res.statusCode).toBe(200);
    const run = res.json().run;
    expect(run.trigger).toBe('ops');
    expect(run.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'amount_differs',
          subject: 'payment',
          reference: paymentId,
          platform: expect.objectContaining({ status: 'captured', amountFen: 4400 }),
          provider: expect.objectContaining({ status: 'captured', amountFen: 4399 }),
        }),
        expect.objectContaining({ kind: 'ledger_balance', reference: 'provider_clearing' }),
      ]),
    );
    expect(run.differenceCount).toBe(2);
    expect(await lastRun()).toEqual(run);

    const lines: string[] = [];
    expect(await reconcileCommand(t.services.payments, (l) => lines.push(l))).toBe(1);
    expect(lines.some((l) => l.includes('amount_differs') && l.includes(paymentId))).toBe(true);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
      ok: false,
      differences: 2,
      byKind: { amount_differs: 1, ledger_balance: 1 },
    });
    await sql`update sandbox_provider_charges set captured_fen = captured_fen + 1
      where merchant_reference = ${paymentId}`.execute(t.db);
    expect((await t.services.payments.reconcile('schedule')).differenceCount).toBe(0);
  });

  it('finds a refund the provider never made and a charge we never recorded', async () => {
    const { paymentId, orderId, buyer } = await paidOrder(2100);
    expect((await api('POST', `/orders/${orderId}/cancel`, buyer)).statusCode).toBe(200);
    // The refund is requested (ledger booked) but the provider call never happens.
    const refund = await sql<{ id: string }>`select id from refunds where order_id = ${orderId}`.execute(
      t.db,
    );
    await sql`update outbox set done_at = now() where topic = 'payment.refund' and done_at is null`.execute(
      t.db,
    );
    // And the provider reports a captured charge for a reference we do not know.
    await sql`insert into sandbox_provider_charges
        (id, merchant_reference, amount_fen, status, captured_fen, created_at, updated_at)
      values ('ch_stranger', gen_random_uuid()::text, 777, 'captured', 777, now(), now())`.execute(t.db);

    // Within the grace window the missing refund is in flight, not a difference.
    const early = await t.services.payments.reconcile('schedule');
    expect(early.inFlight).toBe(1);
    expect(early.differences.map((d) => d.kind)).toEqual(['missing_in_platform', 'ledger_balance']);

    t.clock.advance(16 * 60_000);
    const late = await t.services.payments.reconcile('schedule');
    expect(late.inFlight).toBe(0);
    expect(late.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'missing_at_provider',
          subject: 'refund',
          reference: refund.rows[0]?.id,
        }),
        expect.objectContaining({
          kind: 'missing_in_platform',
          subject: 'payment',
          providerRef: 'ch_stranger',
          provider: expect.objectContaining({ amountFen: 777 }),
        }),
        expect.objectContaining({ kind: 'ledger_balance' }),
      ]),
    );
    expect(late.differenceCount).toBe(3);
    expect(paymentId).toBeTruthy();
  });
});
