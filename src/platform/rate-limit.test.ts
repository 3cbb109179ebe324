import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/test-db.ts';
import { ManualClock } from './clock.ts';
import type { Database } from './db.ts';
import type { AppError } from './errors.ts';
import { hitRateLimit, pruneRateLimits } from './rate-limit.ts';

describe('rate limits kept in the database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database.close());

  it('refuses the hit past the limit within a window and allows it again in the next', async () => {
    const clock = new ManualClock('2026-03-01T08:00:10Z');
    const hit = () => hitRateLimit(database.db, clock, 'test:a', 2, 60, 'slow down');
    await hit();
    await hit();
    await expect(hit()).rejects.toMatchObject({ status: 429 } satisfies Partial<AppError>);
    clock.advance(60_000);
    await expect(hit()).resolves.toBeUndefined();
  });

  it('prunes windows older than a day and keeps recent ones', async () => {
    const clock = new ManualClock('2026-03-01T08:00:00Z');
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
