import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { pgliteInitdbTemplate } from './pglite-template.ts';
import { preparedNameOf } from './prepared.ts';

/**
 * The database handle the platform works with and app.ts hands every module. A module's service
 * takes it as its own typed database (`CatalogDb = Kysely<CatalogTables>` in the module's
 * tables.ts), because no module reads another's tables.
 */
// biome-ignore lint/suspicious/noExplicitAny: each module narrows this to its own tables.
export type Db = Kysely<any>;

export interface OpenDbOptions {
  /** A PostgreSQL URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** Folder for PGlite's files; when absent (and no URL), an in-memory database. */
  dataDir?: string;
  /** Pool size for a PostgreSQL server (DATABASE_POOL_SIZE; default 20). */
  poolSize?: number;
  /**
   * PostgreSQL's plan_cache_mode for this pool's connections (DATABASE_PLAN_CACHE_MODE). Default
   * `force_generic_plan`: the hot paths are prepared statements (prepared.ts) whose parameters are
   * arrays, for which PostgreSQL's `auto` keeps planning afresh on every execution (a generic plan's
   * estimate of an unnest of unknown length looks worse than it is); planning the checkout's
   * statement cost more than running it. `auto` restores PostgreSQL's own choice. A generic plan
   * never sees a parameter's value, so a query meant for a partial index (`where status = 'shipped'`)
   * writes that predicate into its text (orders' `statusIn`), not as a parameter.
   */
  planCacheMode?: PlanCacheMode;
  /** For an in-memory PGlite: start from this data-directory dump (`dumpDataDir`) instead of initdb. */
  loadDataDir?: Blob;
  /** Where a PostgreSQL server's lost connections are reported (once per outage); stderr when absent. */
  log?: DbLog;
  /** Told what opening is about to do, before a slow step (creating a PGlite data directory). */
  progress?: (line: string) => void;
}

/** The part of a (pino) logger the database layer uses. */
export interface DbLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const stderrLog: DbLog = {
  error: (obj, msg) => console.error(msg, errorText((obj as { err?: unknown }).err)),
  warn: (_obj, msg) => console.error(msg),
  debug: () => {},
};

export type PlanCacheMode = 'auto' | 'force_generic_plan' | 'force_custom_plan';

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// int8 (bigint) columns hold fen and counts, which are safe integers; read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(options: OpenDbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const log = options.log ?? stderrLog;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      options: [process.env.PGOPTIONS, `-c plan_cache_mode=${options.planCacheMode ?? 'force_generic_plan'}`]
        .filter(Boolean)
        .join(' '),
      // Dead peers (a host gone without closing its sockets) are noticed, not waited on forever.
      keepAlive: true,
    });
    // A connection can break at any time (a PostgreSQL restart, pg_terminate_backend, the network):
    // an idle client's error reaches the pool, a checked-out client's error reaches the client.
    // Without these listeners Node ends the process on the unhandled 'error' event. The broken
    // client is not queryable any more, so pg-pool discards it on release and opens a new one
    // for the next query; the query that was running fails and its request answers 503.
    pool.on('error', (err) => databaseDown(log, err, 'idle connection'));
    pool.on('connect', (client) => {
      client.on('error', (err) => databaseDown(log, err, 'connection in use'));
      sendPreparedByName(client);
      databaseUp(log);
    });
    const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    serverUrls.set(db, options.databaseUrl);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // PGlite is single-process: one process at a time opens a data directory (a DataDirInUseError
  // naming the holder otherwise), until close() or the end of the process.
  const lock = options.dataDir ? acquireDataDirLock(options.dataDir) : undefined;
  let loadDataDir = options.loadDataDir;
  if (!loadDataDir && options.dataDir && !fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    // A new data directory starts from the shipped initdb dump when there is one for this PGlite.
    loadDataDir = pgliteInitdbTemplate();
    options.progress?.(
      `creating the database in ${options.dataDir} ${loadDataDir ? 'from the prepared template' : '(initdb, about 10 s)'}`,
    );
  }
  // One options object: `new PGlite(undefined, options)` would ignore the options.
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: { 20: (v: string) => Number(v) },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await pglite.waitReady.catch((err) => {
    lock?.release();
    throw err;
  });
  const db: Db = new Kysely({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy().finally(() => lock?.release()) };
}

