import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { Notice } from './api-schema.ts';
import type { InboxDb } from './tables.ts';

export interface NoticeInput {
  accountIds: string[];
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** Once per account for this key (an event delivered twice notifies once); null: always. */
  dedupeKey?: string | null;
}

interface Row {
  id: string;
  account_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

const view = (r: Row): Notice => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: new Date(r.created_at).toISOString(),
  read: r.read_at !== null,
});

/** The room of one account's own notices. */
export const buyerRoom = (accountId: string) => `buyer:${accountId}`;

/**
 * The notification centre: notices are stored (what a reconnecting client reads back) and pushed as
 * `{type:'notice', notice}` on the account's room `buyer:<id>` of the real-time hub.
 */
export class InboxService {
  constructor(private readonly deps: { db: Db; clock: Clock; realtime: RealtimeHub }) {}

  /**
   * Stores one notice per account (one statement) and pushes each one. With `db` a transaction the
   * push happens before its commit: callers notify after committing (subscribers run outside any).
   * Returns how many were stored (accounts already notified for the dedupe key are skipped).
   */
  async notify(db: Db, input: NoticeInput): Promise<number> {
    const ids = [...new Set(input.accountIds)];
    if (ids.length === 0) return 0;
    const now = this.deps.clock.now();
    const rows = await sql<Row>`
      insert into inbox_notices (id, account_id, kind, title, body, link, dedupe_key, created_at)
      select gen_random_uuid(), a, ${input.kind}, ${input.title}, ${input.body}, ${input.link},
             ${input.dedupeKey ?? null}, ${now}
      from unnest(${ids}::uuid[]) as a
      on conflict (account_id, dedupe_key) where dedupe_key is not null do nothing
      returning id, account_id, kind, title, body, link, created_at, read_at`.execute(db);
    for (const r of rows.rows) {
      this.deps.realtime.publish(buyerRoom(r.account_id), { type: 'notice', notice: view(r) });
    }
    return rows.rows.length;
  }

  async list(actor: Actor): Promise<{ items: Notice[]; unread: number }> {
    const db = this.deps.db as unknown as InboxDb;
    const rows = await sql<Row>`
      select id, account_id, kind, title, body, link, created_at, read_at from inbox_notices
      where account_id = ${actor.accountId} order by created_at desc, id limit 100`.execute(db);
    return { items: rows.rows.map(view), unread: await this.unread(actor.accountId) };
  }

  async markRead(actor: Actor, ids?: string[]): Promise<{ marked: number; unread: number }> {
    const only = ids ? sql`and id = any(${ids}::uuid[])` : sql``;
    const r = await sql`
      update inbox_notices set read_at = ${this.deps.clock.now()}
      where account_id = ${actor.accountId} and read_at is null ${only}`.execute(this.deps.db);
    return { marked: Number(r.numAffectedRows ?? 0), unread: await this.unread(actor.accountId) };
  }

  async unread(accountId: string): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from inbox_notices where account_id = ${accountId} and read_at is null`.execute(
      this.deps.db,
    );
    return r.rows[0]?.n ?? 0;
  }

  /** Listens to an account's notices (the WebSocket route). */
  subscribe(accountId: string, listener: (message: { type: string; [k: string]: unknown }) => void) {
    return this.deps.realtime.subscribe(buyerRoom(accountId), listener);
  }
}
