import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './db.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const modulesDir = path.resolve(here, '../modules');
/** Migrations of the platform's own tables (outbox, dead letters, idempotency keys, rate limits). */
const platformDir = path.join(here, 'migrations');

/** Every folder holding migrations: the platform's first, then each module's. */
export function migrationDirs(): string[] {
  const modules = fs
    .readdirSync(modulesDir)
    .sort()
    .map((mod) => path.join(modulesDir, mod, 'migrations'));
  return [platformDir, ...modules].filter((dir) => fs.existsSync(dir));
}

/**
 * Plain SQL migrations live beside the code that owns the tables: `src/platform/migrations/` and
 * `src/modules/<module>/migrations/`, each `NNN_name.sql`. The number orders them across folders.
 * A migration may have parts in several folders under the same file name: they run as one
 * migration, the platform's part first. That is how tables moved to the platform kept their
 * history: the platform's part of `006_payments` is the outbox, which `006_payments` created
 * before the platform had migrations, so a database that ran it runs nothing again and a new one
 * gets the same schema.
 */
class SqlMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const parts = new Map<string, string[]>();
    for (const dir of migrationDirs()) {
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
        const name = file.replace(/\.sql$/, '');
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        parts.set(name, [...(parts.get(name) ?? []), text]);
      }
    }
    const migrations: Record<string, Migration> = {};
    for (const [name, texts] of parts) {
      migrations[name] = {
        up: async (db) => {
          for (const text of texts) await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

/**
 * Applies the pending migrations, all in one transaction (Kysely does so where DDL is
 * transactional, as on PostgreSQL and PGlite): a failure leaves the database as it was.
 * `progress` hears a line as each pending migration starts.
 */
export async function migrate(db: Db, progress?: (line: string) => void): Promise<string[]> {
  const migrations = await new SqlMigrations().getMigrations();
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  if (progress) {
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
    if (pending.length) progress(`migrating the database: ${pending.length} pending`);
    for (const [i, name] of pending.entries()) {
      const { up } = migrations[name];
      migrations[name] = {
        up: (db) => {
          progress(`  migration ${i + 1}/${pending.length}: ${name}`);
          return up(db);
        },
      };
    }
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
