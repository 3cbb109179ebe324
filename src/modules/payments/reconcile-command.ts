import pino from 'pino';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db.ts';
import { reconciliationReport } from './reconciliation.ts';
import type { PaymentsService } from './service.ts';

/**
 * `gravity reconcile`: one run, its readable report, then a JSON summary as the last line.
 * Exit code 0 when nothing differs, 1 otherwise (for cron and scripts).
 */
export async function reconcileCommand(
  payments: Pick<PaymentsService, 'reconcile'>,
  print: (line: string) => void = console.log,
): Promise<number> {
  const run = await payments.reconcile('cli');
  for (const line of reconciliationReport(run)) print(line);
  return run.differenceCount === 0 ? 0 : 1;
}

/** Wires the payment services over `db` (no server, no workers) and runs the command. */
export async function reconcileFromCli(db: Db, config: Config): Promise<number> {
  const { buildApp } = await import('../../app.ts');
  // Warnings and alerts go to stderr, so stdout stays the report (JSON summary last).
  const log = pino({ level: 'warn' }, pino.destination(2));
  const gravity = await buildApp({ config, db, log });
  try {
    return await reconcileCommand(gravity.services.payments);
  } finally {
    await gravity.app.close();
    await gravity.stop();
  }
}
