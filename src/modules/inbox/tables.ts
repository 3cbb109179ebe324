import type { Kysely } from 'kysely';

/** The inbox's table (migration 261); no other module queries it. */
export interface InboxTables {
  inbox_notices: {
    id: string;
    account_id: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    dedupe_key: string | null;
    created_at: Date;
    read_at: Date | null;
  };
}

export type InboxDb = Kysely<InboxTables>;
