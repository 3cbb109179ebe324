import { formatFen } from '../../platform/money.ts';
import type { ProviderRecords, ProviderRefund } from './provider.ts';
import type { PaymentStatus } from './schema.ts';

/**
 * Reconciliation, the pure part: our payments, refunds and ledger against the provider's own
 * records. Both sides move while they are read (a capture webhook on its way), so a status
 * difference on a record of ours that changed within `graceMs` counts as in flight, not as a
 * difference; amounts of records both sides call final are compared with no grace.
 */

export interface PlatformPayment {
  id: string;
  status: PaymentStatus;
  currency: string;
  amountFen: number;
  providerRef: string | null;
  updatedAt: Date;
}

export interface PlatformRefund {
  id: string;
  paymentId: string;
  status: 'requested' | 'succeeded' | 'failed';
  amountFen: number;
  updatedAt: Date;
}

export type DifferenceKind =
  | 'missing_at_provider'
  | 'missing_in_platform'
  | 'amount_differs'
  | 'currency_differs'
  | 'status_differs'
  | 'ledger_balance';

/** One side's view of a record: what it says the status and money are. */
export interface SideView {
  status: string;
  amountFen: number;
  currency?: string;
}

export interface Difference {
  kind: DifferenceKind;
  subject: 'payment' | 'refund' | 'payout' | 'ledger';
  /** Our id (payment, refund or payout), or the ledger account. */
  reference: string;
  providerRef: string | null;
  platform: SideView | null;
  provider: SideView | null;
}

export interface ReconcileInput {
  payments: PlatformPayment[];
  refunds: PlatformRefund[];
  /** Payouts to buyers (refund rows paid_as = payout), compared with the provider's payouts. */
  payouts?: PlatformRefund[];
  /** Balance of the ledger's `provider_clearing` account: what we think the provider holds for us. */
  ledgerProviderFen: number;
  provider: ProviderRecords;
  now: Date;
  graceMs: number;
}

export interface ReconcileResult {
  paymentsChecked: number;
  /** Refunds and payouts checked. */
  refundsChecked: number;
  providerCharges: number;
  /** Refunds and payouts at the provider. */
  providerRefunds: number;
  inFlight: number;
  ledgerProviderFen: number;
  providerNetFen: number;
  differences: Difference[];
}

export const RECONCILE_GRACE_MS = 15 * 60_000;

/** Statuses both sides share: money taken, declined, or still open (created / authorized). */
const statusGroup = (s: string) => (s === 'captured' || s === 'failed' ? s : 'open');

export function compareWithProvider(input: ReconcileInput): ReconcileResult {
  const { now, graceMs } = input;
  const recent = (at: Date) => now.getTime() - at.getTime() < graceMs;
  const differences: Difference[] = [];
  let inFlight = 0;
  // Money effect of in-flight records on each side (ledger − provider), so the balance check allows for them.
  let inFlightGapFen = 0;

  const charges = new Map(input.provider.charges.map((c) => [c.paymentId, c]));
  const payments = new Map(input.payments.map((p) => [p.id, p]));
  for (const p of input.payments) {
    const c = charges.get(p.id);
    const platform: SideView = { status: p.status, amountFen: p.amountFen, currency: p.currency };
    const ledgerFen = p.status === 'captured' ? p.amountFen : 0;
    if (!c) {
      if (p.status === 'failed') continue; // declined before the provider kept anything
      if (recent(p.updatedAt)) {
        inFlight += 1;
        inFlightGapFen += ledgerFen;
        continue;
      }
      differences.push({
        kind: 'missing_at_provider',
        subject: 'payment',
        reference: p.id,
        providerRef: p.providerRef,
        platform,
        provider: null,
      });
      continue;
    }
    const provider: SideView = { status: c.status, amountFen: c.capturedFen, currency: c.currency };
    const base = {
      subject: 'payment' as const,
      reference: p.id,
      providerRef: c.providerRef,
      platform,
      provider,
    };
    if (c.currency !== p.currency) {
      differences.push({ kind: 'currency_differs', ...base });
      continue;
    }
    const sameStatus = statusGroup(p.status) === statusGroup(c.status);
    if (!sameStatus) {
      if (recent(p.updatedAt)) {
        inFlight += 1;
        inFlightGapFen += ledgerFen - c.capturedFen;
      } else {
        differences.push({ kind: 'status_differs', ...base });
      }
      continue;
    }
    if (p.status === 'captured' && c.capturedFen !== p.amountFen) {
      differences.push({ kind: 'amount_differs', ...base });
    }
  }
  for (const c of input.provider.charges) {
    if (payments.has(c.paymentId) || c.status === 'failed') continue;
    differences.push({
      kind: 'missing_in_platform',
      subject: 'payment',
      reference: c.paymentId,
      providerRef: c.providerRef,
      platform: null,
      provider: { status: c.status, amountFen: c.capturedFen, currency: c.currency },
    });
  }

  const providerPayouts: ProviderRefund[] = (input.provider.payouts ?? []).map((p) => ({
    providerRefundRef: p.providerPayoutRef,
    refundId: p.payoutId,
    providerRef: p.providerRef,
    amountFen: p.amountFen,
  }));
  for (const [subject, ours, theirs] of [
    ['refund', input.refunds, input.provider.refunds],
    ['payout', input.payouts ?? [], providerPayouts],
  ] as const) {
    const out = compareMoneyOut(subject, ours, theirs, charges, recent);
    differences.push(...out.differences);
    inFlight += out.inFlight;
    inFlightGapFen += out.inFlightGapFen;
  }

  const providerNetFen =
    input.provider.charges.reduce((sum, c) => sum + c.capturedFen, 0) -
    input.provider.refunds.reduce((sum, r) => sum + r.amountFen, 0) -
    providerPayouts.reduce((sum, p) => sum + p.amountFen, 0);
  const expectedLedgerFen = providerNetFen + inFlightGapFen;
  if (input.ledgerProviderFen !== expectedLedgerFen) {
    differences.push({
      kind: 'ledger_balance',
      subject: 'ledger',
      reference: 'provider_clearing',
      providerRef: null,
      platform: { status: 'ledger', amountFen: input.ledgerProviderFen },
      provider: { status: 'net_captured', amountFen: expectedLedgerFen },
    });
  }

  return {
    paymentsChecked: input.payments.length,
    refundsChecked: input.refunds.length + (input.payouts?.length ?? 0),
    providerCharges: input.provider.charges.length,
    providerRefunds: input.provider.refunds.length + providerPayouts.length,
    inFlight,
    ledgerProviderFen: input.ledgerProviderFen,
    providerNetFen,
    differences,
  };
}

