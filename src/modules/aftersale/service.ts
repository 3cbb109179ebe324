import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { OrderView } from '../orders/index.ts';
import type { AftersaleView } from './api-schema.ts';
import type { AftersaleDb, AftersaleTables } from './tables.ts';

export const AFTERSALE_REASONS = [
  'size_too_small',
  'size_too_large',
  'quality',
  'not_as_described',
  'changed_mind',
  'other',
] as const;
export type AftersaleReason = (typeof AFTERSALE_REASONS)[number];
export type AftersaleStatus = 'requested' | 'approved' | 'rejected' | 'refunded';

export interface AftersaleOrders {
  getForBuyer(actor: Actor, orderId: string): Promise<{ order: OrderView }>;
}

export interface AftersaleDeps {
  db: AftersaleDb;
  clock: Clock;
  orders: AftersaleOrders;
  /** Publishes `aftersale.requested` (the size assistant learns from size reasons). */
  events: Publisher;
}

export type { AftersaleView };

type Row = AftersaleTables['aftersale_requests'];

const view = (r: Row): AftersaleView => ({
  id: r.id,
  orderId: r.order_id,
  skuId: r.sku_id,
  productId: r.product_id,
  storeId: r.store_id,
  reason: r.reason,
  note: r.note,
  amountFen: Number(r.amount_fen),
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const AFTER_DELIVERY = new Set(['delivered', 'completed']);

/**
 * Minimal after-sale: a buyer asks for a refund of one line of a delivered or completed order, with a
 * reason. The request is published (`aftersale.requested`) in the same transaction; the size
 * assistant subscribes and learns from size reasons.
 * The refund money is not moved here yet: payments' `refundOrder` refunds a whole order from escrow
 * only, which is wrong for one line and for an order already settled to the merchant.
 */
export class AftersaleService {
  constructor(private readonly deps: AftersaleDeps) {}

  async request(
    actor: Actor,
    input: { orderId: string; skuId: string; reason: AftersaleReason; note?: string },
  ): Promise<{ request: AftersaleView }> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const { order } = await this.deps.orders.getForBuyer(actor, input.orderId);
    if (!AFTER_DELIVERY.has(order.status)) {
      throw conflict('not_delivered', 'After-sale opens once the order has been delivered', {
        status: order.status,
      });
    }
    const line = order.lines.find((l) => l.skuId === input.skuId);
    if (!line) throw notFound('Order line');
    const now = this.deps.clock.now();
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const inserted = await sql<Row>`
        insert into aftersale_requests (id, order_id, sku_id, product_id, store_id, buyer_id, reason, note,
                                        amount_fen, status, created_at, updated_at)
        values (${newId()}, ${order.id}, ${line.skuId}, ${line.productId}, ${order.storeId}, ${actor.accountId},
                ${input.reason}, ${input.note ?? ''}, ${line.unitPriceFen * line.quantity}, 'requested', ${now}, ${now})
        on conflict (order_id, sku_id) do nothing returning *`.execute(trx);
      const row = inserted.rows[0];
      if (!row) throw conflict('request_exists', 'This order line already has an after-sale request');
      await this.deps.events.publish(trx, 'aftersale.requested', {
        requestId: row.id,
        orderId: row.order_id,
        skuId: row.sku_id,
        buyerId: row.buyer_id,
        reason: row.reason,
      });
      return row;
    });
    return { request: view(created) };
  }

  async listForBuyer(actor: Actor): Promise<{ items: AftersaleView[] }> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const r = await sql<Row>`
      select * from aftersale_requests where buyer_id = ${actor.accountId}
      order by created_at desc, id limit 200`.execute(this.deps.db);
    return { items: r.rows.map(view) };
  }

  async listForStore(actor: Actor): Promise<{ items: AftersaleView[] }> {
    if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
    const r = await sql<Row>`
      select * from aftersale_requests where store_id = ${actor.storeId}
      order by created_at desc, id limit 200`.execute(this.deps.db);
    return { items: r.rows.map(view) };
  }
}
