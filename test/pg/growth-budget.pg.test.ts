import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * Incentive payouts settled concurrently on a real PostgreSQL server (many connections): the programme's
 * budget is never overspent (the last payouts get the remainder, then nothing), each store is paid once
 * even when two settlements of it race, and the ledger holds exactly what the programme paid.
 */
describe('growth incentive budget under concurrent settlements (PostgreSQL)', () => {
  let database: Database & { url?: string };
  let g: Gravity;
  const clock = new ManualClock('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    database = await freshDatabase(12);
    if (!database.url) throw new Error('needs a PostgreSQL server');
    g = await buildApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      db: database.db,
      clock,
      log: pino({ level: 'silent' }),
    });
    await g.app.ready();
  });
  afterAll(async () => {
    await g?.stop();
    await g?.app.close();
    await database?.close();
  });

  it('pays at most the budget, each store once', async () => {
    const db = database.db;
    const programmeId = randomUUID();
    const stores = Array.from({ length: 24 }, () => randomUUID());
    // Each store earns 10% of ¥500 = ¥50 (5000 fen); 24 stores would need 120,000 fen of a 77,777 budget.
    await sql`
      insert into growth_programmes (id, name, kind, eligible_store_days, period_days, rate_bps, cap_fen, budget_fen,
                                     remaining_fen, status, created_at, updated_at)
      values (${programmeId}, '并发预算', 'first_sale_gmv', 30, 7, 1000, 100000, 77777, 77777, 'active', now(), now())`.execute(
      db,
    );
    const startsAt = new Date('2026-02-01T00:00:00Z');
    const endsAt = new Date('2026-02-08T00:00:00Z');
    await sql`
      insert into growth_incentives (programme_id, store_id, starts_at, ends_at)
      select ${programmeId}, s, ${startsAt}, ${endsAt} from unnest(${stores}::uuid[]) s`.execute(db);
    await sql`
      insert into growth_orders (order_id, store_id, total_fen, paid_at)
      select gen_random_uuid(), s, 50000, ${new Date('2026-02-02T00:00:00Z')} from unnest(${stores}::uuid[]) s`.execute(
      db,
    );

    // Every store settled twice at once, all in parallel.
    const results = await Promise.all(
      [...stores, ...stores].map((s) => g.services.growth.settle(programmeId, s)),
    );
    expect(results.filter(Boolean)).toHaveLength(stores.length);

    const rows = await sql<{ status: string; paid_fen: string; earned_fen: string }>`
      select status, paid_fen, earned_fen from growth_incentives where programme_id = ${programmeId}`.execute(
      db,
    );
    const paid = rows.rows.reduce((a, r) => a + Number(r.paid_fen), 0);
    expect(paid).toBe(77_777);
    expect(rows.rows.every((r) => Number(r.earned_fen) === 5000)).toBe(true);
    expect(rows.rows.filter((r) => r.status === 'paid')).toHaveLength(15);
    expect(rows.rows.filter((r) => r.status === 'exhausted')).toHaveLength(9);
    expect(rows.rows.filter((r) => Number(r.paid_fen) === 2777)).toHaveLength(1);

    const programme = await sql<{ remaining_fen: string; status: string }>`
      select remaining_fen, status from growth_programmes where id = ${programmeId}`.execute(db);
    expect(programme.rows[0]).toMatchObject({ status: 'exhausted' });
    expect(Number(programme.rows[0]?.remaining_fen)).toBe(0);

    const ledger = await sql<{ n: number; fen: string }>`
      select count(distinct t.id)::int as n, coalesce(sum(e.amount_fen), 0)::bigint as fen
      from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
      where t.kind = 'incentive' and t.reference like ${`${programmeId}:%`} and e.account like 'platform_expense:%'`.execute(
      db,
    );
    expect(ledger.rows[0]?.n).toBe(16); // 15 paid in full + the one that got the remainder
    expect(Number(ledger.rows[0]?.fen)).toBe(77_777);
  });
});
