import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { templateBlob } from '../support/test-db.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `gravity <args>` on `dataDir` to the end. */
function gravity(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/gravity.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('an embedded data directory is opened by one process at a time', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-data-'));
  let database: Database | undefined;
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second gravity process on a DATA_DIR in use stops with a message naming the first; after close it runs', async () => {
    // This test process is "the first": a migrated database on disk, open.
    database = await openDatabase({ dataDir, loadDataDir: await templateBlob() });
    await sql`select 1`.execute(database.db);

    const refused = await gravity(dataDir, 'migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      new RegExp(
        `^gravity: DATA_DIR ${dataDir} is in use by gravity process ${process.pid} \\(started \\d{4}-[^,]+, "[^"]*"\\); stop it first, or use another DATA_DIR$`,
      ),
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace

    await database.close();
    database = undefined;
    expect(fs.existsSync(path.join(dataDir, 'gravity.lock'))).toBe(false);
    const after = await gravity(dataDir, 'migrate');
    expect(after, after.stderr).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
    expect(fs.existsSync(path.join(dataDir, 'gravity.lock'))).toBe(false); // released when it ended
  });
});
