import pg from 'pg';
import type { Logger } from 'pino';

/** Runs `run` only if no other process is running the task of that name; else answers 0 at once. */
export type ExclusiveRunner = (name: string, run: () => Promise<unknown>) => Promise<unknown>;

/**
 * Exclusive tasks across processes on one PostgreSQL server: a session advisory lock per task name
 * (`pg_try_advisory_lock(hashtextextended(name, 0))`), taken before a run and released after it, all
 * on one connection of its own. A worker that dies loses its connection, and PostgreSQL releases its
 * locks at once: no lease to wait out. When the connection breaks, the next run opens a new one.
 * PGlite needs none of this (one process).
 */
export function pgTaskLocks(databaseUrl: string, log: Logger): ExclusiveRunner & { close(): Promise<void> } {
  let client: Promise<pg.Client> | null = null;
  const connection = () => {
    client ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: 'gravity task locks' });
      c.on('error', (err) => {
        log.warn({ err }, 'task-lock connection lost');
        client = null;
      });
      c.on('end', () => {
        client = null;
      });
      await c.connect();
      return c;
    })().catch((err) => {
      client = null;
      throw err;
    });
    return client;
  };
  const runner = async (name: string, run: () => Promise<unknown>) => {
    const c = await connection();
    const got = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [
      `gravity.task:${name}`,
    ]);
    if (!got.rows[0]?.ok) return 0; // another process runs it now
    try {
      return await run();
    } finally {
      await c
        .query('select pg_advisory_unlock(hashtextextended($1, 0))', [`gravity.task:${name}`])
        .catch(() => {}); // the connection is gone, and the lock with it
    }
  };
  return Object.assign(runner, {
    close: async () => {
      const c = await client?.catch(() => null);
      client = null;
      await c?.end().catch(() => {});
    },
  });
}
