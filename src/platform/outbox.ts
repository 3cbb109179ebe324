import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

/**
 * Transactional outbox: work to do after a commit (calls to remote systems). A job is written in
 * the same transaction as the business change that needs it, so it exists exactly when that
 * change does. Workers claim due jobs with FOR UPDATE SKIP LOCKED and a lease, then run them
 * outside any transaction; a crash mid-job means the lease runs out and the job runs again, so
 * handlers must be idempotent (the remote side dedupes on ids we send).
 */

export interface OutboxJob {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export type OutboxHandler = (job: OutboxJob) => Promise<void>;

/** Adds a job inside the caller's transaction. */
export async function enqueue(
  trx: Db,
  topic: string,
  payload: Record<string, unknown>,
  runAt: Date,
): Promise<void> {
  await sql`insert into outbox (topic, payload, run_at) values (${topic}, ${JSON.stringify(payload)}::jsonb, ${runAt})`.execute(
    trx,
  );
}

/** Seconds to wait before attempt n+1: 1, 2, 4 … capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(0, attempts - 1));
}

export interface OutboxRunnerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  handlers: Record<string, OutboxHandler>;
  /** How long a claimed job is hidden from other workers while it runs. */
  leaseSeconds?: number;
  batchSize?: number;
}

export class OutboxRunner {
  constructor(private readonly options: OutboxRunnerOptions) {}

  /** Claims and runs the jobs due now; returns how many ran (successfully or not). */
  async runOnce(): Promise<number> {
    const { db, clock, log, handlers } = this.options;
    const now = clock.now();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 60) * 1000);
    const topics = Object.keys(handlers);
    if (topics.length === 0) return 0;
    const claimed = await sql<OutboxJob>`
      update outbox o set run_at = ${lease}, attempts = o.attempts + 1
      from (
        select id from outbox
        where done_at is null and run_at <= ${now} and topic = any(${topics}::text[])
        order by run_at, id
        limit ${this.options.batchSize ?? 20}
        for update skip locked
      ) due
      where o.id = due.id
      returning o.id, o.topic, o.payload, o.attempts`.execute(db);
    for (const job of claimed.rows) {
      try {
        const handler = handlers[job.topic];
        if (!handler) throw new Error(`no handler for ${job.topic}`);
        await handler(job);
        await sql`update outbox set done_at = ${clock.now()}, last_error = null where id = ${job.id}`.execute(
          db,
        );
      } catch (err) {
        const retryAt = new Date(clock.now().getTime() + backoffSeconds(job.attempts) * 1000);
        log.warn(
          { err, job: job.id, topic: job.topic, attempts: job.attempts },
          'outbox job failed; will retry',
        );
        await sql`update outbox set run_at = ${retryAt}, last_error = ${String((err as Error)?.message ?? err).slice(0, 500)}
          where id = ${job.id}`.execute(db);
      }
    }
    return claimed.rows.length;
  }
}
