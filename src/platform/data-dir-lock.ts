import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './config-check.ts';

/**
 * One process per embedded data directory. PGlite is single-process: two processes writing one
 * data directory corrupt it, so whoever opens `<dataDir>` first holds `<dataDir>/gravity.lock`
 * and every other process is refused with a message naming the holder.
 *
 * - Taken atomically: the lock's content is written to a temporary file first and hard-linked to
 *   `gravity.lock` (link fails when the name exists), so the lock never exists half-written.
 * - Stale locks: a lock is stale when its holder is gone: on this host (same hostname), and the
 *   machine rebooted since (Linux boot id), or its pid is not running (`kill(pid, 0)` → ESRCH, or a
 *   zombie), or that pid now belongs to a newer process (Linux process start time), or it is this process's
 *   own pid but this process does not hold it (a container restarted as the same pid). A lock
 *   written on another hostname (a shared volume) is never assumed stale: the operator deletes it.
 *   On systems without /proc, a dead holder's pid that was reused by an unrelated process keeps the
 *   lock until that process ends or the operator deletes the file.
 * - Taking over a stale lock is serialised by a second lock, `gravity.lock.takeover`: only its
 *   holder may delete `gravity.lock`, and only after reading it again and finding the same stale
 *   lock (by its random token). Everyone else only creates, which fails while a lock exists, so
 *   two processes never both take over one stale lock. A takeover lock left by a process that died
 *   in the microseconds it holds one is stale by the same rules and deleted.
 * - Released by `release()` (the database's close), and on the way out of the process: at exit,
 *   and on SIGINT/SIGTERM when nothing else handles them. A SIGKILL leaves the file behind; the next
 *   start finds its pid gone and takes it over.
 */

export const LOCK_FILE = 'gravity.lock';

/** What a lock file says about the process holding it. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** The command the holder runs, e.g. "gravity start". */
  command: string;
  /** Linux: /proc/sys/kernel/random/boot_id, to tell a lock from before a reboot. */
  bootId?: string;
  /** Linux: the holder's start time in clock ticks since boot, to tell a reused pid. */
  processStart?: string;
  /** Random: tells this lock from a later one with the same pid. */
  token: string;
}

export interface DataDirLock {
  /** The lock file. */
  path: string;
  holder: LockHolder;
  /** Deletes the lock file if it is still this lock; safe to call twice. */
  release(): void;
}

/** The data directory is held by another process (or by this one already). */
export class DataDirInUseError extends ConfigError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    lockPath: string,
  ) {
    const elsewhere = holder.hostname !== os.hostname();
    super(
      `DATA_DIR ${dataDir} is in use by gravity process ${holder.pid}${elsewhere ? ` on host ${holder.hostname}` : ''} ` +
        `(started ${holder.startedAt}, "${holder.command}"); stop it first, or use another DATA_DIR` +
        (elsewhere ? `; if it no longer runs there, delete ${lockPath}` : ''),
    );
  }
}

/** Locks held by this process, by lock file path. */
const held = new Map<string, DataDirLock>();

/** Polls of an unreadable lock or a busy takeover before giving up (each waits POLL_MS). */
const MAX_POLLS = 500;
const POLL_MS = 10;

export interface AcquireOptions {
  /** Shown to a process that is refused; default: this process's command line, e.g. "gravity start". */
  command?: string;
  /** Tests: runs after a lock was judged stale and before it is taken over (to interleave another process). */
  beforeTakeover?: (stale: LockHolder) => void;
}

export function acquireDataDirLock(dataDir: string, options: AcquireOptions = {}): DataDirLock {
  const dir = path.resolve(dataDir);
  const lockPath = path.join(dir, LOCK_FILE);
  const mine = held.get(lockPath);
  if (mine) throw new DataDirInUseError(dir, mine.holder, lockPath);
  fs.mkdirSync(dir, { recursive: true });
  const me = describeThisProcess(options.command ?? currentCommand());
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    if (createExclusive(lockPath, me)) {
      const lock: DataDirLock = { path: lockPath, holder: me, release: () => release(lock) };
      held.set(lockPath, lock);
      installExitHandlers();
      return lock;
    }
    const current = readHolder(lockPath);
    if (current === 'missing') continue; // released meanwhile: try again
    if (current === 'unreadable') {
      sleep(POLL_MS); // the fallback writer of a filesystem without hard links may be mid-write
      continue;
    }
    if (!holderIsGone(current, lockPath)) throw new DataDirInUseError(dir, current, lockPath);
    options.beforeTakeover?.(current);
    removeStaleLock(lockPath, current, me);
  }
  throw new ConfigError(
    `DATA_DIR ${dir} could not be locked: ${lockPath} stays unreadable or busy; ` +
      'if no gravity process uses this directory, delete that file and start again',
  );
}