const serverUrls = new WeakMap<Db, string>();

/** The PostgreSQL server URL a database handle was opened with (undefined on PGlite): for LISTEN. */
export function serverUrlOf(db: Db): string | undefined {
  return serverUrls.get(db);
}

/**
 * Statements declared in prepared.ts go to the server with their name: the first use on a
 * connection parses and plans them, every later use only binds and executes (pg keeps track of
 * what each connection has prepared, and prepares again on a new connection).
 */
function sendPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === 'string' ? preparedNameOf(config) : undefined;
    if (name && Array.isArray(values)) return query({ name, text: config, values }, callback);
    return query(config, values, callback);
  };
}

/** True when the database has no rows in the accounts table (fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db);
  return (row.rows[0]?.n ?? 0) === 0;
}

// SQLSTATEs of a connection the server ended or refused: admin_shutdown (57P01),
// crash_shutdown (57P02), cannot_connect_now (57P03), and class 08 (connection exception).
const CONNECTION_SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3})$/;
// Socket errors on the way to the server.
const CONNECTION_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres' own words for a connection that is gone.
const CONNECTION_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error and is not queryable)/;

/**
 * True when `err` says the database cannot be reached (or dropped the connection), rather than
 * refusing a statement: the database's absence, answered 503 with Retry-After, never the
 * request's fault or our bug. Looks through `cause` and AggregateError's `errors` too.
 */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 4) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code))) return true;
  if (typeof message === 'string' && CONNECTION_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isConnectionError(e, depth + 1))) return true;
  return isConnectionError(cause, depth + 1);
}

function errorText(err: unknown): string {
  if (err === undefined) return '';
  const e = err as { code?: unknown; message?: unknown };
  return [e.code, e.message ?? String(err)].filter(Boolean).join(' ');
}

// The current outage (wall clock, for the log only): when it began, and since when the database
// answers again; undefined while there is none. It ends once the database answered for
// SETTLE_MS without a new failure, so connections broken one after another (a restart, several
// pg_terminate_backend) make one outage in the log, not one per connection.
let outageSince: number | undefined;
let answeringSince: number | undefined;
let settle: NodeJS.Timeout | undefined;
const SETTLE_MS = 2_000;

/**
 * Records that the database could not be reached. Only the first report of an outage is logged
 * as an error (requests, idle connections and workers all notice it); the rest at debug level.
 */
export function databaseDown(log: DbLog, err: unknown, source: string): void {
  answeringSince = undefined;
  clearTimeout(settle);
  if (outageSince !== undefined) {
    log.debug({ source, error: errorText(err) }, 'database still unavailable');
    return;
  }
  outageSince = Date.now();
  log.error(
    { err, source },
    'database unavailable: requests answer 503 and background work backs off until it answers again',
  );
}

/**
 * Records that the database answered (a new connection, a health check, a worker's run after
 * failures); the outage ends, with a warning in the log, when no failure follows for SETTLE_MS.
 */
export function databaseUp(log: DbLog): void {
  if (outageSince === undefined || answeringSince !== undefined) return;
  answeringSince = Date.now();
  settle = setTimeout(() => {
    if (outageSince === undefined || answeringSince === undefined) return;
    const downForMs = answeringSince - outageSince;
    outageSince = undefined;
    answeringSince = undefined;
    log.warn({ downForMs }, 'database available again');
  }, SETTLE_MS);
  settle.unref?.();
}

/**
 * True when the database answers a trivial query within `timeoutMs` (a hung server or an
 * exhausted pool counts as not answering): the health and readiness checks.
 */
export async function databaseAnswers(db: Db, log: DbLog, timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ok = await Promise.race([sql`select 1`.execute(db).then(() => true as const), timeout]);
    if (ok) databaseUp(log);
    return ok;
  } catch (err) {
    if (isConnectionError(err)) databaseDown(log, err, 'health check');
    else log.warn({ err }, 'health check query failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
