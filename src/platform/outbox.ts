import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import { type Db, databaseDown, isConnectionError } from './db.ts';
import { deleteBatch, retentionCutoff } from './retention.ts';
import { mapConcurrent } from './workers.ts';

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

/** Attempts after which a failing job goes to the dead letters: about an hour of retries with backoff. */
export const DEFAULT_MAX_ATTEMPTS = 20;

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

/**
 * `enqueue` as SQL for a caller's own statement (`with moved as (update …), queued as (<this>)`):
 * one job per row of the CTE `source`, so the job exists exactly when that change happened,
 * without a round trip of its own.
 */
export function enqueueFrom(
  source: string,
  topic: string,
  payload: Record<string, unknown>,
  runAt: Date,
): RawBuilder<unknown> {
  return sql`insert into outbox (topic, payload, run_at)
    select ${topic}::text, ${JSON.stringify(payload)}::jsonb, ${runAt}::timestamptz from ${sql.table(source)}`;
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
  /** How many claimed jobs run at once. */
  concurrency?: number;
  /**
   * After this many attempts a failing job moves to `outbox_dead_letters` with its last error,
   * where an operator sees it (and can send it back), instead of being retried forever.
   */
  maxAttempts?: number;
}

export class OutboxRunner {
  constructor(private readonly options: OutboxRunnerOptions) {}

  /**
   * Claims the jobs due now (one statement), runs them outside any transaction, a few at a time,
   * then marks the successes done in one statement. A failed job is retried later with backoff.
   * A crash before the marks means the lease runs out and the jobs run again (handlers are
   * idempotent). A job that failed `maxAttempts` times moves to the dead letters; so does one
   * claimed again after that many leases ran out with no answer (it may be crashing the worker).
   * Returns how many ran (successfully or not).
   */
  async runOnce(): Promise<number> {
    const { db, clock, log, handlers } = this.options;
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const now = clock.now();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 60) * 1000);
    const topics = Object.keys(handlers);
    if (topics.length === 0) return 0;
    const claimed = await sql<OutboxJob & { last_error: string | null }>`
      update outbox o set run_at = ${lease}, attempts = o.attempts + 1
      from (
        select id from outbox
        where done_at is null and run_at <= ${now} and topic = any(${topics}::text[])
        order by run_at, id
        limit ${this.options.batchSize ?? 20}
        for update skip locked
      ) due
      where o.id = due.id
      returning o.id, o.topic, o.payload, o.attempts, o.last_error`.execute(db);
    if (claimed.rows.length === 0) return 0;
    const spent = claimed.rows.filter((j) => j.attempts > maxAttempts);
    for (const job of spent) {
      await this.deadLetter(job, job.last_error ?? 'lease expired without an answer', job.attempts - 1);
    }
    const runnable = claimed.rows.filter((j) => j.attempts <= maxAttempts);
    const failures = await mapConcurrent(runnable, this.options.concurrency ?? 4, async (job) => {
      try {
        const handler = handlers[job.topic];
        if (!handler) throw new Error(`no handler for ${job.topic}`);
        await handler(job);
        return null;
      } catch (err) {
        // A lost database connection is logged once per outage (db.ts), not once per job.
        if (isConnectionError(err)) databaseDown(log, err, `outbox ${job.topic}`);
        else
          log.warn(
            { err, job: job.id, topic: job.topic, attempts: job.attempts },
            'outbox job failed; will retry',
          );
        return err;
      }
    });
    const done = runnable.filter((_, i) => failures[i] === null).map((j) => j.id);
    if (done.length > 0) {
      await sql`update outbox set done_at = ${clock.now()}, last_error = null where id = any(${done}::bigint[])`.execute(
        db,
      );
    }
    for (const [i, err] of failures.entries()) {
      if (err === null) continue;
      const job = runnable[i] as OutboxJob;
      const message = String((err as Error)?.message ?? err).slice(0, 500);
      if (job.attempts >= maxAttempts) {
        await this.deadLetter(job, message, job.attempts);
        continue;
      }
      const retryAt = new Date(clock.now().getTime() + backoffSeconds(job.attempts) * 1000);
      await sql`update outbox set run_at = ${retryAt}, last_error = ${message}
        where id = ${job.id}`.execute(db);
    }
    return claimed.rows.length;
  }

  /** Moves a job from the outbox to the dead letters in one statement, and says so loudly. */
  private async deadLetter(job: OutboxJob, lastError: string, attempts: number): Promise<void> {
    const { db, clock, log } = this.options;
    await sql`
      with gone as (delete from outbox where id = ${job.id} returning id, topic, payload)
      insert into outbox_dead_letters (id, topic, payload, attempts, last_error, failed_at)
      select id, topic, payload, ${attempts}, ${lastError}, ${clock.now()} from gone`.execute(db);
    log.error(
      { job: job.id, topic: job.topic, attempts, lastError },
      'outbox job failed too often; moved to the dead letters',
    );
  }
}

/** Retention: one batch of jobs done more than `days` ago (jobs not done are never pruned). */
export async function pruneOutbox(db: Db, clock: Clock, days: number, batchSize: number): Promise<number> {
  return deleteBatch(db, 'outbox', ['id'], sql`done_at < ${retentionCutoff(clock, days)}`, batchSize);
}
