import type { Address } from '../addresses/index.ts';
import type { Carrier } from './carriers.ts';
import type { OrderStatus } from './state-machine.ts';

export type { Address };

export interface OrderRow {
  id: string;
  order_no: string;
  checkout_id: string;
  buyer_id: string;
  store_id: string;
  status: OrderStatus;
  total_fen: number;
  address: Address;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  shipped_at: Date | null;
  carrier: Carrier | null;
  tracking_no: string | null;
  delivered_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
}

export interface OrderLineRow {
  order_id: string;
  sku_id: string;
  product_id: string;
  title: string;
  size: string;
  color: string;
  image: string;
  unit_price_fen: number;
  quantity: number;
}

export interface OrdersTables {
  cart_items: { buyer_id: string; sku_id: string; quantity: number; added_at: Date };
  checkouts: { id: string; buyer_id: string; total_fen: number; created_at: Date; expires_at: Date };
  orders: OrderRow;
  order_lines: OrderLineRow;
  order_events: {
    id: number;
    order_id: string;
    from_status: OrderStatus | null;
    to_status: OrderStatus;
    actor: string;
    at: Date;
  };
  idempotency_keys: {
    account_id: string;
    scope: string;
    key: string;
    request_hash: string;
    status_code: number;
    response: unknown;
    created_at: Date;
  };
}
