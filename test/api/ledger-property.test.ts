import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance, trialBalance } from '../../src/modules/payments/index.ts';
import { bpsOf, fen } from '../../src/platform/money.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The ledger under random sequences of payments (online and pay-later), per-line refunds (funded
 * by the merchant or the platform, before and after settlement, by units and by amount, with
 * references reused), compensations beside the lines (provider payouts, or a pay-later bill shrinking), settlements and pay-later bills. After every step: the trial balance is
 * zero, no buyer got back more than they paid, no reference was applied twice, the merchant's
 * payable is what the lines say (an independent model of the money rules), the escrow holds
 * exactly the unsettled orders' money and the pay-later receivable what the bills still owe.
 * Bounded by count: a few runs of a few orders and steps.
 */

interface Spec {
  priceFen: number;
  quantity: number;
  /** A platform-funded discount on the line (its total), paid to the merchant for units kept. */
  subsidyFen: number;
  payLater: boolean;
}

type Step =
  | { t: 'refund'; order: number; merchant: boolean; quantity: number; amountPct: number; ref: number }
  | { t: 'complete'; order: number }
  | { t: 'collect'; order: number }
  | { t: 'compensate'; order: number; merchant: boolean; amountPct: number; ref: number };

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    priceFen: fc.integer({ min: 1, max: 20_000 }),
    quantity: fc.integer({ min: 1, max: 3 }),
    subsidyPct: fc.integer({ min: 0, max: 60 }),
    payLater: fc.boolean(),
  })
  .map(({ priceFen, quantity, subsidyPct, payLater }) => ({
    priceFen,
    quantity,
    subsidyFen: Math.floor((priceFen * quantity * subsidyPct) / 100),
    payLater,
  }));

