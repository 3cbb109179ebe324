import type { Actor } from '../../platform/auth.ts';
import type { Notifications } from '../../platform/notifications.ts';

/** The channel sessions' changes are announced on; payload `t:<token hash>` or `a:<account id>`. */
export const SESSION_CHANGED = 'gravity_session_changed';

interface Entry {
  actor: Actor;
  /** The session's own expiry (ms since epoch, against the platform clock). */
  expiresAt: number;
  /** Until when (this process's monotonic ms) the entry is served without asking the database. */
  freshUntil: number;
}

/**
 * Resolved sessions kept in this process for `ttlMs` (SESSION_CACHE_MS), by token hash, at most
 * `maxEntries` (least recently used go first). An entry is dropped when its session changes here
 * (sign-out, a store opened by its account) or in another process (a `gravity_session_changed`
 * notice), and is never served past the session's own expiry. While the listening connection is
 * down nothing is cached (a notice could be missed), and everything is dropped when it is back.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup that overlapped one does not store what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly notifications: Notifications,
    private readonly maxEntries = 10_000,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {
    notifications.on(SESSION_CHANGED, (payload) => this.invalidate(payload));
    notifications.onReconnect(() => this.clear());
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The generation to hand back to `put` after reading the database. */
  mark(): number {
    return this.generation;
  }

  get(tokenHash: string, now: Date): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.freshUntil <= this.monotonicNow() || entry.expiresAt <= now.getTime()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order, so eviction takes the first key.
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry.actor;
  }

  put(tokenHash: string, actor: Actor, expiresAt: Date, generation: number): void {
    if (!this.enabled || generation !== this.generation) return;
    this.notifications.listen();
    if (!this.notifications.live) return;
    this.entries.delete(tokenHash);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, {
      actor,
      expiresAt: new Date(expiresAt).getTime(),
      freshUntil: this.monotonicNow() + this.ttlMs,
    });
  }

  /** `t:<token hash>` drops one session, `a:<account id>` every session of the account. */
  invalidate(payload: string): void {
    this.generation += 1;
    if (payload.startsWith('t:')) {
      this.entries.delete(payload.slice(2));
    } else if (payload.startsWith('a:')) {
      const accountId = payload.slice(2);
      for (const [hash, entry] of this.entries) {
        if (entry.actor.accountId === accountId) this.entries.delete(hash);
      }
    } else {
      this.entries.clear();
    }
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
