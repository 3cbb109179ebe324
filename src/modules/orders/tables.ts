import type { Kysely } from 'kysely';
import type { AttributionColumns, OrderLineRow, OrderRow } from './schema.ts';
import type { OrderStatus } from './state-machine.ts';

/** The tables the orders' migrations create; no other module queries them. */
export interface OrdersTables {
  cart_items: { buyer_id: string; sku_id: string; quantity: number; added_at: Date } & AttributionColumns;
  checkouts: {
    id: string;
    buyer_id: string;
    total_fen: number;
    created_at: Date;
    expires_at: Date;
  } & AttributionColumns;
  orders: OrderRow;
  order_lines: OrderLineRow;
  order_settlement_holds: { order_id: string; ref: string; created_at: Date };
  order_events: {
    id: number;
    order_id: string;
    from_status: OrderStatus | null;
    to_status: OrderStatus;
    actor: string;
    at: Date;
  };
}

/** The database as orders sees it: its own tables only. */
export type OrdersDb = Kysely<OrdersTables>;
