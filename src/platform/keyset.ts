import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { Db } from './db.ts';

/**
 * Keyset paging for lists that grow without bound (the ops console's merchants, orders, products):
 * the next page starts after the last row of the page before, so page 1,000 costs what page 1 does,
 * and the count stops at COUNT_CAP instead of counting every row.
 */
export const COUNT_CAP = 10_000;

export const keysetQuery = z.object({
  cursor: z.uuid().optional().describe('`nextCursor` of the page before; the first page without it'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type KeysetQuery = z.infer<typeof keysetQuery>;

/** The answer of a keyset-paged list: one page of `item`s, where the next starts, and a capped count. */
export function keysetPageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    total: z.number().int().describe(`How many rows the list has, counted up to ${COUNT_CAP}`),
    totalCapped: z
      .boolean()
      .describe(`True when the list has more than ${COUNT_CAP} rows (total is then the cap)`),
    pageSize: z.number().int(),
  });
}

export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
  totalCapped: boolean;
  pageSize: number;
}

/** The rows of a list counted up to COUNT_CAP: `from` is the list's `from … where …` without order. */
export async function cappedCount(
  db: Db,
  from: RawBuilder<unknown>,
): Promise<{ total: number; totalCapped: boolean }> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from (select 1 ${from} limit ${COUNT_CAP + 1}) capped`.execute(db);
  const n = Number(r.rows[0]?.n ?? 0);
  return { total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

/**
 * The page of rows fetched with `limit pageSize + 1` (the extra row only says a next page exists);
 * the cursor is the id of the page's last row, which the next query turns back into its sort key.
 */
export function splitPage<R extends { id: string }>(
  rows: R[],
  pageSize: number,
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, pageSize);
  return { rows: page, nextCursor: rows.length > pageSize ? (page.at(-1)?.id ?? null) : null };
}
