import type { WorkerTask } from '../../platform/workers.ts';
import type { SandboxPaymentProvider } from './sandbox-provider.ts';
import type { PaymentsService } from './service.ts';

/**
 * Background work of payments: recovery, reconciliation, and the sandbox's webhooks (captures and
 * refunds at the provider are subscribers, run by the platform's event worker).
 */
export function paymentTasks(
  payments: PaymentsService,
  sandbox: SandboxPaymentProvider | null,
): WorkerTask[] {
  const tasks: WorkerTask[] = [
    // On start, then every minute: intents committed but never sent to the provider.
    {
      name: 'payments.recover',
      intervalMs: 60_000,
      runAtStart: true,
      exclusive: true,
      run: () => payments.recoverStuck(),
    },
    // Hourly: our payments, refunds and ledger against the provider's records (differences are logged as errors).
    {
      name: 'payments.reconcile',
      intervalMs: 3_600_000,
      exclusive: true,
      run: () => payments.reconcile('schedule').then(() => 0),
    },
  ];
  if (sandbox)
    tasks.push({ name: 'sandbox.webhooks', intervalMs: 200, drain: true, run: () => sandbox.deliverDue() });
  return tasks;
}
