import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { migrate } from '../../src/platform/migrations.ts';
import { buildPgliteTemplate, databaseUrl, dropPgDatabase, withAdmin } from './db-template.ts';

/** The server `npm run test:pg` uses; each test file gets a database of its own on it. */
export const TEST_PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const usePostgres = process.env.TEST_DATABASE === 'postgres';

let pgliteTemplate: Promise<Blob> | undefined;

/** The run's migrated template (test/support/global-setup.ts), or one built in this process. */
export function templateBlob(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = inject('gravityPgliteTemplate');
    return file ? new Blob([await fs.promises.readFile(file)]) : buildPgliteTemplate();
  })();
  return pgliteTemplate;
}

/**
 * A fresh, migrated database: in-memory PGlite for `npm test`, or a new database on the
 * PostgreSQL server for `npm run test:pg` (dropped on close). Both are copies of one migrated
 * template built once per run, not migrated again.
 */
export async function freshDatabase(poolSize = 20): Promise<Database & { url?: string }> {
  if (!usePostgres) {
    const database = await openDatabase({ loadDataDir: await templateBlob() });
    return database;
  }
  // Without the run's template (a config without the global setup), create and migrate.
  const template = inject('gravityPgTemplate');
  const name = `gravity_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(TEST_PG_URL, (c) =>
    c.query(`create database ${name}${template ? ` template ${template}` : ''}`),
  );
  const url = databaseUrl(TEST_PG_URL, name);
  const database = await openDatabase({ databaseUrl: url, poolSize });
  if (!template) await migrate(database.db);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await dropPgDatabase(TEST_PG_URL, name);
    },
  };
}