/**
 * Money out (refunds, or payouts) of ours against the provider's: a record missing on one side, an
 * amount that differs, a status still open; in-flight records (changed within the grace) and what
 * they mean for the ledger balance.
 */
function compareMoneyOut(
  subject: 'refund' | 'payout',
  ours: PlatformRefund[],
  theirs: ProviderRefund[],
  charges: Map<string, { providerRef: string }>,
  recent: (at: Date) => boolean,
): { differences: Difference[]; inFlight: number; inFlightGapFen: number } {
  const differences: Difference[] = [];
  let inFlight = 0;
  let inFlightGapFen = 0;
  const providerRefunds = new Map(theirs.map((r) => [r.refundId, r]));
  const refunds = new Map(ours.map((r) => [r.id, r]));
  for (const r of ours) {
    const at = providerRefunds.get(r.id);
    const platform: SideView = { status: r.status, amountFen: r.amountFen };
    if (!at) {
      if (r.status === 'failed') continue;
      if (recent(r.updatedAt)) {
        inFlight += 1;
        inFlightGapFen -= r.amountFen; // booked in the ledger, not yet at the provider
        continue;
      }
      differences.push({
        kind: 'missing_at_provider',
        subject,
        reference: r.id,
        providerRef: charges.get(r.paymentId)?.providerRef ?? null,
        platform,
        provider: null,
      });
      continue;
    }
    const base = {
      subject,
      reference: r.id,
      providerRef: at.providerRef,
      platform,
      provider: { status: 'succeeded', amountFen: at.amountFen },
    };
    if (at.amountFen !== r.amountFen) {
      differences.push({ kind: 'amount_differs', ...base });
    } else if (r.status !== 'succeeded') {
      if (recent(r.updatedAt)) inFlight += 1;
      else differences.push({ kind: 'status_differs', ...base });
    }
  }
  for (const at of theirs) {
    if (refunds.has(at.refundId)) continue;
    differences.push({
      kind: 'missing_in_platform',
      subject,
      reference: at.refundId,
      providerRef: at.providerRef,
      platform: null,
      provider: { status: 'succeeded', amountFen: at.amountFen },
    });
  }

  return { differences, inFlight, inFlightGapFen };
}

const side = (v: SideView | null) =>
  v ? `${v.status} ${formatFen(v.amountFen)}${v.currency ? ` ${v.currency}` : ''}` : 'none';

/** One line a person can read: what differs, and what each side says. */
export function describeDifference(d: Difference): string {
  const what = d.subject === 'ledger' ? 'ledger account provider_clearing' : `${d.subject} ${d.reference}`;
  const ref = d.providerRef ? ` (provider ${d.providerRef})` : '';
  return `${d.kind.padEnd(19)} ${what}${ref}: ours ${side(d.platform)}, provider's ${side(d.provider)}`;
}
