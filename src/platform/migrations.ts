import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './db.ts';

const modulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../modules');

/**
 * Plain SQL migrations live beside the module that owns the tables:
 * `src/modules/<module>/migrations/NNN_name.sql`. The number orders them across modules.
 */
class ModuleSqlMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const mod of fs.readdirSync(modulesDir)) {
      const dir = path.join(modulesDir, mod, 'migrations');
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const name = `${file.replace(/\.sql$/, '')}`;
        if (migrations[name]) throw new Error(`two migrations are named ${name}`);
        migrations[name] = { up: async (db) => void (await sql.raw(text).execute(db)) };
      }
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
  const migrations = await new ModuleSqlMigrations().getMigrations();
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
