import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.ts';

/**
 * A digest of every row of every table, to prove a request changed nothing. Counters that a
 * rejected request is meant to move (rate-limit windows, wrong-code attempts) are left out.
 */
export async function dbFingerprint(
  db: Db,
  ignore: string[] = ['rate_limits', 'sms_codes', 'kysely_migration', 'kysely_migration_lock'],
): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    if (ignore.includes(name)) continue;
    const digest = await sql<{ d: string | null }>`
      select md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as d
      from ${sql.table(name)} t`.execute(db);
    parts.push(`${name}:${digest.rows[0]?.d}`);
  }
  return parts.join('\n');
}