const stepArb = (orders: number): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant('refund' as const),
        order: fc.nat({ max: orders - 1 }),
        merchant: fc.boolean(),
        // -1: every unit / all the money still left on the line
        quantity: fc.oneof(fc.nat({ max: 2 }), fc.constant(-1)),
        amountPct: fc.oneof(fc.integer({ min: 0, max: 110 }), fc.constant(-1)),
        ref: fc.nat({ max: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constant('complete' as const), order: fc.nat({ max: orders - 1 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('collect' as const), order: fc.nat({ max: orders - 1 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('compensate' as const),
        order: fc.nat({ max: orders - 1 }),
        merchant: fc.boolean(),
        amountPct: fc.integer({ min: 1, max: 40 }),
        ref: fc.nat({ max: 1 }),
      }),
    },
  );

const scenarioArb = fc.array(specArb, { minLength: 1, maxLength: 2 }).chain((specs) =>
  fc.record({
    specs: fc.constant(specs),
    steps: fc.array(stepArb(specs.length), { minLength: 1, maxLength: 8 }),
  }),
);

/** What the model expects of one order. */
interface Model extends Spec {
  orderId: string;
  skuId: string;
  totalFen: number;
  refundedQuantity: number;
  refundedFen: number;
  merchantRefundedFen: number;
  platformRefundedFen: number;
  settled: boolean;
  status: 'paid' | 'completed' | 'refunded';
  refs: Map<string, number>;
  collectedFen: number;
  /** Money to the buyer beside the lines (compensateBuyer). */
  compensatedFen: number;
}

const COMMISSION_BPS = 500;
const share = (m: Model, kept: number) => Math.floor((m.subsidyFen * kept) / m.quantity);
const net = (x: number) => x - bpsOf(fen(x), COMMISSION_BPS);

describe('ledger property: random payments, refunds, settlements and bills', () => {
  let t: TestApp;
  let run = 0;
  let buyer: string;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    buyer = await t.signIn('13620000001');
  });
  afterAll(async () => t.close());

  async function place(storeId: string, spec: Spec, key: string): Promise<Model> {
    const { skuIds } = await createProduct(t.db, storeId, { skus: [{ priceFen: spec.priceFen, stock: 10 }] });
    const skuId = skuIds[0] as string;
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checkouts',
      headers: { cookie: buyer, 'idempotency-key': `property-checkout-${key}` },
      payload: { lines: [{ skuId, quantity: spec.quantity }], address: testAddress },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const checkout = placed.json().checkout;
    const orderId = checkout.orders[0].id as string;
    // Stands for pricing: a platform-funded discount recorded on the line (the buyer's price is unchanged).
    if (spec.subsidyFen > 0) {
      await sql`update order_lines set platform_funded_fen = ${spec.subsidyFen},
          discounts = ${JSON.stringify([{ kind: 'subsidy', id: '00000000-0000-4000-8000-000000000001', funder: 'platform', fen: spec.subsidyFen }])}::jsonb
        where order_id = ${orderId}`.execute(t.db);
    }
    if (spec.payLater) {
      // Stands for the pay-later checkout: the order is paid on credit, no payment at the provider.
      await sql`update orders set payment_method = 'pay_later' where id = ${orderId}`.execute(t.db);
      await t.db.transaction().execute(async (trx) => {
        await t.services.orders.markOrdersPaid(trx, checkout.id, [orderId], t.clock.now());
        await t.services.ledger.advanceCredit(trx, { orderId, amountFen: checkout.totalFen });
      });
    } else {
      const paid = await t.app.inject({
        method: 'POST',
        url: `/api/v1/checkouts/${checkout.id}/pay`,
        headers: { cookie: buyer, 'idempotency-key': `property-pay-${key}` },
      });
      expect(paid.statusCode, paid.body).toBe(202);
      await settlePayments(t);
    }
    return {
      ...spec,
      orderId,
      skuId,
      totalFen: checkout.totalFen,
      refundedQuantity: 0,
      refundedFen: 0,
      merchantRefundedFen: 0,
      platformRefundedFen: 0,
      settled: false,
      status: 'paid',
      refs: new Map(),
      collectedFen: 0,
      compensatedFen: 0,
    };
  }

  it('keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ specs, steps }) => {
        run += 1;
        const phone = `1372000${String(run).padStart(4, '0')}`;
        const merchant = await t.signIn(phone, 'merchant');
        const { storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, phone) });
        const models: Model[] = [];
        for (const [i, spec] of specs.entries()) models.push(await place(storeId, spec, `${run}-${i}`));
        let payable = 0;

        const settle = (m: Model) => {
          if (m.settled) return;
          const full = m.refundedFen >= m.totalFen;
          const escrow = m.totalFen - (full ? m.refundedFen : m.merchantRefundedFen);
          const gross = escrow + share(m, m.quantity - m.refundedQuantity);
          payable += net(gross);
          m.settled = true;
        };

        for (const step of steps) {
          const m = models[step.order] as Model;
          if (step.t === 'complete') {
            if (m.status !== 'paid') continue;
            const shipped = await t.app.inject({
              method: 'POST',
              url: `/api/v1/merchant/orders/${m.orderId}/ship`,
              headers: { cookie: merchant },
              payload: { carrier: 'sf', trackingNo: `SF${m.orderId.slice(0, 8)}` },
            });
            expect(shipped.statusCode, shipped.body).toBe(200);
            const confirmed = await t.app.inject({
              method: 'POST',
              url: `/api/v1/orders/${m.orderId}/confirm-receipt`,
              headers: { cookie: buyer },
            });
            expect(confirmed.statusCode, confirmed.body).toBe(200);
            m.status = 'completed';
            settle(m);
          } else if (step.t === 'compensate') {
            const reference = `comp:${m.orderId}:${step.ref}`;
            const amountFen = Math.max(1, Math.floor((m.totalFen * step.amountPct) / 100));
            const attempt = t.db.transaction().execute((trx) =>
              t.services.ledger.compensateBuyer(trx, {
                reference,
                orderId: m.orderId,
                storeId,
                amountFen,
                funder: step.merchant ? 'merchant' : 'platform',
                expense: 'return_shipping',
                kind: 'shipping_subsidy',
              }),
            );
            const seen = m.refs.get(reference);
            // Online: a provider payout, never capped by the capture. Pay-later: the bill shrinks,
            // capped at what it still holds (nothing written when it holds nothing).
            const paid = m.payLater
              ? Math.min(amountFen, m.totalFen - m.refundedFen - m.compensatedFen)
              : amountFen;
            if (seen !== undefined) {
              expect(await attempt).toMatchObject({ amountFen: seen, duplicate: true });
            } else if (paid <= 0) {
              expect(await attempt).toMatchObject({ amountFen: 0, duplicate: false });
            } else {
              expect(await attempt).toMatchObject({ amountFen: paid, duplicate: false });
              m.refs.set(reference, paid);
              m.compensatedFen += paid;
              if (step.merchant) payable -= paid;
            }
          } else if (step.t === 'collect') {
            const bill = m.totalFen - m.refundedFen - m.compensatedFen;
            if (!m.payLater || m.collectedFen > 0 || bill <= 0) continue;
            await t.db
              .transaction()
              .execute((trx) =>
                t.services.ledger.collectCredit(trx, { reference: `bill:${m.orderId}`, amountFen: bill }),
              );
            m.collectedFen = bill;
          } else {
            const reference = `${m.orderId}:${step.ref}`;
            const quantity = step.quantity === -1 ? m.quantity - m.refundedQuantity : step.quantity;
            const amountFen =
              step.amountPct === -1
                ? m.totalFen - m.refundedFen
                : Math.floor((m.totalFen * step.amountPct) / 100);
            const attempt = t.db.transaction().execute((trx) =>
              t.services.orders.refundLines(trx, {
                orderId: m.orderId,
                reference,
                reason: 'property',
                funder: step.merchant ? 'merchant' : 'platform',
                expense: 'price_protection',
                lines: [{ skuId: m.skuId, quantity, amountFen }],
                actor: 'system:property',
              }),
            );
            const seen = m.refs.get(reference);
            if (seen !== undefined) {
              expect(await attempt).toEqual({ refundedFen: seen, duplicate: true });
            } else if (m.refundedQuantity + quantity > m.quantity || m.refundedFen + amountFen > m.totalFen) {
              await expect(attempt).rejects.toMatchObject({ code: 'refund_exceeds_paid' });
            } else if (amountFen === 0) {
              await expect(attempt).rejects.toMatchObject({ code: 'refund_amount_invalid' });
            } else {
              expect(await attempt).toEqual({ refundedFen: amountFen, duplicate: false });
              m.refs.set(reference, amountFen);
              const keptBefore = m.quantity - m.refundedQuantity;
              m.refundedQuantity += quantity;
              m.refundedFen += amountFen;
              if (step.merchant) {
                m.merchantRefundedFen += amountFen;
                if (m.settled) {
                  const back = share(m, keptBefore) - share(m, keptBefore - quantity);
                  payable -= net(amountFen + back);
                }
              } else {
                m.platformRefundedFen += amountFen;
              }
              if (m.refundedFen === m.totalFen) {
                m.status = 'refunded';
                if (m.settled && m.platformRefundedFen > 0) payable -= net(m.platformRefundedFen);
                settle(m);
              }
            }
          }

          // ---- invariants, after every step ----
          expect((await trialBalance(t.db)).totalFen).toBe(0);
          expect(0 - (await accountBalance(t.db, `merchant_payable:${storeId}`))).toBe(payable);
          const orders = await sql<{ id: string; status: string; settled: boolean; refunded: number }>`
            select o.id, o.status, o.settled_at is not null as settled,
                   (select coalesce(sum(amount_fen), 0)::int from refunds r
                    where r.order_id = o.id and r.against_lines) as refunded
            from orders o where o.store_id = ${storeId}`.execute(t.db);
          for (const m of models) {
            const row = orders.rows.find((o) => o.id === m.orderId);
            expect(row).toMatchObject({ status: m.status, settled: m.settled, refunded: m.refundedFen });
            // A buyer never gets back more than they paid.
            expect(row?.refunded ?? 0).toBeLessThanOrEqual(m.totalFen);
          }
          // No reference applied twice, in the refunds and in the ledger.
          const twice = await sql<{ n: number }>`
            select count(*)::int as n from (select reference from refunds group by reference having count(*) > 1) d`.execute(
            t.db,
          );
          expect(twice.rows[0]?.n).toBe(0);
          // A payment's refunds never exceed its capture and count refunds only (payouts are beside it).
          const capture = await sql<{ n: number }>`
            select count(*)::int as n from payments p where p.refunded_fen > p.amount_fen
              or p.refunded_fen <> (select coalesce(sum(amount_fen), 0) from refunds r
                where r.payment_id = p.id and r.paid_as = 'refund')`.execute(t.db);
          expect(capture.rows[0]?.n).toBe(0);
          const reposted = await sql<{ n: number }>`
            select count(*)::int as n from (select kind, reference from ledger_transactions
              group by kind, reference having count(*) > 1) d`.execute(t.db);
          expect(reposted.rows[0]?.n).toBe(0);
        }

        // Escrow holds exactly the money of paid, unsettled orders (less what merchants refunded);
        // the pay-later receivable what the bills still owe.
        const escrow = await sql<{ fen: number }>`
          select coalesce(sum(total_fen - merchant_refunded_fen), 0)::bigint as fen from orders
          where paid_at is not null and settled_at is null`.execute(t.db);
        expect(0 - (await accountBalance(t.db, 'order_escrow'))).toBe(Number(escrow.rows[0]?.fen));
        await settlePayments(t);
        return true;
      }),
      {
        numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 15),
        ...(process.env.LEDGER_PROPERTY_RUNS ? {} : { seed: 11 }),
      },
    );
    // Every pay-later order's receivable: advanced − collected − refunded (all runs together).
    const owed = await sql<{ fen: number }>`
      select coalesce(sum(o.total_fen - coalesce((select sum(amount_fen) from refunds r where r.order_id = o.id), 0)), 0)::bigint
        as fen from orders o where o.payment_method = 'pay_later'`.execute(t.db);
    const collected = await sql<{ fen: number }>`
      select coalesce(sum(e.amount_fen), 0)::bigint as fen from ledger_entries e
      join ledger_transactions x on x.id = e.transaction_id
      where x.kind = 'credit_charge' and e.account = 'provider_clearing'`.execute(t.db);
    expect(await accountBalance(t.db, 'credit_receivable')).toBe(
      Number(owed.rows[0]?.fen) - Number(collected.rows[0]?.fen),
    );
  });
});
