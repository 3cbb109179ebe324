import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';

/**
 * The database handle every module receives. Modules type it with their own tables
 * (`db as Kysely<CatalogTables>`), because no module reads another's tables.
 */
// biome-ignore lint/suspicious/noExplicitAny: each module narrows this to its own tables.
export type Db = Kysely<any>;

export interface OpenDbOptions {
  /** A PostgreSQL URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** Folder for PGlite's files; when absent (and no URL), an in-memory database. */
  dataDir?: string;
  /** Pool size for a PostgreSQL server. */
  poolSize?: number;
  /** For an in-memory PGlite: start from this data-directory dump (`dumpDataDir`) instead of initdb. */
  loadDataDir?: Blob;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// int8 (bigint) columns hold fen and counts, which are safe integers; read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(options: OpenDbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // PGlite is single-process: one process at a time opens a data directory (a DataDirInUseError
  // naming the holder otherwise), until close() or the end of the process.
  const lock = options.dataDir ? acquireDataDirLock(options.dataDir) : undefined;
  // One options object: `new PGlite(undefined, options)` would ignore the options.
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: { 20: (v: string) => Number(v) },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await pglite.waitReady.catch((err) => {
    lock?.release();
    throw err;
  });
  const db: Db = new Kysely({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy().finally(() => lock?.release()) };
}

/** True when the database has no rows in the accounts table (fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db);
  return (row.rows[0]?.n ?? 0) === 0;
}
