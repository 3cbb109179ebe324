import type { Db } from '../../platform/db.ts';
import type { Funder, PriceChannel } from './compensation.ts';

/**
 * What guarantees needs from the modules it builds on, by the shape it uses (orders' and pricing's
 * services satisfy these structurally; app.ts hands them over through `use`).
 */

/** One protected line of a SKU (orders' `protectedLines`). */
export interface ProtectedLineRow {
  orderId: string;
  skuId: string;
  buyerId: string;
  storeId: string;
  paidAt: Date;
  quantity: number;
  refundedQuantity: number;
  paidFen: number;
  refundedFen: number;
  couponIds: string[];
  /** Σ of the line's coupon discounts (what the coupons took off it). */
  couponFen: number;
}

/** One compensation of a batch (orders' `refundLinesBatch`): an amount back on one line, no units. */
export interface LineCompensation {
  orderId: string;
  skuId: string;
  reference: string;
  amountFen: number;
}

export interface GuaranteesOrders {
  /** Lines of `skuId` in orders paid in (from, to], not fully refunded, in a live order. */
  protectedLines(
    db: Db,
    q: { skuId?: string; orderId?: string; paidAfter: Date; paidUpTo: Date },
  ): Promise<ProtectedLineRow[]>;
  /**
   * Amount-only refunds of many lines in one go, same rules as `refundLines` (capped at what each line
   * still has paid, idempotent by reference, the ledger moves by funder). Returns what each booked.
   */
  /** One refund of lines (orders.refundLines): used when a payout would give back all a line paid. */
  refundLines(
    trx: Db,
    input: {
      orderId: string;
      reference: string;
      reason: string;
      funder: Funder;
      expense: string;
      kind: 'compensation';
      lines: Array<{ skuId: string; quantity: number; amountFen: number }>;
      actor: string;
    },
  ): Promise<{ refundedFen: number; duplicate: boolean }>;
  refundLinesBatch(
    trx: Db,
    batch: {
      funder: Funder;
      expense: string;
      kind: 'compensation';
      reason: string;
      items: LineCompensation[];
    },
  ): Promise<Array<{ reference: string; refundedFen: number }>>;
}

export interface QuoteContext {
  buyerId: string | null;
  at: Date;
  channel?: PriceChannel;
  couponIds?: string[];
}

export interface QuotedLine {
  skuId: string;
  quantity: number;
  paidFen: number;
}

export interface GuaranteesPricing {
  quote(
    db: Db,
    ctx: QuoteContext,
    lines: Array<{ skuId: string; quantity: number }>,
  ): Promise<{ lines: QuotedLine[] }>;
}
