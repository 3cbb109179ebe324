import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/test-db.ts';
import { ManualClock } from './clock.ts';
import type { Database } from './db.ts';
import { type AppError, TooManyRequests } from './errors.ts';
import { hitRateLimit, hitRateLimits, pruneRateLimits } from './rate-limit.ts';

/** The Retry-After a refused hit carries, or 'accepted'. */
async function outcome(hit: Promise<void>): Promise<number | 'accepted'> {
  try {
    await hit;
    return 'accepted';
  } catch (err) {
    if (err instanceof TooManyRequests) return err.retryAfterSeconds ?? Number.NaN;
    throw err;
  }
}

describe('rate limits kept in the database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database.close());

  it('refuses the hit past the limit within a window and allows it again once the window has slid', async () => {
    const clock = new ManualClock('2026-03-01T08:00:10Z');
    const hit = () => hitRateLimit(database.db, clock, 'test:a', 2, 60, 'slow down');
    await hit();
    await hit();
    await expect(hit()).rejects.toMatchObject({ status: 429 } satisfies Partial<AppError>);
    clock.advance(60_000);
    await expect(hit()).resolves.toBeUndefined();
  });

  it('slides: a burst across the clock hour is still one window, and each hit leaves an hour after it came', async () => {
    const clock = new ManualClock('2026-03-01T08:58:00Z');
    const hit = () => outcome(hitRateLimit(database.db, clock, 'test:slide', 3, 3600, 'hourly'));
    expect(await hit()).toBe('accepted'); // 08:58
    clock.advance(60_000);
    expect(await hit()).toBe('accepted'); // 08:59
    clock.advance(60_000);
    expect(await hit()).toBe('accepted'); // 09:00, a new clock hour: a fixed window would start over
    clock.advance(30_000);
    expect(await hit()).toBe(3600 - 150); // 09:00:30: full until 08:58 + 1 h
    clock.set(new Date('2026-03-01T09:57:59Z'));
    expect(await hit()).toBe(1);
    clock.advance(1_000); // 09:58:00: the 08:58 hit has left the window
    expect(await hit()).toBe('accepted');
    expect(await hit()).toBe(60); // full again until the 08:59 hit leaves
  });

  it('does not count refused hits, so knocking does not extend a lock-out', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const hit = () => outcome(hitRateLimit(database.db, clock, 'test:knock', 1, 60, 'wait'));
    expect(await hit()).toBe('accepted');
    for (let i = 0; i < 5; i += 1) {
      clock.advance(10_000);
      expect(await hit()).toBe(60 - 10 * (i + 1));
    }
    clock.advance(10_000);
    expect(await hit()).toBe('accepted');
  });

  it('takes a hit in every bucket or in none, and answers with the longest wait', async () => {
    const clock = new ManualClock('2026-03-01T11:00:00Z');
    const both = () =>
      outcome(
        hitRateLimits(database.db, clock, [
          { bucket: 'test:minute', limit: 1, windowSeconds: 60, message: 'minute' },
          { bucket: 'test:hour', limit: 2, windowSeconds: 3600, message: 'hour' },
        ]),
      );
    const hourOnly = () => outcome(hitRateLimit(database.db, clock, 'test:hour', 2, 3600, 'hour'));
    expect(await both()).toBe('accepted');
    expect(await both()).toBe(60); // refused by the minute bucket; the hour bucket is not charged
    expect(await hourOnly()).toBe('accepted');
    clock.advance(60_000);
    await expect(
      hitRateLimits(database.db, clock, [
        { bucket: 'test:minute', limit: 1, windowSeconds: 60, message: 'minute' },
        { bucket: 'test:hour', limit: 2, windowSeconds: 3600, message: 'hour' },
      ]),
    ).rejects.toMatchObject({ status: 429, message: 'hour', details: { retryAfterSeconds: 3540 } });
    expect(await hitRateLimit(database.db, clock, 'test:minute', 1, 60, 'minute')).toBeUndefined();
  });

  it('never lets parallel hits past the limit', async () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => outcome(hitRateLimit(database.db, clock, 'test:race', 5, 60, 'race'))),
    );
    expect(results.filter((r) => r === 'accepted')).toHaveLength(5);
  });

  it('prunes buckets idle for more than a day and keeps recent ones', async () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    await hitRateLimit(database.db, clock, 'test:old', 5, 3600, 'x');
    clock.advance(25 * 3600_000);
    await hitRateLimit(database.db, clock, 'test:new', 5, 3600, 'x');
    const pruned = await pruneRateLimits(database.db, clock);
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await sql<{ bucket: string }>`select bucket from rate_limits order by bucket`.execute(
      database.db,
    );
    expect(left.rows.map((r) => r.bucket)).toEqual(['test:new']);
  });
});
