import { describe, expect, it } from 'vitest';
import type { ProviderCharge } from './provider.ts';
import {
  compareWithProvider,
  describeDifference,
  type PlatformPayment,
  type PlatformRefund,
} from './reconcile.ts';

const now = new Date('2026-03-01T08:00:00Z');
const old = new Date(now.getTime() - 60 * 60_000);
const recent = new Date(now.getTime() - 60_000);
const graceMs = 15 * 60_000;

const payment = (over: Partial<PlatformPayment> = {}): PlatformPayment => ({
  id: 'p1',
  status: 'captured',
  currency: 'CNY',
  amountFen: 3998,
  providerRef: 'ch_1',
  updatedAt: old,
  ...over,
});
const charge = (over: Partial<ProviderCharge> = {}): ProviderCharge => ({
  providerRef: 'ch_1',
  paymentId: 'p1',
  status: 'captured',
  currency: 'CNY',
  amountFen: 3998,
  capturedFen: 3998,
  refundedFen: 0,
  ...over,
});
const compare = (p: PlatformPayment, c: ProviderCharge | null, ledgerProviderFen: number) =>
  compareWithProvider({
    payments: [p],
    refunds: [],
    ledgerProviderFen,
    provider: { charges: c ? [c] : [], refunds: [] },
    now,
    graceMs,
  });

describe('reconciliation rules', () => {
  it('finds nothing when both sides agree', () => {
    expect(compare(payment(), charge(), 3998).differences).toEqual([]);
  });

  it('reports a status that differs, once the grace window has passed', () => {
    const fresh = compare(payment({ status: 'authorized', updatedAt: recent }), charge(), 0);
    expect(fresh).toMatchObject({ inFlight: 1, differences: [] });
    const stale = compare(payment({ status: 'authorized' }), charge(), 0);
    expect(stale.inFlight).toBe(0);
    expect(stale.differences.map((d) => d.kind)).toEqual(['status_differs', 'ledger_balance']);
    // Ours captured, the provider says declined: a difference, whatever the amounts.
    const declined = compare(payment(), charge({ status: 'failed', capturedFen: 0 }), 3998);
    expect(declined.differences.map((d) => d.kind)).toEqual(['status_differs', 'ledger_balance']);
  });

  it('reports a currency or a captured amount that differs, with no grace', () => {
    const usd = compare(payment({ updatedAt: recent }), charge({ currency: 'USD' }), 3998);
    expect(usd.differences[0]).toMatchObject({ kind: 'currency_differs', provider: { currency: 'USD' } });
    const low = compare(payment({ updatedAt: recent }), charge({ capturedFen: 1 }), 3998);
    expect(low.differences.map((d) => d.kind)).toEqual(['amount_differs', 'ledger_balance']);
    expect(describeDifference(low.differences[0] as never)).toMatch(
      /amount_differs +payment p1 \(provider ch_1\): ours captured ¥39\.98 CNY, provider's captured ¥0\.01 CNY/,
    );
  });

  it('reports a captured payment the provider does not have', () => {
    const r = compare(payment(), null, 3998);
    expect(r.differences.map((d) => d.kind)).toEqual(['missing_at_provider', 'ledger_balance']);
    expect(compare(payment({ status: 'failed' }), null, 0).differences).toEqual([]);
  });

  it('counts payouts beside the capture: ledger = charges − refunds − payouts', () => {
    const payout = (over: Partial<PlatformRefund> = {}): PlatformRefund => ({
      id: 'po1',
      paymentId: 'p1',
      status: 'succeeded',
      amountFen: 800,
      updatedAt: old,
      ...over,
    });
    const atProvider = { providerPayoutRef: 'po_1', payoutId: 'po1', providerRef: 'ch_1', amountFen: 800 };
    const run = (ours: PlatformRefund[], theirs: (typeof atProvider)[], ledgerProviderFen: number) =>
      compareWithProvider({
        payments: [payment()],
        refunds: [],
        payouts: ours,
        ledgerProviderFen,
        provider: { charges: [charge()], refunds: [], payouts: theirs },
        now,
        graceMs,
      });
    // Paid beside the capture (not a refund of the charge): the provider's net less it, no difference.
    expect(run([payout()], [atProvider], 3998 - 800)).toMatchObject({
      differences: [],
      providerNetFen: 3198,
      refundsChecked: 1,
      providerRefunds: 1,
    });
    // Booked, not yet at the provider: in flight within the grace, missing after it.
    expect(run([payout({ status: 'requested', updatedAt: recent })], [], 3198)).toMatchObject({
      inFlight: 1,
      differences: [],
    });
    const missing = run([payout({ status: 'requested' })], [], 3198);
    expect(missing.differences.map((d) => [d.kind, d.subject])).toEqual([
      ['missing_at_provider', 'payout'],
      ['ledger_balance', 'ledger'],
    ]);
    // A payout the provider made that we never booked.
    expect(run([], [atProvider], 3998).differences.map((d) => [d.kind, d.subject])).toEqual([
      ['missing_in_platform', 'payout'],
      ['ledger_balance', 'ledger'],
    ]);
  });
});
