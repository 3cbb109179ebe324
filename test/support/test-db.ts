import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { migrate } from '../../src/platform/migrations.ts';

/** The server `npm run test:pg` uses; each test file gets a database of its own on it. */
export const TEST_PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const usePostgres = process.env.TEST_DATABASE === 'postgres';

/**
 * A fresh, migrated database: in-memory PGlite for `npm test`, or a new database on the
 * PostgreSQL server for `npm run test:pg` (dropped on close).
 */
export async function freshDatabase(poolSize = 20): Promise<Database & { url?: string }> {
  if (!usePostgres) {
    const database = await openDatabase({});
    await migrate(database.db);
    return database;
  }
  const name = `gravity_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize });
  await migrate(database.db);
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: TEST_PG_URL });
      await dropper.connect();
      // pg-pool's end() resolves before its sockets have closed; a forced drop would then kill
      // connections that are still ending and crash the test run with 57P01. Wait for them first.
      for (let i = 0; i < 100; i += 1) {
        const open = await dropper.query(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (open.rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
