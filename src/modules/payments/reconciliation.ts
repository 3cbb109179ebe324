import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { formatFen } from '../../platform/money.ts';
import { ACCOUNTS, accountBalance } from './ledger.ts';
import type { PaymentProvider } from './provider.ts';
import {
  compareWithProvider,
  type Difference,
  describeDifference,
  type PlatformPayment,
  type PlatformRefund,
  RECONCILE_GRACE_MS,
  type ReconcileResult,
} from './reconcile.ts';

export type ReconciliationTrigger = 'schedule' | 'cli' | 'ops';

export interface ReconciliationRun extends ReconcileResult {
  id: string;
  startedAt: string;
  finishedAt: string;
  trigger: ReconciliationTrigger;
  differenceCount: number;
}

/** At most this many differences are stored with a run (the count has them all). */
const STORED_DIFFERENCES = 500;

/**
 * Runs one reconciliation and stores it. The provider is read first (outside any transaction: it
 * is remote), then our side in one repeatable-read snapshot, so anything that moved in between
 * is newer on our side (and counted in flight by the grace rule). A run with differences is
 * logged at error level (an alert); every run is kept in `reconciliation_runs`.
 */
export async function runReconciliation(
  deps: { db: Db; clock: Clock; log: Logger; provider: PaymentProvider },
  trigger: ReconciliationTrigger,
): Promise<ReconciliationRun> {
  const { db, clock, log, provider } = deps;
  const startedAt = clock.now();
  const records = await provider.listRecords();
  const ours = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const payments = await sql<PlatformPayment>`
        select id, status, currency, amount_fen::bigint as "amountFen", provider_ref as "providerRef",
               updated_at as "updatedAt"
        from payments order by created_at, id`.execute(trx);
      const refunds = await sql<PlatformRefund>`
        select id, payment_id as "paymentId", status, amount_fen::bigint as "amountFen", updated_at as "updatedAt"
        from refunds where payment_id is not null and paid_as = 'refund' order by created_at, id`.execute(
        trx,
      );
      const payouts = await sql<PlatformRefund>`
        select id, payment_id as "paymentId", status, amount_fen::bigint as "amountFen", updated_at as "updatedAt"
        from refunds where payment_id is not null and paid_as = 'payout' order by created_at, id`.execute(
        trx,
      );
      const ledgerProviderFen = await accountBalance(trx, ACCOUNTS.providerClearing);
      return { payments: payments.rows, refunds: refunds.rows, payouts: payouts.rows, ledgerProviderFen };
    });
  const result = compareWithProvider({
    payments: ours.payments.map((p) => ({
      ...p,
      amountFen: Number(p.amountFen),
      updatedAt: new Date(p.updatedAt),
    })),
    refunds: ours.refunds.map((r) => ({
      ...r,
      amountFen: Number(r.amountFen),
      updatedAt: new Date(r.updatedAt),
    })),
    payouts: ours.payouts.map((r) => ({
      ...r,
      amountFen: Number(r.amountFen),
      updatedAt: new Date(r.updatedAt),
    })),
    ledgerProviderFen: ours.ledgerProviderFen,
    provider: records,
    now: startedAt,
    graceMs: RECONCILE_GRACE_MS,
  });
  const finishedAt = clock.now();
  const run: ReconciliationRun = {
    id: newId(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    trigger,
    differenceCount: result.differences.length,
    ...result,
    differences: result.differences.slice(0, STORED_DIFFERENCES),
  };
  await sql`
    insert into reconciliation_runs (id, started_at, finished_at, trigger, payments_checked, refunds_checked,
      provider_charges, provider_refunds, in_flight, ledger_provider_fen, provider_net_fen, difference_count, differences)
    values (${run.id}, ${startedAt}, ${finishedAt}, ${trigger}, ${run.paymentsChecked}, ${run.refundsChecked},
      ${run.providerCharges}, ${run.providerRefunds}, ${run.inFlight}, ${run.ledgerProviderFen}, ${run.providerNetFen},
      ${run.differenceCount}, ${JSON.stringify(run.differences)}::jsonb)`.execute(db);
  if (run.differenceCount > 0) {
    log.error(
      {
        alert: 'reconciliation_differences',
        runId: run.id,
        differenceCount: run.differenceCount,
        differences: run.differences.slice(0, 20),
      },
      'reconciliation found differences between our records and the payment provider',
    );
  } else {
    log.info({ runId: run.id, inFlight: run.inFlight }, 'reconciliation: no differences');
  }
  return run;
}

/** The newest stored run, or null before the first. */
export async function lastReconciliation(db: Db): Promise<ReconciliationRun | null> {
  const rows = await sql<{
    id: string;
    started_at: Date;
    finished_at: Date;
    trigger: ReconciliationTrigger;
    payments_checked: number;
    refunds_checked: number;
    provider_charges: number;
    provider_refunds: number;
    in_flight: number;
    ledger_provider_fen: number;
    provider_net_fen: number;
    difference_count: number;
    differences: Difference[];
  }>`select * from reconciliation_runs order by seq desc limit 1`.execute(db);
  const r = rows.rows[0];
  if (!r) return null;
  return {
    id: r.id,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: new Date(r.finished_at).toISOString(),
    trigger: r.trigger,
    paymentsChecked: r.payments_checked,
    refundsChecked: r.refunds_checked,
    providerCharges: r.provider_charges,
    providerRefunds: r.provider_refunds,
    inFlight: r.in_flight,
    ledgerProviderFen: Number(r.ledger_provider_fen),
    providerNetFen: Number(r.provider_net_fen),
    differenceCount: r.difference_count,
    differences: r.differences,
  };
}

/** The `gravity reconcile` report: readable lines, then (last line) a JSON summary. */
export function reconciliationReport(run: ReconciliationRun): string[] {
  const lines = [
    `reconciliation ${run.id} (${run.trigger}) at ${run.finishedAt}`,
    `  payments checked   ${run.paymentsChecked} (provider charges ${run.providerCharges})`,
    `  refunds checked    ${run.refundsChecked} (provider refunds ${run.providerRefunds}; payouts included)`,
    `  in flight          ${run.inFlight}`,
    `  ledger provider_clearing ${formatFen(run.ledgerProviderFen)}, provider net captured ${formatFen(run.providerNetFen)}`,
    run.differenceCount === 0 ? '  no differences' : `  ${run.differenceCount} difference(s):`,
    ...run.differences.map((d) => `    ${describeDifference(d)}`),
  ];
  if (run.differenceCount > run.differences.length) {
    lines.push(`    … and ${run.differenceCount - run.differences.length} more`);
  }
  const byKind: Record<string, number> = {};
  for (const d of run.differences) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  lines.push(
    JSON.stringify({
      runId: run.id,
      ok: run.differenceCount === 0,
      paymentsChecked: run.paymentsChecked,
      refundsChecked: run.refundsChecked,
      inFlight: run.inFlight,
      ledgerProviderFen: run.ledgerProviderFen,
      providerNetFen: run.providerNetFen,
      differences: run.differenceCount,
      byKind,
    }),
  );
  return lines;
}
