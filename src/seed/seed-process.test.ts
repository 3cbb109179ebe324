import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../test/support/server-process.ts';
import { openDatabase } from '../platform/db.ts';
import { mediaTools } from '../platform/ffmpeg.ts';
import { buildSeedPlan } from './plan.ts';
import { seedState } from './seed.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * `gravity seed` as a process, killed with SIGKILL once its progress shows the stores are made;
 * resolves with what it printed. Waits on the process's own output, not on a timer.
 */
function seedUntilKilled(env: NodeJS.ProcessEnv, killAfter: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/gravity.mjs'), 'seed'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const read = (d: Buffer) => {
      out += d;
      if (killAfter.test(out) && child.signalCode === null) child.kill('SIGKILL');
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(out)
        : reject(new Error(`seed exited (${code}) before the kill:\n${out}`)),
    );
  });
}

describe('seed: SIGKILL during the first seed, then `gravity start`', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-seed-kill-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the seed, says so, and ends with the whole demo marketplace', async () => {
    // Not on a terminal, the seed logs each step: kill it once it is past the stores.
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SEED: '42', LOG_LEVEL: 'warn' };
    const killed = await seedUntilKilled(env, /seeding demo data: products 1\//);
    expect(killed).toMatch(/seeding demo data: store 10 /);
    expect(killed).not.toMatch(/seeding demo data: finished/);

    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', SEED: '42' });
    expect(server.output()).toMatch(/resuming the demo seed that was interrupted/);
    expect(server.output()).toMatch(/seeding demo data: demo orders/);
    await server.kill('SIGTERM');

    const database = await openDatabase({ dataDir });
    try {
      const db = database.db;
      const count = async (table: string) =>
        (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n;
      const plan = buildSeedPlan(42);
      expect(await seedState(db)).toBe('finished');
      // 31, the fans demo's 60 follow-only buyers and the traffic demo's 3 new merchants.
      expect(await count('accounts')).toBe(94);
      const firstStoreFans = await sql<{ fans: number }>`
        select t.fans from social_fan_totals t join stores s on s.id = t.store_id
        where s.name = ${plan.stores[0]?.def.name ?? ''}`.execute(db);
      expect(firstStoreFans.rows[0]?.fans).toBeGreaterThanOrEqual(30);
      expect(await count('social_follows')).toBeGreaterThan(100);
      // The traffic demo adds 3 new stores, each with 2 one-SKU products.
      expect(await count('stores')).toBe(13);
      expect(await count('products')).toBe(306);
      expect(await count('skus')).toBe(
        plan.stores.flatMap((s) => s.products.flatMap((p) => p.skus)).length + 6,
      );
      expect(await count('orders')).toBe(80);
      expect(await count('checkouts')).toBe(80);
      expect(await count('payments')).toBe(80);
      const ledger = await sql<{ fen: number }>`
        select coalesce(sum(amount_fen), 0)::int as fen from ledger_entries`.execute(db);
      expect(ledger.rows[0]?.fen).toBe(0);
      // Trust shopping in the demo: coupons and a subsidy to see, three stores offering pay later.
      expect(await count('coupons')).toBeGreaterThan(0);
      const payLater = await sql<{ n: number }>`
        select count(*)::int as n from credit_store_settings where pay_later_enabled`.execute(db);
      expect(payLater.rows[0]?.n).toBe(3);
      // Short videos made with ffmpeg (issue 14): four published, each with its file and poster on disk.
      const videos = await sql<{ id: string; file_name: string }>`
        select id, file_name from videos where status = 'published'`.execute(db);
      expect(videos.rows.length).toBe(mediaTools() ? 4 : 0);
      for (const v of videos.rows) {
        expect(fs.existsSync(path.join(dataDir, 'media', 'videos', v.file_name))).toBe(true);
        expect(fs.existsSync(path.join(dataDir, 'media', 'videos', `${v.id}.jpg`))).toBe(true);
      }
      const steps = await sql<{ n: number; names: number }>`
        select count(*)::int as n, count(distinct name)::int as names from seed_steps`.execute(db);
      expect(steps.rows[0]?.n).toBe(steps.rows[0]?.names);
    } finally {
      await database.close();
    }
  });
});
