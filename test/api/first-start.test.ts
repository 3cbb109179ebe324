import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db.ts';
import { type ServerProcess, scratchDir, startServer } from '../support/server-process.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `gravity <command>` to the end with its output going to a pipe, as to a log file. */
function gravity(command: string, dataDir: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/gravity.mjs'), command], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

describe('first start with the output going to a file', () => {
  const dataDir = scratchDir('gravity-first-start');
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('`gravity migrate` says it creates the database from the prepared template and names each migration', async () => {
    const first = await gravity('migrate', dataDir);
    expect(first.code, first.out).toBe(0);
    const lines = first.out.split('\n');
    expect(lines[0]).toBe(`  creating the database in ${dataDir} from the prepared template`);
    const pending = Number(/migrating the database: (\d+) pending/.exec(lines[1] ?? '')?.[1]);
    expect(pending).toBeGreaterThan(0);
    expect(lines.slice(2, 2 + pending)).toEqual(
      Array.from({ length: pending }, (_, i) =>
        expect.stringMatching(`^    migration ${i + 1}/${pending}: \\d{3}_`),
      ),
    );
    expect(lines[2 + pending]).toMatch(/^applied: 001_identity, /);

    const again = await gravity('migrate', dataDir);
    expect(again.out).toBe('database is up to date\n');
  });

  it('`gravity start` logs the phase it is in before it serves', async () => {
    // A database with data of its own is not seeded: this start is migrate, (web build), listen.
    const database = await openDatabase({ dataDir });
    await sql`insert into accounts (id, phone, role) values (${randomUUID()}, '13800000000', 'buyer')`.execute(
      database.db,
    );
    await database.close();
    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const out = server.output();
    expect(out).toMatch(/^ {2}starting the server on port \d+$/m);
    expect(out.indexOf('starting the server')).toBeLessThan(out.indexOf('is running at'));
  });
});
