import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, usePostgres } from '../../test/support/test-db.ts';
import { preparedStatement } from './prepared.ts';

const double = preparedStatement<{ n: number }>('test.double', 'select ($1::int * 2) as n');

describe('prepared statements', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase(2);
  });
  afterAll(() => database.close());

  it('run with new parameters each time, inside and outside a transaction', async () => {
    expect((await double.execute(database.db, [21])).rows[0]?.n).toBe(42);
    expect((await double.execute(database.db, [5])).rows[0]?.n).toBe(10);
    const inside = await database.db.transaction().execute((trx) => double.execute(trx, [7]));
    expect(inside.rows[0]?.n).toBe(14);
  });

  it('are prepared by name on a PostgreSQL server (PGlite runs them unnamed)', async () => {
    for (let i = 0; i < 5; i += 1) await double.execute(database.db, [i]);
    const rows = await database.db.connection().execute(async (conn) => {
      await double.execute(conn, [1]);
      return sql<{ name: string }>`select name from pg_prepared_statements`.execute(conn);
    });
    expect(rows.rows.map((r) => r.name).includes('test.double')).toBe(usePostgres);
  });

  it('refuse a name reused for another text, and a text under two names', () => {
    expect(() => preparedStatement('test.double', 'select 1')).toThrow(/declared twice/);
    expect(() => preparedStatement('test.other', 'select ($1::int * 2) as n')).toThrow(/same text/);
    expect(preparedStatement('test.double', 'select ($1::int * 2) as n').name).toBe('test.double');
  });
});
