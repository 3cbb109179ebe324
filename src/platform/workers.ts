import type { Logger } from 'pino';

/** A background task run every `intervalMs`, never overlapping itself. */
export interface WorkerTask {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
  /** Run once right away when the workers start (recovery jobs). */
  runAtStart?: boolean;
}

export interface Workers {
  stop(): Promise<void>;
}

/**
 * Runs each task on its own timer. A task's next run is scheduled only after the previous one
 * finished, so a slow run never piles up; errors are logged and the task keeps going. Every task
 * must be safe to run in several processes at once (they claim work with SKIP LOCKED or
 * conditional updates), so no single-instance assumption lives here.
 */
export function startWorkers(tasks: WorkerTask[], log: Logger): Workers {
  let stopped = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  const schedule = (task: WorkerTask, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      const run = task
        .run()
        .catch((err) => log.error({ err, task: task.name }, 'worker task failed'))
        .finally(() => {
          running.delete(run);
          schedule(task, task.intervalMs);
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
