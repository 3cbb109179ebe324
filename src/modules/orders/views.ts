import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { storeSummaries } from '../merchants/index.ts';
import type { OrderView } from './api-schema.ts';
import { attributionOf } from './line-attribution.ts';
import type { OrderLineRow, OrderRow } from './schema.ts';
import type { OrderStatus } from './state-machine.ts';

/** An order as the API shows it (dates as ISO strings, so stored replays compare equal): api-schema.ts. */
export type { OrderView };

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function orderView(
  row: OrderRow,
  lines: OrderLineRow[],
  storeName: string,
  events?: OrderView['events'],
): OrderView {
  const view: OrderView = {
    id: row.id,
    orderNo: row.order_no,
    checkoutId: row.checkout_id,
    storeId: row.store_id,
    storeName,
    status: row.status,
    totalFen: Number(row.total_fen),
    platformFundedFen: Number(row.platform_funded_fen ?? 0),
    refundedFen: lines.reduce((sum, l) => sum + Number(l.refunded_fen), 0),
    paymentMethod: row.payment_method,
    attribution: attributionOf(row),
    address: row.address,
    lines: lines.map((l) => ({
      skuId: l.sku_id,
      productId: l.product_id,
      title: l.title,
      image: l.image,
      size: l.size,
      color: l.color,
      unitPriceFen: l.unit_price_fen,
      quantity: l.quantity,
      listPriceFen: Number(l.list_price_fen ?? l.unit_price_fen),
      discounts: l.discounts ?? [],
      paidFen: Number(l.paid_fen ?? l.unit_price_fen * l.quantity),
      platformFundedFen: Number(l.platform_funded_fen ?? 0),
      refundedQuantity: l.refunded_quantity,
      refundedFen: Number(l.refunded_fen),
      attribution: attributionOf(l),
    })),
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    paidAt: iso(row.paid_at),
    shippedAt: iso(row.shipped_at),
    carrier: row.carrier,
    trackingNo: row.tracking_no,
    deliveredAt: iso(row.delivered_at),
    completedAt: iso(row.completed_at),
    closedAt: iso(row.closed_at),
    settledAt: iso(row.settled_at),
    closeReason: row.close_reason,
  };
  if (events) view.events = events;
  return view;
}

/** Store names for a set of stores, in one query (the merchants module owns stores). */
export async function storeNames(db: Db, storeIds: string[]): Promise<Map<string, string>> {
  const summaries = await storeSummaries(db, storeIds);
  return new Map([...summaries].map(([id, s]) => [id, s.name]));
}

/** Views for any number of orders in a constant number of queries (lines, stores, events). */
export async function loadOrderViews(db: Db, rows: OrderRow[], withEvents = false): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Sequential on purpose: `db` may be a transaction, which runs one statement at a time.
  const lines = await sql<OrderLineRow>`
    select * from order_lines where order_id = any(${ids}::uuid[]) order by title, size, color`.execute(db);
  const names = await storeNames(
    db,
    rows.map((r) => r.store_id),
  );
  const events = withEvents
    ? await sql<{
        order_id: string;
        from_status: OrderStatus | null;
        to_status: OrderStatus;
        actor: string;
        at: Date;
      }>`
        select order_id, from_status, to_status, actor, at from order_events
        where order_id = any(${ids}::uuid[]) order by id`.execute(db)
    : { rows: [] };
  const linesBy = groupBy(lines.rows, (l) => l.order_id);
  const eventsBy = groupBy(events.rows, (e) => e.order_id);
  return rows.map((r) =>
    orderView(
      r,
      linesBy.get(r.id) ?? [],
      names.get(r.store_id) ?? '',
      withEvents
        ? (eventsBy.get(r.id) ?? []).map((e) => ({
            from: e.from_status,
            to: e.to_status,
            actor: e.actor,
            at: new Date(e.at).toISOString(),
          }))
        : undefined,
    ),
  );
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
