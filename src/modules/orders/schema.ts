import type { Address } from '../addresses/index.ts';
import type { QuoteDiscount } from '../pricing/index.ts';
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
  /** Σ of the platform-funded discounts of its lines (paid to the merchant at settlement). */
  platform_funded_fen: number;
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
  /** The merchant's list price per unit when bought. */
  list_price_fen: number;
  /** Each discount of the line (subsidy, coupons) with its funder, for the whole line. */
  discounts: QuoteDiscount[];
  /** What the buyer paid for the line: list × quantity − Σ discounts. */
  paid_fen: number;
  platform_funded_fen: number;
}
