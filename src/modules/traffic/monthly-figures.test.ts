import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/test-db.ts';
import type { Database } from '../../platform/db.ts';
import { coldStartCoverageByMonth, storeTrafficByMonth } from './monthly-figures.ts';

const NEW_A = '00000000-0000-4000-8000-00000000000a';
const NEW_B = '00000000-0000-4000-8000-00000000000b';

describe('traffic figures by month (the dashboards)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
    const db = database.db;
    // Store A got its 100-impression minimum on both of its January days; store B missed it on
    // one (80 of 100) in January and made it in February.
    await sql`insert into traffic_contracts (day, store_id, source, kind, target_impressions) values
      ('2026-01-30', ${NEW_A}, 'cold_start', 'minimum', 100),
      ('2026-01-31', ${NEW_A}, 'cold_start', 'minimum', 100),
      ('2026-01-31', ${NEW_B}, 'cold_start', 'minimum', 100),
      ('2026-02-01', ${NEW_B}, 'cold_start', 'minimum', 100),
      ('2026-02-01', ${NEW_A}, 'launch', 'budget', 500)`.execute(db);
    await sql`insert into traffic_daily (day, store_id, source, impressions, clicks, carts, orders, gmv_fen) values
      ('2026-01-30', ${NEW_A}, 'cold_start', 100, 10, 2, 1, 9900),
      ('2026-01-31', ${NEW_A}, 'cold_start', 60, 5, 0, 0, 0),
      ('2026-01-31', ${NEW_A}, 'organic', 40, 3, 0, 1, 5000),
      ('2026-01-31', ${NEW_B}, 'cold_start', 80, 1, 0, 0, 0),
      ('2026-02-01', ${NEW_B}, 'cold_start', 120, 4, 1, 1, 100),
      ('2026-02-01', ${NEW_A}, 'launch', 300, 30, 3, 2, 200)`.execute(db);
  });
  afterAll(() => database.close());

  it('cold-start coverage: stores whose minimum was reached (every source) on each contract day of the month', async () => {
    expect(await coldStartCoverageByMonth(database.db, '2026-01-01', '2026-02-01')).toEqual([
      { month: '2026-01-01', stores: 2, covered: 1 },
      { month: '2026-02-01', stores: 1, covered: 1 },
    ]);
    expect(await coldStartCoverageByMonth(database.db, '2026-02-01', '2026-02-01')).toEqual([
      { month: '2026-02-01', stores: 1, covered: 1 },
    ]);
  });

  it("a store's impressions, clicks and credited orders by month and source", async () => {
    expect(await storeTrafficByMonth(database.db, NEW_A, '2026-01-01', '2026-02-01')).toEqual([
      { month: '2026-01-01', source: 'cold_start', impressions: 160, clicks: 15, orders: 1 },
      { month: '2026-01-01', source: 'organic', impressions: 40, clicks: 3, orders: 1 },
      { month: '2026-02-01', source: 'launch', impressions: 300, clicks: 30, orders: 2 },
    ]);
    expect(await storeTrafficByMonth(database.db, NEW_A, '2026-02-01', '2026-02-01')).toHaveLength(1);
  });
});
