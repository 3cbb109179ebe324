import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.ts';

/**
 * A digest of every row of every table, to prove a request changed nothing. Counters that a
 * rejected request is meant to move (rate-limit windows, wrong-code attempts) are left out.
 * All tables are digested in one statement (tests call this around every refused request).
 */
export async function dbFingerprint(
  db: Db,
  ignore: string[] = ['rate_limits', 'sms_codes', 'kysely_migration', 'kysely_migration_lock'],
): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const digests = tables.rows
    .filter(({ name }) => !ignore.includes(name))
    .map(
      ({ name }) => sql`select ${name}::text as name,
        (select md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) from ${sql.table(name)} t) as d`,
    );
  if (digests.length === 0) return '';
  const rows = await sql<{ name: string; d: string | null }>`${sql.join(digests, sql` union all `)}`.execute(
    db,
  );
  return rows.rows.map((r) => `${r.name}:${r.d}`).join('\n');
}
