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

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new ModuleSqlMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
