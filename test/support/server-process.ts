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

/** The process kinds `gravity` runs (README "Running several processes"). */
export type ServerCommand = 'start' | 'api' | 'worker' | 'sandbox-provider';

export interface StartOptions {
  command?: ServerCommand;
  /** Polls of 200 ms (a count: a busy machine gets more time, not less) = timeoutMs / 200. */
  timeoutMs?: number;
}

/**
 * Runs `gravity <command>` (default `start`) as a child process and waits until it is ready, the
 * process exits, or `timeoutMs / 200` polls went unanswered. Ready means, by kind: `start`/`api`:
 * /api/health answers 200 on PORT; `worker`: GET /health on WORKER_PORT answers 200 (a free port is
 * picked unless given); `sandbox-provider`: GET /health on SANDBOX_PROVIDER_PORT (likewise). `url`
 * is that base URL.
 */
export async function startServer(
  env: Record<string, string>,
  options: number | StartOptions = {},
): Promise<ServerProcess> {
  const { command = 'start', timeoutMs = 300_000 } =
    typeof options === 'number' ? { timeoutMs: options } : options;
  const portKey =
    command === 'worker' ? 'WORKER_PORT' : command === 'sandbox-provider' ? 'SANDBOX_PROVIDER_PORT' : 'PORT';
  const port = Number(env[portKey] ?? (await freePort()));
  const healthPath = command === 'start' || command === 'api' ? '/api/health' : '/health';
  const root = path.resolve(import.meta.dirname, '../..');
  // e.g. SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/gravity.mjs'), command], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      SKIP_WEB_BUILD: '1',
      // Servers of tests run side by side: no embedded RTMP ingest unless a test asks for one.
      RTMP_PORT: '0',
      ...env,
      [portKey]: String(port),
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
    if (child.exitCode !== null) throw new Error(`gravity ${command} exited with ${child.exitCode}:\n${out}`);
    try {
      healthy = (await fetch(`${url}${healthPath}`)).ok;
    } catch {
      // not listening yet
    }
    if (!healthy) await new Promise((r) => setTimeout(r, 200));
  }
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`gravity ${command} did not become ready after ${polls} polls:\n${out}`);
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
