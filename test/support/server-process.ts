import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A new empty database on the PostgreSQL server; returns its URL and a function that drops it. */
export async function createScratchDatabase(
  prefix: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed, for diagnosis. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `gravity start` as a child process and waits until /api/health answers, the process exits,
 * or `timeoutMs / 200` polls went unanswered (a count, so a busy machine gets more time, not less).
 */
export async function startServer(env: Record<string, string>, timeoutMs = 300_000): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const root = path.resolve(import.meta.dirname, '../..');
  // e.g. SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/gravity.mjs'), 'start'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      SKIP_WEB_BUILD: '1',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const polls = Math.ceil(timeoutMs / 200);
  let healthy = false;
  for (let i = 0; i < polls && !healthy; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try {
      healthy = (await fetch(`${url}/api/health`)).ok;
    } catch {
      // not listening yet
    }
    if (!healthy) await new Promise((r) => setTimeout(r, 200));
  }
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`server did not become healthy after ${polls} polls:\n${out}`);
  }
  return {
    url,
    child,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** pgbench's built-in TPC-B-like script on its own database of the same server. */
export function runPgbench(connections: number, seconds: number): { tps: number } {
  const name = `gravity_pgbench_${randomBytes(3).toString('hex')}`;
  const url = new URL(PG_ADMIN_URL);
  const base = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
  execFileSync('createdb', [...base, name]);
  try {
    execFileSync('pgbench', [...base, '-i', '-q', '-s', '10', name], { stdio: 'ignore' });
    const out = execFileSync(
      'pgbench',
      [...base, '-c', String(connections), '-j', '2', '-T', String(seconds), '-n', name],
      { encoding: 'utf8' },
    );
    const m = out.match(/tps = ([\d.]+)/);
    if (!m) throw new Error(`could not read pgbench output:\n${out}`);
    return { tps: Number(m[1]) };
  } finally {
    execFileSync('dropdb', [...base, '--force', name]);
  }
}
