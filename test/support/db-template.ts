import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db } from '../../src/platform/db.ts';
import { migrate, migrationDirs } from '../../src/platform/migrations.ts';
import { PGliteDialect } from '../../src/platform/pglite-dialect.ts';

/**
 * One migrated database per test run, cloned for every test database (see test-db.ts):
 * booting PGlite with initdb and migrating costs seconds, loading a dump of the result about one.
 *
 * - PGlite: a dump of a migrated in-memory database (`dumpDataDir`, uncompressed: it loads faster
 *   than gzip). It is kept in the OS temp directory under a digest of everything that decides its
 *   contents (the migration files, the migrator, the PGlite and Kysely versions), so a run whose
 *   migrations did not change reuses the last run's dump; any change gives a new digest.
 * - PostgreSQL: a migrated database on the server, cloned with `CREATE DATABASE … TEMPLATE`.
 */

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    // Packages whose exports hide package.json: read it from node_modules.
    const file = path.join(root, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
}

/** A digest of the migration files, the migrator and the database library versions. */
export function schemaDigest(): string {
  const hash = createHash('sha256');
  const files = migrationDirs()
    .flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)))
    .filter((f) => f.endsWith('.sql'))
    .sort();
  files.push(path.join(root, 'src/platform/migrations.ts'));
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  hash.update(`pglite ${packageVersion('@electric-sql/pglite')} kysely ${packageVersion('kysely')}`);
  return hash.digest('hex').slice(0, 24);
}

/** Boots an in-memory PGlite, migrates it and returns a dump of its data directory. */
export async function buildPgliteTemplate(): Promise<Blob> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const db: Db = new Kysely({ dialect: new PGliteDialect(pglite) });
  try {
    await migrate(db);
    return await pglite.dumpDataDir('none');
  } finally {
    await db.destroy();
  }
}

const cacheDir = path.join(os.tmpdir(), 'gravity-test-db');

/** The path of a dump of the migrated schema: the cached one when the schema is unchanged. */
export async function pgliteTemplateFile(): Promise<string> {
  const file = path.join(cacheDir, `pglite-${schemaDigest()}.tar`);
  if (fs.existsSync(file)) return file;
  const blob = await buildPgliteTemplate();
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written under a private name and renamed: a run in parallel never reads half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(partial, file);
  // Dumps of older schemas are dead weight after a day.
  for (const name of fs.readdirSync(cacheDir)) {
    const other = path.join(cacheDir, name);
    if (other === file) continue;
    try {
      if (Date.now() - fs.statSync(other).mtimeMs > 86_400_000) fs.rmSync(other, { force: true });
    } catch {
      // removed by another run meanwhile
    }
  }
  return file;
}

/** Runs `fn` with a client on the server's admin database. */
export async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Waits until no session is connected to `name`. pg-pool's end() resolves before its sockets
 * have closed; a forced drop (or a CREATE DATABASE from it as a template) would then meet
 * connections that are still ending. Bounded by a count of polls, each a query to the server.
 */
export async function waitForNoConnections(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const open = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
      name,
    ]);
    if (open.rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates and migrates a template database on the server; returns its name. */
export async function createPgTemplate(adminUrl: string): Promise<string> {
  const name = `gravity_template_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const pool = new pg.Pool({ connectionString: databaseUrl(adminUrl, name), max: 1 });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
  await withAdmin(adminUrl, async (c) => {
    await waitForNoConnections(c, name);
    // Nobody may connect to it again but CREATE DATABASE … TEMPLATE.
    await c.query(`alter database ${name} with allow_connections false`);
  });
  return name;
}

export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await waitForNoConnections(c, name);
    await c.query(`drop database if exists ${name} with (force)`);
  });
}
