import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_OUTAGE_BACKOFF_MS, startWorkers } from './workers.ts';

/** Background tasks while the database is away: they back off, log the outage once, and resume. */
describe('startWorkers during a database outage', () => {
  const logged: Array<{ level: number; msg: string }> = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => logged.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  beforeEach(() => {
    vi.useFakeTimers();
    logged.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('backs off while the database refuses connections, logs it once, and resumes the normal schedule', async () => {
    let down = true;
    let runs = 0;
    let handled = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const workers = startWorkers(
      [
        {
          name: 'test.poll',
          intervalMs: 200,
          run: async () => {
            runs += 1;
            if (down) throw refused;
            handled += 1;
            return 0;
          },
        },
      ],
      log,
    );
    // 60 s of outage: every 200 ms would be 300 runs; backing off (200 → 5 000 ms) makes about 16.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBeGreaterThan(5);
    expect(runs).toBeLessThanOrEqual(60_000 / MAX_OUTAGE_BACKOFF_MS + 6);
    expect(logged.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
      expect.stringMatching(/^database unavailable/),
    ]);

    // The database is back: the next try (at most one backoff later) succeeds, then every 200 ms again.
    down = false;
    await vi.advanceTimersByTimeAsync(MAX_OUTAGE_BACKOFF_MS);
    expect(handled).toBeGreaterThanOrEqual(1);
    const before = handled;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(handled - before).toBeGreaterThanOrEqual(9);
    expect(logged.map((l) => l.msg)).toContain('database available again');
    await workers.stop();
  });

  it('logs other failures at every run, at the normal interval, as before', async () => {
    let runs = 0;
    const workers = startWorkers(
      [
        {
          name: 'test.bug',
          intervalMs: 200,
          run: async () => {
            runs += 1;
            throw new Error('a bug');
          },
        },
      ],
      log,
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(10);
    expect(logged.filter((l) => l.msg === 'worker task failed')).toHaveLength(10);
    await workers.stop();
  });
});
