import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import { type Db, databaseDown, isConnectionError } from './db.ts';
import { preparedStatement } from './prepared.ts';
import { deleteBatch, retentionCutoff } from './retention.ts';
import { mapConcurrent } from './workers.ts';

/**
 * Transactional outbox, the delivery machinery under the event bus (events.ts): one row per
 * (event, subscriber), written in the same transaction as the business change, so it exists
 * exactly when that change does. Each row is one subscriber's progress on one event: workers claim
 * due rows with FOR UPDATE SKIP LOCKED and a lease, run the subscriber's handler outside any
 * transaction, and retry a failure with backoff, so a failing subscriber never holds back another
 * subscriber of the same event nor later events. A crash mid-job means the lease runs out and the
 * job runs again, so handlers must be idempotent.
 */

export interface OutboxJob {
  id: number;
  topic: string;
  /** Whose job this is: the subscriber (events.ts) whose handler runs it. */
  subscriber: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Attempts after which a failing job goes to the dead letters: about an hour of retries with backoff. */
export const DEFAULT_MAX_ATTEMPTS = 20;

export type OutboxHandler = (job: OutboxJob) => Promise<void>;

/**
 * Adds one job per (payload, subscriber) inside the caller's transaction, in one statement (the
 * event bus's `publish` calls it with the topic's subscribers; a bare job names its handler as its
 * own subscriber).
 */
export async function enqueue(
  trx: Db,
  topic: string,
  payload: Record<string, unknown> | Array<Record<string, unknown>>,
  runAt: Date,
  subscribers: string[] = [topic],
): Promise<void> {
  const payloads = Array.isArray(payload) ? payload : [payload];
  if (subscribers.length === 0 || payloads.length === 0) return;
  await enqueueStatement.execute(trx, [topic, payloads.map((p) => JSON.stringify(p)), subscribers, runAt]);
}

/** `enqueueSql`'s text, prepared, for `enqueue` on its own: topic $1, payloads $2, subscribers $3, run at $4. */
const enqueueStatement = preparedStatement<unknown>(
  'platform.outbox-enqueue',
  `insert into outbox (topic, subscriber, payload, run_at)
   select $1::text, s.name, p.payload, $4::timestamptz
   from unnest($2::jsonb[]) with ordinality as p(payload, n)
   cross join unnest($3::text[]) as s(name)
   order by p.n`,
);

/** `enqueue` as SQL, for a CTE of the caller's own statement (`with …, queued as (<this>)`). */
export function enqueueSql(
  topic: string,
  payloads: Array<Record<string, unknown>>,
  runAt: Date,
  subscribers: string[],
): RawBuilder<unknown> {
  return sql`insert into outbox (topic, subscriber, payload, run_at)
    select ${topic}::text, s.name, p.payload, ${runAt}::timestamptz
    from unnest(${payloads.map((p) => JSON.stringify(p))}::jsonb[]) with ordinality as p(payload, n)
    cross join unnest(${subscribers}::text[]) as s(name)
    order by p.n`;
}

/**
 * `enqueue` as SQL for a caller's own statement (`with moved as (update …), queued as (<this>)`):
 * one job per (row of the CTE `source`, subscriber), so the jobs exist exactly when that change
 * happened, without a round trip of their own.
 */
export function enqueueFrom(
  source: string,
  topic: string,
  payload: Record<string, unknown>,
  runAt: Date,
  subscribers: string[] = [topic],
): RawBuilder<unknown> {
  return sql`insert into outbox (topic, subscriber, payload, run_at)
    select ${topic}::text, s.name, ${JSON.stringify(payload)}::jsonb, ${runAt}::timestamptz
    from ${sql.table(source)} cross join unnest(${subscribers}::text[]) as s(name)`;
}

/** Seconds to wait before attempt n+1: 1, 2, 4 … capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(0, attempts - 1));
}

export interface OutboxRunnerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Each subscriber's handler, by subscriber name: the runner claims only these subscribers' jobs. */
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

/**
 * The runner's statements, prepared (every worker runs them every half second). Claim: up to $4
 * due jobs ($2) of the subscribers $3, skipping those another worker holds, leased until $1.
 */
const claimJobs = preparedStatement<OutboxJob & { last_error: string | null }>(
  'platform.outbox-claim',
  `update outbox o set run_at = $1::timestamptz, attempts = o.attempts + 1
   from (
     select id from outbox
     where done_at is null and run_at <= $2::timestamptz and subscriber = any($3::text[])
     order by run_at, id
     limit $4::int
     for update skip locked
   ) due
   where o.id = due.id
   returning o.id, o.topic, o.subscriber, o.payload, o.attempts, o.last_error`,
);
/** The jobs $2 done at $1. */
const markDone = preparedStatement<unknown>(
  'platform.outbox-done',
  'update outbox set done_at = $1::timestamptz, last_error = null where id = any($2::bigint[])',
);
/** Job $3 failed with $2: run again at $1. */
const retryLater = preparedStatement<unknown>(
  'platform.outbox-retry',
  'update outbox set run_at = $1::timestamptz, last_error = $2::text where id = $3::bigint',
);

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
    const subscribers = Object.keys(handlers);
    if (subscribers.length === 0) return 0;
    const claimed = await claimJobs.execute(db, [lease, now, subscribers, this.options.batchSize ?? 20]);
    if (claimed.rows.length === 0) return 0;
    const spent = claimed.rows.filter((j) => j.attempts > maxAttempts);
    for (const job of spent) {
      await this.deadLetter(job, job.last_error ?? 'lease expired without an answer', job.attempts - 1);
    }
    const runnable = claimed.rows.filter((j) => j.attempts <= maxAttempts);
    const failures = await mapConcurrent(runnable, this.options.concurrency ?? 4, async (job) => {
      try {
        const handler = handlers[job.subscriber];
        if (!handler) throw new Error(`no handler for ${job.subscriber}`);
        await handler(job);
        return null;
      } catch (err) {
        // A lost database connection is logged once per outage (db.ts), not once per job.
        if (isConnectionError(err)) databaseDown(log, err, `outbox ${job.subscriber}`);
        else
          log.warn(
            { err, job: job.id, topic: job.topic, subscriber: job.subscriber, attempts: job.attempts },
            'outbox job failed; will retry',
          );
        return err;
      }
    });
    const done = runnable.filter((_, i) => failures[i] === null).map((j) => j.id);
    if (done.length > 0) {
      await markDone.execute(db, [clock.now(), done]);
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
      await retryLater.execute(db, [retryAt, message, job.id]);
    }
    return claimed.rows.length;
  }

  /** Moves a job from the outbox to the dead letters in one statement, and says so loudly. */
  private async deadLetter(job: OutboxJob, lastError: string, attempts: number): Promise<void> {
    const { db, clock, log } = this.options;
    await sql`
      with gone as (delete from outbox where id = ${job.id} returning id, topic, subscriber, payload)
      insert into outbox_dead_letters (id, topic, subscriber, payload, attempts, last_error, failed_at)
      select id, topic, subscriber, payload, ${attempts}, ${lastError}, ${clock.now()} from gone`.execute(db);
    log.error(
      { job: job.id, topic: job.topic, subscriber: job.subscriber, attempts, lastError },
      'outbox job failed too often; moved to the dead letters',
    );
  }
}

/** Retention: one batch of jobs done more than `days` ago (jobs not done are never pruned). */
export async function pruneOutbox(db: Db, clock: Clock, days: number, batchSize: number): Promise<number> {
  return deleteBatch(db, 'outbox', ['id'], sql`done_at < ${retentionCutoff(clock, days)}`, batchSize);
}
