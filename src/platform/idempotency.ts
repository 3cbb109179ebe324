import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { conflict } from './errors.ts';
import { deleteBatch, retentionCutoff } from './retention.ts';

/** JSON with object keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export interface IdempotencyScope {
  accountId: string;
  scope: string;
  key: string;
  body: unknown;
}

export interface IdempotentResult<T> {
  statusCode: number;
  response: T;
  replayed: boolean;
}

/**
 * The key this request claimed. `work` may store its answer itself, as the main statement of its
 * own last write (`with … <answerSql>`), to save a round trip; it then sets `stored`, and
 * `idempotent` does not write the answer again. Otherwise `idempotent` stores it after `work`.
 */
export class KeyClaim {
  stored = false;
  constructor(
    private readonly scope: IdempotencyScope,
    readonly statusCode: number,
  ) {}

  /**
   * The update that stores `response` as this key's answer, only `when` a condition holds (e.g.
   * `exists (select 1 from created)`); `returning key` tells whether it ran.
   */
  answerSql(response: unknown, when: RawBuilder<unknown> = sql`true`): RawBuilder<{ key: string }> {
    const { accountId, scope, key } = this.scope;
    return sql<{ key: string }>`
      update idempotency_keys set status_code = ${this.statusCode}, response = ${JSON.stringify(response)}::jsonb
      where account_id = ${accountId} and scope = ${scope} and key = ${key} and ${when}
      returning key`;
  }
}

/**
 * Runs `work` at most once per (account, scope, key), inside the caller's transaction.
 * The key row is inserted FIRST: a parallel duplicate blocks on the unique key until this
 * transaction ends, then either finds the committed answer (and replays it) or, if this one
 * rolled back, claims the key itself. A different body under the same key is a 409.
 * A failed attempt (an error thrown by `work`) rolls back with its key, so a retry runs again.
 */
export async function idempotent<T>(
  trx: Db,
  clock: Clock,
  scope: IdempotencyScope,
  statusCode: number,
  work: (claim: KeyClaim) => Promise<T>,
): Promise<IdempotentResult<T>> {
  const hash = requestHash(scope.body);
  const claimed = await sql<{ key: string }>`
    insert into idempotency_keys (account_id, scope, key, request_hash, status_code, response, created_at)
    values (${scope.accountId}, ${scope.scope}, ${scope.key}, ${hash}, 0, '{}'::jsonb, ${clock.now()})
    on conflict do nothing
    returning key`.execute(trx);
  if (claimed.rows.length === 0) {
    const first = await sql<{ request_hash: string; status_code: number; response: T }>`
      select request_hash, status_code, response from idempotency_keys
      where account_id = ${scope.accountId} and scope = ${scope.scope} and key = ${scope.key}`.execute(trx);
    const row = first.rows[0];
    if (!row) throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
    if (row.request_hash !== hash) {
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request',
      );
    }
    return { statusCode: row.status_code, response: row.response, replayed: true };
  }
  const claim = new KeyClaim(scope, statusCode);
  const response = await work(claim);
  if (!claim.stored) await claim.answerSql(response).execute(trx);
  return { statusCode, response, replayed: false };
}

/**
 * Retention: one batch of keys older than `days`. A client retrying with a key after that runs
 * the request again, so the window must be far longer than any client's retry horizon.
 */
export async function pruneIdempotencyKeys(
  db: Db,
  clock: Clock,
  days: number,
  batchSize: number,
): Promise<number> {
  return deleteBatch(
    db,
    'idempotency_keys',
    ['account_id', 'scope', 'key'],
    sql`created_at < ${retentionCutoff(clock, days)}`,
    batchSize,
  );
}
