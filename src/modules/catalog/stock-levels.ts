import { type Kysely, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { SkuStock, StockLevels, StockMovement } from './api-schema.ts';
import type { CatalogTables } from './schema.ts';
import type { StockCause } from './stock.ts';

/** Far above any shelf, far below the int column's limit. */
const MAX_ON_HAND = 100_000_000;

export type { StockLevels, StockMovement };

/**
 * A merchant's change of on-hand stock: relative (`adjust`, with the reason) or an absolute count
 * that names the version it was read at, so a sale in between makes it stale instead of lost.
 */
export type StockChange =
  | { adjust: number; reason: string }
  | { set: number; expectedVersion: number; reason?: string };

export function levelsOf(row: { stock: number; reserved: number; stock_version: number }): StockLevels {
  return {
    onHand: row.stock + row.reserved,
    reserved: row.reserved,
    sellable: row.stock,
    version: Number(row.stock_version),
  };
}

/**
 * Applies a merchant's change to one SKU, inside the caller's transaction: locks the row, refuses a
 * stale set (409 `stale_stock`) and anything that would leave fewer units on hand than are promised
 * to buyers (409 `insufficient_stock`), and logs the movement. An Idempotency-Key already used on this
 * SKU replays (the current levels) when it named the same change, and is a 409 otherwise.
 */
export async function changeStock(
  trx: Db,
  skuId: string,
  change: StockChange,
  cause: StockCause,
  idempotencyKey?: string,
): Promise<StockLevels> {
  const cdb = trx as Kysely<CatalogTables>;
  const row = await cdb
    .selectFrom('skus')
    .select(['stock', 'reserved', 'stock_version'])
    .where('id', '=', skuId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('SKU');
  const now = levelsOf(row);
  const delta = 'adjust' in change ? change.adjust : change.set - now.onHand;
  const kind = 'adjust' in change ? 'adjust' : 'set';
  if (idempotencyKey !== undefined) {
    const seen = await cdb
      .selectFrom('stock_movements')
      .select(['kind', 'on_hand_delta', 'on_hand'])
      .where('sku_id', '=', skuId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    if (seen) {
      const same = 'adjust' in change ? seen.on_hand_delta === change.adjust : seen.on_hand === change.set;
      if (seen.kind === kind && same) return now;
      throw conflict('idempotency_key_reused', 'This Idempotency-Key was used for another stock change');
    }
  }
  if ('set' in change && change.expectedVersion !== now.version) {
    throw conflict('stale_stock', 'Stock changed since it was read; read it again', now);
  }
  if (now.onHand + delta > MAX_ON_HAND) {
    throw unprocessable('stock_too_large', `At most ${MAX_ON_HAND} units on hand`, now);
  }
  if (now.sellable + delta < 0) {
    throw conflict('insufficient_stock', 'On hand cannot drop below the units reserved for orders', now);
  }
  // The condition repeats the checks in the database: the row is locked, so this only guards the code.
  const updated = await sql<{ stock: number; reserved: number; stock_version: number }>`
    with changed as (
      update skus set stock = stock + ${delta}, stock_version = stock_version + 1
      where id = ${skuId} and stock + ${delta} >= 0 and stock_version = ${now.version}
      returning id, stock, reserved, stock_version
    ), logged as (
      insert into stock_movements (sku_id, at, kind, actor, reason, ref, on_hand_delta, reserved_delta,
                                   on_hand, reserved, idempotency_key)
      select id, ${cause.at}, ${kind}, ${cause.actor}, ${cause.reason ?? ''}, ${cause.ref ?? null}, ${delta}, 0,
             stock + reserved, reserved, ${idempotencyKey ?? null}
      from changed
    )
    select stock, reserved, stock_version from changed`.execute(trx);
  const after = updated.rows[0];
  if (!after) throw conflict('stale_stock', 'Stock changed since it was read; read it again', now);
  return levelsOf(after);
}

/** The first stock of new SKUs, logged like any other change; one statement. */
export async function logInitialStock(
  trx: Db,
  skus: Array<{ skuId: string; stock: number }>,
  cause: StockCause,
): Promise<void> {
  if (skus.length === 0) return;
  await (trx as Kysely<CatalogTables>)
    .insertInto('stock_movements')
    .values(
      skus.map((s) => ({
        sku_id: s.skuId,
        at: cause.at,
        kind: 'initial' as const,
        actor: cause.actor,
        reason: cause.reason ?? '',
        ref: cause.ref ?? null,
        on_hand_delta: s.stock,
        reserved_delta: 0,
        on_hand: s.stock,
        reserved: 0,
        idempotency_key: null,
      })),
    )
    .execute();
}

/** A SKU's levels and a page of its movements, newest first; three queries. */
export async function stockHistory(db: Db, skuId: string, page: number, pageSize: number): Promise<SkuStock> {
  const cdb = db as Kysely<CatalogTables>;
  const row = await cdb
    .selectFrom('skus')
    .select(['stock', 'reserved', 'stock_version'])
    .where('id', '=', skuId)
    .executeTakeFirst();
  if (!row) throw notFound('SKU');
  const total = await cdb
    .selectFrom('stock_movements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sku_id', '=', skuId)
    .executeTakeFirstOrThrow();
  const rows = await cdb
    .selectFrom('stock_movements')
    .selectAll()
    .where('sku_id', '=', skuId)
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    stock: levelsOf(row),
    movements: {
      items: rows.map((m) => ({
        id: Number(m.id),
        at: m.at,
        kind: m.kind,
        actor: m.actor,
        reason: m.reason,
        ref: m.ref,
        onHandDelta: m.on_hand_delta,
        reservedDelta: m.reserved_delta,
        onHand: m.on_hand,
        reserved: m.reserved,
      })),
      total: Number(total.n),
      page,
      pageSize,
    },
  };
}
