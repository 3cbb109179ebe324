import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { migrate } from './migrations.ts';
import { installedPgliteVersion, pgliteTemplateFile } from './pglite-template.ts';

describe('a new PGlite data directory', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-template-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('has a prepared data directory for the installed PGlite version', () => {
    const file = pgliteTemplateFile();
    expect(
      fs.existsSync(file),
      `no ${path.basename(file)} for PGlite ${installedPgliteVersion()}: run \`npx gravity pglite-template\``,
    ).toBe(true);
  });

  it('starts from it instead of initdb, migrates in one go with a line per migration, then is up to date', async () => {
    const lines: string[] = [];
    const database = await openDatabase({
      dataDir: path.join(dataDir, 'db'),
      progress: (l) => lines.push(l),
    });
    try {
      expect(lines).toEqual([
        `creating the database in ${path.join(dataDir, 'db')} from the prepared template`,
      ]);
      const applied = await migrate(database.db, (l) => lines.push(l));
      expect(applied.length).toBeGreaterThan(0);
      expect(lines.slice(1)).toEqual([
        `migrating the database: ${applied.length} pending`,
        ...applied.map((name, i) => `  migration ${i + 1}/${applied.length}: ${name}`),
      ]);
      const accounts = await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(database.db);
      expect(accounts.rows[0]?.n).toBe(0);

      lines.length = 0;
      expect(await migrate(database.db, (l) => lines.push(l))).toEqual([]);
      expect(lines).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
