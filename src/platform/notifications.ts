import pg from 'pg';
import type { Db, DbLog } from './db.ts';
import { preparedStatement } from './prepared.ts';

/**
 * Change notices between processes: PostgreSQL NOTIFY/LISTEN on a server, a direct call in this
 * process always. A process caches a little (sessions, for a few seconds); whoever changes the
 * cached thing calls `notify`, and every process's handlers for that channel drop their copy.
 *
 * On a PostgreSQL server one dedicated connection (not from the pool: a LISTEN lives on one
 * session) listens to every channel a handler was registered for. It is opened on first use
 * (`listen()`), reopened with backoff after it breaks (a PostgreSQL restart), and while it is down
 * `live` is false: notices are missed then, so caches must not trust their entries (they are
 * told by `onReconnect` to drop everything once it is back). On PGlite there is one process; the
 * direct call is all there is and `live` is always true.
 */
export type NoticeHandler = (payload: string) => void;

const notifyStatement = preparedStatement<unknown>('platform.notify', 'select pg_notify($1, $2)');

/** Every Notifications of this process by database (apps over one database in one process, tests). */
const sameDatabase = new WeakMap<Db, Set<Notifications>>();

export interface NotificationsOptions {
  db: Db;
  /** The PostgreSQL server's URL; undefined on PGlite. */
  databaseUrl: string | undefined;
  log: DbLog;
}

export class Notifications {
  private readonly handlers = new Map<string, NoticeHandler[]>();
  private readonly reconnectHandlers: Array<() => void> = [];
  private client: pg.Client | undefined;
  private started = false;
  private closed = false;
  private connected = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: NotificationsOptions) {
    const peers = sameDatabase.get(options.db) ?? new Set<Notifications>();
    sameDatabase.set(options.db, peers);
    peers.add(this);
  }

  /** True when every notice sent from any process reaches this one (always on PGlite). */
  get live(): boolean {
    return this.options.databaseUrl === undefined || this.connected;
  }

  /** Calls `handler` with each notice's payload on `channel` (a lower-case identifier). */
  on(channel: string, handler: NoticeHandler): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name "${channel}"`);
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
    if (this.connected) void this.client?.query(`listen ${channel}`).catch(() => {});
  }

  /** Called after the listening connection came back (notices may have been missed meanwhile). */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** Starts listening on a PostgreSQL server (once; a no-op on PGlite or when already started). */
  listen(): void {
    if (this.started || this.closed || this.options.databaseUrl === undefined) return;
    this.started = true;
    void this.connect();
  }

  /**
   * Tells every process (this one at once, others by NOTIFY): `db` may be a transaction, then the
   * other processes hear it when it commits. Handlers of this process run before this returns.
   */
  async notify(db: Db, channel: string, payload: string): Promise<void> {
    this.deliverHere(channel, payload);
    if (this.options.databaseUrl !== undefined) await notifyStatement.execute(db, [channel, payload]);
  }

  /** Ends the listening connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    sameDatabase.get(this.options.db)?.delete(this);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => {});
  }

  /** This process's handlers, of every Notifications over the same database. */
  private deliverHere(channel: string, payload: string): void {
    for (const peer of sameDatabase.get(this.options.db) ?? [this]) peer.deliver(channel, payload);
  }

  private deliver(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        this.options.log.error({ err, channel }, 'notification handler failed');
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    this.client = client;
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (this.client === client) this.client = undefined;
      if (this.closed) return;
      if (err) this.options.log.warn({ err }, 'notifications: listening connection lost; reconnecting');
      client.end().catch(() => {});
      this.scheduleRetry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => this.deliver(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
      if (lost || this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.connected = true;
      const wasDown = this.failures > 0;
      this.failures = 0;
      if (wasDown) for (const handler of this.reconnectHandlers) handler();
    } catch (err) {
      onLost(err);
    }
  }

  private scheduleRetry(): void {
    this.failures += 1;
    // Everything cached while nobody listened may be stale: drop it now, and again when back.
    for (const handler of this.reconnectHandlers) handler();
    const delay = Math.min(5_000, 50 * 2 ** Math.min(this.failures, 7));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref?.();
  }
}
