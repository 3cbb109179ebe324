import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { categoryGroup } from './fit-charts.ts';
import { applyFeedback, type FeedbackEvent } from './fit-feedback.ts';
import { defaultCorrections, type FitCorrections, key, LEVELS, type Level, levelKeys } from './fit-model.ts';
import type { ProductSizing } from './schemas.ts';

/**
 * Persisted fit corrections. The model's shared parameters (zone weights, thresholds, global offset,
 * regularisation) come from the committed defaults; the learned offsets live one row per (level, key)
 * in `size_corrections`, so a recommendation loads only the handful of rows that apply to it and a
 * feedback event locks only those.
 */

type StoredLevel = Level | 'buyerWidth';

interface CorrectionRow {
  level: StoredLevel;
  key: string;
  value: number;
  n: number;
}

/** The shared parameters every recommendation starts from (no learned offsets). */
export function baseCorrections(): FitCorrections {
  return defaultCorrections();
}

/** The (level, key) rows that apply to a product and an optional buyer. */
export function correctionKeys(product: ProductSizing, buyerId?: string): Array<[StoredLevel, string]> {
  const group = categoryGroup(product.category);
  const keys = levelKeys({ ...product, buyerId }, group);
  const out: Array<[StoredLevel, string]> = [];
  LEVELS.forEach((level, i) => {
    const k = keys[i];
    if (k) out.push([level, k]);
  });
  if (buyerId && key(buyerId)) out.push(['buyerWidth', key(buyerId)]);
  // A fixed order: concurrent writers lock rows in the same sequence and cannot deadlock.
  return out.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : a[0] + a[1] > b[0] + b[1] ? 1 : 0));
}

function fill(c: FitCorrections, rows: CorrectionRow[]): FitCorrections {
  for (const r of rows) {
    if (r.level === 'buyerWidth') c.buyerWidth[r.key] = r.value;
    else {
      c[r.level][r.key] = r.value;
      c.counts[r.level][r.key] = r.n;
    }
  }
  return c;
}

async function readRows(db: Db, keys: Array<[StoredLevel, string]>, lock: boolean): Promise<CorrectionRow[]> {
  if (keys.length === 0) return [];
  const levels = keys.map((k) => k[0]);
  const names = keys.map((k) => k[1]);
  const r = await sql<CorrectionRow>`
    select c.level, c.key, c.value, c.n from size_corrections c
    join unnest(${levels}::text[], ${names}::text[]) as k(level, key) on k.level = c.level and k.key = c.key
    order by c.level, c.key ${lock ? sql`for update of c` : sql``}`.execute(db);
  return r.rows.map((row) => ({ ...row, value: Number(row.value), n: Number(row.n) }));
}

/** Corrections for one product (and buyer): the base parameters plus the learned offsets that apply. */
export async function loadCorrections(
  db: Db,
  product: ProductSizing,
  buyerId?: string,
): Promise<FitCorrections> {
  return fill(baseCorrections(), await readRows(db, correctionKeys(product, buyerId), false));
}

/** Corrections for many products at once (one query), e.g. for a merchant's insights. */
export async function productOffsets(
  db: Db,
  productIds: string[],
): Promise<Map<string, { value: number; n: number }>> {
  if (productIds.length === 0) return new Map();
  const r = await sql<CorrectionRow>`
    select level, key, value, n from size_corrections
    where level = 'product' and key = any(${productIds.map((id) => key(id))}::text[])`.execute(db);
  return new Map(r.rows.map((row) => [row.key, { value: Number(row.value), n: Number(row.n) }]));
}

/**
 * Applies one fit outcome to the stored corrections inside the caller's transaction: the rows that
 * apply are created if missing, locked in a fixed order, stepped with `applyFeedback` (the same code the
 * offline evaluation uses) and written back. Returns the corrections after the step.
 */
export async function applyOutcome(trx: Db, event: FeedbackEvent, at: Date): Promise<FitCorrections> {
  const keys = correctionKeys(event.product, event.buyerId).filter((k) => k[0] !== 'buyerWidth');
  if (keys.length > 0) {
    await sql`
      insert into size_corrections (level, key, value, n, updated_at)
      select level, key, 0, 0, ${at} from unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::text[]) as k(level, key)
      order by level, key
      on conflict (level, key) do nothing`.execute(trx);
  }
  const rows = await readRows(trx, correctionKeys(event.product, event.buyerId), true);
  const before = fill(baseCorrections(), rows);
  const after = applyFeedback(before, event);
  for (const [level, k] of keys) {
    if (level === 'buyerWidth') continue;
    const value = after[level][k] ?? 0;
    const n = after.counts[level][k] ?? 0;
    await sql`update size_corrections set value = ${value}, n = ${n}, updated_at = ${at}
      where level = ${level} and key = ${k}`.execute(trx);
  }
  return after;
}
