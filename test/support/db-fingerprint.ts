import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.ts';

/**
 * The last digest of each database, with the transaction snapshot it was taken under. Every
 * change to a row is made by a transaction with a transaction id, and the snapshot's xmax (the
 * next id to hand out) moves past it: while the snapshot is the same as then, and no transaction
 * was running then, no row can have changed, and the digest is still right. (Transaction ids are
 * server-wide, so any write anywhere only costs a recomputation, never a stale answer.)
 */
const lastDigest = new WeakMap<Db, { snapshot: string; ignore: string; digest: string }>();

/** The current snapshot when no transaction is running (`xmin:xmax:` with xmin = xmax), else null. */
async function quietSnapshot(db: Db): Promise<string | null> {
  const r = await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db);
  const snapshot = r.rows[0]?.s ?? '';
  const [xmin, xmax, running] = snapshot.split(':');
  return xmin && xmin === xmax && !running ? snapshot : null;
}

/**
 * A digest of every row of every table, to prove a request changed nothing. Counters that a
 * rejected request is meant to move (rate-limit windows, wrong-code attempts) are left out.
 */
export async function dbFingerprint(
  db: Db,
  ignore: string[] = ['rate_limits', 'sms_codes', 'kysely_migration', 'kysely_migration_lock'],
): Promise<string> {
  const snapshot = await quietSnapshot(db);
  const ignoreKey = ignore.join(',');
  const last = lastDigest.get(db);
  if (snapshot && last && last.snapshot === snapshot && last.ignore === ignoreKey) return last.digest;
  const digest = await computeFingerprint(db, ignore);
  if (snapshot) lastDigest.set(db, { snapshot, ignore: ignoreKey, digest });
  return digest;
}

async function computeFingerprint(db: Db, ignore: string[]): Promise<string> {
  // pg_tables, not information_schema.tables: the same tables, at a quarter of the cost.
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_catalog.pg_tables where schemaname = 'public' order by tablename`.execute(
    db,
  );
  const names = tables.rows.map((r) => r.name).filter((name) => !ignore.includes(name));
  if (names.length === 0) return '';
  // One statement for all tables: the fuzz test takes a fingerprint around every request.
  const digests = await sql<{ name: string; d: string | null }>`${sql.join(
    names.map(
      (name) => sql`select ${name}::text as name,
        (select md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) from ${sql.table(name)} t) as d`,
    ),
    sql` union all `,
  )}`.execute(db);
  const byName = new Map(digests.rows.map((r) => [r.name, r.d]));
  return names.map((name) => `${name}:${byName.get(name)}`).join('\n');
}