function release(lock: DataDirLock): void {
  if (held.get(lock.path) !== lock) return;
  held.delete(lock.path);
  const current = readHolder(lock.path);
  // Never delete a lock that is not ours (one an operator deleted and another process took since).
  if (typeof current === 'object' && current.token === lock.holder.token)
    fs.rmSync(lock.path, { force: true });
  if (held.size === 0) removeExitHandlers();
}

/** Deletes `lockPath` if it still holds `stale`, under the takeover lock; the caller then tries again. */
function removeStaleLock(lockPath: string, stale: LockHolder, me: LockHolder): void {
  const guardPath = `${lockPath}.takeover`;
  if (!createExclusive(guardPath, me)) {
    const guard = readHolder(guardPath);
    // A takeover lasts microseconds; one left behind means its taker died in it (a second fault).
    if (typeof guard === 'object' && holderIsGone(guard, guardPath)) fs.rmSync(guardPath, { force: true });
    else sleep(POLL_MS);
    return;
  }
  try {
    // Only takeover holders delete the lock, so it cannot change between this read and the delete.
    const current = readHolder(lockPath);
    if (typeof current === 'object' && current.token === stale.token) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(guardPath, { force: true });
  }
}

/** True when the process that wrote `holder` no longer runs (see the rules at the top). */
export function holderIsGone(holder: LockHolder, lockPath: string): boolean {
  if (holder.hostname !== os.hostname()) return false;
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return true;
  if (holder.pid === process.pid) return !held.has(lockPath);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    // EPERM: the pid runs, as another user.
  }
  const stat = procStat(holder.pid);
  if (stat?.state === 'Z') return true; // ended, not yet reaped by its parent
  return Boolean(holder.processStart && stat?.start && stat.start !== holder.processStart);
}

/** Creates `file` with `holder` as its content, atomically; false when it already exists. */
function createExclusive(file: string, holder: LockHolder): boolean {
  const content = `${JSON.stringify(holder, null, 2)}\n`;
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // A filesystem without hard links: O_EXCL create, then write (readers wait while it is empty).
    try {
      fs.writeFileSync(file, content, { flag: 'wx' });
      return true;
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err2;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readHolder(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    const valid =
      Number.isSafeInteger(h.pid) &&
      h.pid > 0 &&
      typeof h.hostname === 'string' &&
      typeof h.token === 'string' &&
      typeof h.startedAt === 'string' &&
      typeof h.command === 'string';
    return valid ? h : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function describeThisProcess(command: string): LockHolder {
  const boot = bootId();
  const started = procStat(process.pid)?.start;
  return {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command,
    ...(boot ? { bootId: boot } : {}),
    ...(started ? { processStart: started } : {}),
    token: randomBytes(12).toString('hex'),
  };
}

/** "gravity start" for `node bin/gravity.mjs start`; the script and its arguments otherwise. */
function currentCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]).replace(/\.(mjs|cjs|js|ts)$/, '') : 'node';
  return [script, ...process.argv.slice(2)].join(' ');
}

function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Linux: fields 3 (state) and 22 (start time after boot, in clock ticks) of /proc/<pid>/stat. */
function procStat(pid: number): { state?: string; start?: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], start: fields[19] };
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Leaving the process releases its locks. On SIGINT/SIGTERM with no other listener, the default
// would end the process without an 'exit' event: release, then die of the same signal. When the
// program has its own handler (gravity start closes the database there), that handler decides.
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function releaseAll(): void {
  for (const lock of [...held.values()]) lock.release();
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  removeExitHandlers();
  process.kill(process.pid, signal);
}

function installExitHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', releaseAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function removeExitHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', releaseAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
