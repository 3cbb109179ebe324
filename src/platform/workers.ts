import type { Logger } from 'pino';
import { databaseDown, databaseUp, isConnectionError } from './db.ts';
import type { ExclusiveRunner } from './task-locks.ts';

/** The longest a task waits between tries while the database is unavailable. */
export const MAX_OUTAGE_BACKOFF_MS = 5_000;

/** A background task run every `intervalMs`, never overlapping itself. */
export interface WorkerTask {
  name: string;
  intervalMs: number;
  /** Returns how many items it handled (or anything else, which counts as none). */
  run(): Promise<unknown>;
  /** Run once right away when the workers start (recovery jobs). */
  runAtStart?: boolean;
  /**
   * Run again right away while a run handled something, and wait `intervalMs` only once a run
   * finds nothing: a backlog drains at full speed, an idle database sees one query per interval.
   * Only for tasks whose handled items cannot be found again at once (claimed with a lease,
   * moved to another state, or retried later with backoff), or the task would spin.
   */
  drain?: boolean;
  /**
   * A whole-table sweep that must not run in two processes at once (its claims alone would not stop
   * duplicate provider calls or reports): with several processes on PostgreSQL each run first takes
   * the task's advisory lock (platform/task-locks.ts) and is skipped while another process holds it.
   */
  exclusive?: boolean;
  /**
   * Work on this process's own memory (counters kept in memory): runs in every process, API ones
   * included, not only in workers.
   */
  perProcess?: boolean;
}

export interface Workers {
  stop(): Promise<void>;
}

/**
 * Runs each task on its own timer. A task's next run is scheduled only after the previous one
 * finished, so a slow run never piles up; errors are logged and the task keeps going. Every task
 * must be safe to run in several processes at once (they claim work with SKIP LOCKED or
 * conditional updates); whole-table sweeps are also `exclusive` (one process at a time, by
 * `options.exclusive`, an advisory lock on PostgreSQL).
 * While the database is unavailable a task backs off (its interval doubled each failed run, up to
 * `MAX_OUTAGE_BACKOFF_MS` or its own interval if longer) and the outage is logged once, not per
 * run; the first run that succeeds goes back to the normal schedule. Work a run had claimed when
 * the connection broke is picked up again when its lease runs out.
 */
export function startWorkers(
  tasks: WorkerTask[],
  log: Logger,
  options: { exclusive?: ExclusiveRunner } = {},
): Workers {
  const runOf = (task: WorkerTask) =>
    task.exclusive && options.exclusive
      ? () => (options.exclusive as ExclusiveRunner)(task.name, () => task.run())
      : () => task.run();
  const runners = new Map(tasks.map((t) => [t.name, runOf(t)]));
  let stopped = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  // Consecutive runs of each task that failed because the database could not be reached.
  const outageFailures = new Map<string, number>();

  const schedule = (task: WorkerTask, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      let handled = 0;
      let failures = 0;
      const run = (runners.get(task.name) as () => Promise<unknown>)()
        .then((n) => {
          handled = typeof n === 'number' ? n : 0;
          if ((outageFailures.get(task.name) ?? 0) > 0) databaseUp(log); // it failed for the database
        })
        .catch((err) => {
          if (!isConnectionError(err)) return log.error({ err, task: task.name }, 'worker task failed');
          failures = (outageFailures.get(task.name) ?? 0) + 1;
          databaseDown(log, err, `worker ${task.name}`);
        })
        .finally(() => {
          running.delete(run);
          outageFailures.set(task.name, failures);
          if (failures > 0) {
            const cap = Math.max(task.intervalMs, MAX_OUTAGE_BACKOFF_MS);
            return schedule(task, Math.min(cap, task.intervalMs * 2 ** Math.min(failures, 20)));
          }
          schedule(task, task.drain && handled > 0 ? 0 : task.intervalMs);
        });
      running.add(run);
    }, delay);
    timer.unref?.();
    timers.set(task.name, timer);
  };

  for (const task of tasks) schedule(task, task.runAtStart ? 0 : task.intervalMs);

  return {
    stop: async () => {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}

/** `fn` over `items` with at most `limit` running at once; results in the order of `items`. */
export async function mapConcurrent<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
