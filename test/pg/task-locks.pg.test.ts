import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { pgTaskLocks } from '../../src/platform/task-locks.ts';
import { startWorkers } from '../../src/platform/workers.ts';
import { TEST_PG_URL, usePostgres } from '../support/test-db.ts';

/** Exclusive tasks: two processes (two lock connections) never run the same task at once. */
describe.runIf(usePostgres)('exclusive tasks across processes (PostgreSQL advisory locks)', () => {
  const log = pino({ level: 'silent' });

  it('skips a run while another process holds the task, runs it once released or gone', async () => {
    const a = pgTaskLocks(TEST_PG_URL, log);
    const b = pgTaskLocks(TEST_PG_URL, log);
    const name = `test.exclusive.${Math.random()}`;
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let entered = () => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const first = a(name, async () => {
      entered();
      await held;
      return 1;
    });
    await inside;
    let ranB = false;
    expect(
      await b(name, async () => {
        ranB = true;
        return 1;
      }),
    ).toBe(0);
    expect(ranB).toBe(false);
    // Another task name is not held.
    expect(await b(`${name}.other`, async () => 7)).toBe(7);
    release();
    expect(await first).toBe(1);
    expect(await b(name, async () => 2)).toBe(2);

    // A holder whose connection ends (a killed process) holds nothing any more.
    let out = () => {};
    const holding = new Promise<void>((r) => {
      out = r;
    });
    let enteredAgain = () => {};
    const insideAgain = new Promise<void>((r) => {
      enteredAgain = r;
    });
    const stuck = a(name, () => {
      enteredAgain();
      return holding.then(() => 1);
    });
    await insideAgain;
    expect(await b(name, async () => 3)).toBe(0);
    await a.close();
    expect(await b(name, async () => 4)).toBe(4);
    out();
    await stuck;
    await b.close();
  });

  it('startWorkers runs an exclusive task through the runner, others directly', async () => {
    const seen: string[] = [];
    const workers = startWorkers(
      [
        { name: 'x.exclusive', intervalMs: 60_000, runAtStart: true, exclusive: true, run: async () => 1 },
        { name: 'x.plain', intervalMs: 60_000, runAtStart: true, run: async () => 1 },
      ],
      log,
      {
        exclusive: async (name, run) => {
          seen.push(name);
          return run();
        },
      },
    );
    for (let i = 0; i < 100 && seen.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    await workers.stop();
    expect(seen).toEqual(['x.exclusive']);
  });
});
