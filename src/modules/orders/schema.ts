import type { AttributionChannel } from '../../platform/attribution.ts';
import type { Address } from '../addresses/index.ts';
import type { DiscountKind } from '../pricing/index.ts';
import type { Carrier } from './carriers.ts';
import type { OrderStatus } from './state-machine.ts';

export type { Address };

/**
 * Where the buyer came from (src/platform/attribution.ts), as the orders' tables keep it: on cart
 * items, checkouts, orders and order lines ('direct' and nulls for rows from before issue 13).
 */
export interface AttributionColumns {
  channel: AttributionChannel;
  impression_id: string | null;
  content_id: string | null;
}

export interface OrderRow extends AttributionColumns {
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
  /** The platform's commission on this order, fixed when it was placed (basis points). */
  commission_bps: number;
  payment_method: PaymentMethod;
  /** When the merchant was paid for it (ledger `settlement`). */
  settled_at: Date | null;
  /** Merchant-funded money given back so far (before settlement out of escrow, after it clawed back). */
  merchant_refunded_fen: number;
  /** Platform-funded discounts of the order (Σ lines). */
  platform_funded_fen: number;
}

export type PaymentMethod = 'online' | 'pay_later';

/** One discount of an order line (its total over the line's quantity) and who pays for it. */
export interface LineDiscount {
  /** subsidy, store_coupon, platform_coupon, follow_coupon, fan_coupon (pricing's quote). */
  kind: DiscountKind;
  id: string;
  funder: 'merchant' | 'platform';
  fen: number;
}

export interface OrderLineRow extends AttributionColumns {
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
  discounts: LineDiscount[];
  /** What the buyer paid for the line (list × quantity − discounts). */
  paid_fen: number;
  /** Σ platform-funded discounts of the line. */
  platform_funded_fen: number;
  refunded_quantity: number;
  refunded_fen: number;
}
