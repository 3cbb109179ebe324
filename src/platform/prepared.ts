import { CompiledQuery, type QueryResult } from 'kysely';
import type { Db } from './db.ts';

/**
 * Named prepared statements for the hot paths (checkout, pay, sessions, the job queues).
 *
 * A statement is declared once, at module load, as fixed SQL text with `$1…$n` parameters. It runs
 * through Kysely (`db.executeQuery`), so it works inside a transaction and on PGlite, with no
 * per-call query compilation. On a PostgreSQL server the connection pool (db.ts) sends every text
 * registered here with its name: PostgreSQL parses and plans it once per connection and then only
 * binds and executes it. PGlite runs the same text unnamed (it lives in this process anyway).
 * Name the columns a statement returns (no `select *`, no `returning *`): a prepared statement whose
 * result columns change under it (a migration adding one while processes run) fails on every
 * connection that prepared it.
 */
export interface PreparedStatement<R> {
  readonly name: string;
  readonly text: string;
  execute(db: Db, params: readonly unknown[]): Promise<QueryResult<R>>;
}

const nameOfText = new Map<string, string>();
const textOfName = new Map<string, string>();

/** Declares a prepared statement; a name is for one text only, and a text has one name. */
export function preparedStatement<R>(name: string, text: string): PreparedStatement<R> {
  if (!/^[a-z][a-z0-9_.-]{0,62}$/.test(name)) throw new Error(`bad prepared statement name "${name}"`);
  const known = textOfName.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement "${name}" declared twice`);
  const other = nameOfText.get(text);
  if (other !== undefined && other !== name) throw new Error(`"${name}" has the same text as "${other}"`);
  nameOfText.set(text, name);
  textOfName.set(name, text);
  return {
    name,
    text,
    execute: (db, params) => db.executeQuery<R>(CompiledQuery.raw(text, [...params])),
  };
}

/** The name a statement text was declared with (db.ts sends it with the text), if any. */
export function preparedNameOf(text: string): string | undefined {
  return nameOfText.get(text);
}

/** Every declared statement, for the benchmark's round-trip count and for tests. */
export function preparedStatements(): ReadonlyMap<string, string> {
  return textOfName;
}
