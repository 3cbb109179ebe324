import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirInUseError,
  type DataDirLock,
  LOCK_FILE,
  type LockHolder,
} from './data-dir-lock.ts';

const lockModule = path.resolve(import.meta.dirname, 'data-dir-lock.ts');
const dirs: string[] = [];
const locks: DataDirLock[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-lock-'));
  dirs.push(dir);
  return dir;
}

function acquire(dir: string): DataDirLock {
  const lock = acquireDataDirLock(dir, { command: 'gravity test' });
  locks.push(lock);
  return lock;
}

function readLock(dir: string): LockHolder {
  return JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
}

/** A lock file as another process would have written it. */
function writeLock(dir: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = {
    pid: 1,
    hostname: os.hostname(),
    startedAt: '2026-01-02T03:04:05.000Z',
    command: 'gravity start',
    token: randomBytes(12).toString('hex'),
    ...holder,
  };
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(full));
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** The pid of a process that has ended (pids are not reused this quickly). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid as number;
  await exited(child);
  return pid;
}

/**
 * A node process (with TypeScript) running `body` with `acquireDataDirLock` in scope. It prints
 * "ready", waits for a line on stdin, runs the body, and stays up until its stdin closes.
 */
function lockProcess(
  dir: string,
  body: string,
): { child: ChildProcess; lines: string[]; line(n: number): Promise<string> } {
  const code = `
    const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
    const dir = ${JSON.stringify(dir)};
    console.log('ready');
    process.stdin.once('data', () => {
      ${body}
      process.stdin.on('end', () => process.exit(0));
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout?.on('data', (d) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (lines.length > n) resolve(lines[n] as string);
        else if (child.exitCode !== null) reject(new Error(`child exited: ${lines.join('\n')}`));
        else waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return { child, lines, line };
}

describe('one process per embedded data directory', () => {
  it('a second acquire of a held directory is refused, naming the holder', () => {
    const dir = tempDir();
    acquire(dir);
    expect(readLock(dir)).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      command: 'gravity test',
    });
    let error: unknown;
    try {
      acquire(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toContain(`DATA_DIR ${dir} is in use by gravity process ${process.pid}`);
    expect((error as Error).message).toContain('"gravity test"');
  });

  it('a lock held by another running process is refused; once that process is gone, it is taken over', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(other);
    writeLock(dir, { pid: other.pid as number, command: 'gravity start' });
    expect(() => acquire(dir)).toThrow(
      `DATA_DIR ${dir} is in use by gravity process ${other.pid} (started 2026-01-02T03:04:05.000Z, "gravity start"); stop it first, or use another DATA_DIR`,
    );
    other.kill('SIGKILL'); // leaves its lock behind, as a crash would
    await exited(other);
    acquire(dir);
    expect(readLock(dir).pid).toBe(process.pid);
  });

  it('a stale lock from a dead process is taken over', async () => {
    const dir = tempDir();
    const pid = await deadPid();
    writeLock(dir, { pid });
    const lock = acquire(dir);
    expect(readLock(dir)).toMatchObject({ pid: process.pid, token: lock.holder.token });
  });

  it('a stale lock replaced by a live one while being taken over is left alone, and its holder named', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid() });
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(other);
    // Between judging the lock stale and taking it over, another process takes it over first.
    const beforeTakeover = () => {
      fs.rmSync(path.join(dir, LOCK_FILE));
      writeLock(dir, { pid: other.pid as number });
    };
    expect(() => locks.push(acquireDataDirLock(dir, { beforeTakeover }))).toThrow(
      `is in use by gravity process ${other.pid}`,
    );
    expect(readLock(dir).pid).toBe(other.pid);
  });

  it('a lock of a process that ended but was not reaped (a zombie) is taken over', async () => {
    const dir = tempDir();
    if (!fs.existsSync('/proc/self/stat')) return; // Linux only
    // The forked child exits at once; its parent never waits for it, so it stays a zombie. (A shell
    // is no good here: it may reap its background job before it execs.) Perl is in every Debian.
    const parent = spawn('perl', ['-e', '$| = 1; my $p = fork; exit 0 if $p == 0; print "$p\\n"; sleep 30'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(parent);
    const pid = Number(
      await new Promise<string>((resolve) => parent.stdout?.once('data', (d) => resolve(String(d)))),
    );
    const state = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    for (let i = 0; i < 1000 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(state()).toBe('Z');
    writeLock(dir, { pid });
    acquire(dir);
    expect(readLock(dir).pid).toBe(process.pid);
  });

  it("a lock with this process's pid that it does not hold is stale (a restarted container)", () => {
    const dir = tempDir();
    writeLock(dir, { pid: process.pid });
    acquire(dir);
    expect(readLock(dir).token).toBe(locks[0]?.holder.token);
  });

  it('a lock written before a reboot is stale, whatever its pid', () => {
    const dir = tempDir();
    if (!fs.existsSync('/proc/sys/kernel/random/boot_id')) return; // Linux only
    writeLock(dir, { pid: 1, bootId: 'an-earlier-boot' });
    acquire(dir);
    expect(readLock(dir).pid).toBe(process.pid);
  });

  it('a lock from another host is never assumed stale', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: await deadPid(), hostname: 'some-other-host' });
    expect(() => acquire(dir)).toThrow(
      /in use by gravity process \d+ on host some-other-host .*delete .*gravity\.lock/,
    );
    expect(readLock(dir).hostname).toBe('some-other-host');
  });

  it('release removes the lock file, twice is harmless, and the directory can be locked again', () => {
    const dir = tempDir();
    const lock = acquire(dir);
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lock.release();
    acquire(dir);
    expect(readLock(dir).pid).toBe(process.pid);
  });

  it('release leaves alone a lock that is no longer this one', () => {
    const dir = tempDir();
    const lock = acquire(dir);
    writeLock(dir, { pid: 4242, hostname: 'some-other-host' }); // an operator deleted ours; another took it
    lock.release();
    expect(readLock(dir).pid).toBe(4242);
  });

  it.each([
    ['a free directory', false],
    ['a directory with a stale lock', true],
  ])('of processes racing to lock %s, exactly one wins', async (_name, stale) => {
    const dir = tempDir();
    if (stale) writeLock(dir, { pid: await deadPid() });
    const racers = Array.from({ length: 4 }, () =>
      lockProcess(
        dir,
        `try { acquireDataDirLock(dir); console.log('won'); } catch (err) { console.log('refused: ' + err.message); }`,
      ),
    );
    for (const r of racers) expect(await r.line(0)).toBe('ready');
    for (const r of racers) r.child.stdin?.write('go\n'); // all start at once
    const results = await Promise.all(racers.map((r) => r.line(1)));
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    const winner = racers[results.indexOf('won')]?.child.pid;
    for (const r of results.filter((r) => r !== 'won')) {
      expect(r).toContain(`is in use by gravity process ${winner}`);
    }
    expect(readLock(dir).pid).toBe(winner);
    for (const r of racers) r.child.stdin?.end();
    await Promise.all(racers.map((r) => exited(r.child)));
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false); // released at exit
    expect(fs.readdirSync(dir)).toEqual([]); // no takeover or temporary files left behind
  });

  it('SIGTERM releases the lock and still ends the process', async () => {
    const dir = tempDir();
    const holder = lockProcess(dir, `acquireDataDirLock(dir); console.log('locked');`);
    expect(await holder.line(0)).toBe('ready');
    holder.child.stdin?.write('go\n');
    expect(await holder.line(1)).toBe('locked');
    expect(readLock(dir).pid).toBe(holder.child.pid);
    holder.child.kill('SIGTERM');
    expect(await exited(holder.child)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
