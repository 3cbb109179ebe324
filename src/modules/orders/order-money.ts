import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conflict, unprocessable } from '../../platform/errors.ts';
import { mergeShares, platformShares, sharesGivenBack } from './line-money.ts';
import type { ExpenseShare } from './ports.ts';
import type { LineDiscount, OrderLineRow, PaymentMethod } from './schema.ts';
import type { OrderStatus } from './state-machine.ts';

/** One line's money (orders.lineMoney). */
export interface LineMoney {
  skuId: string;
  quantity: number;
  unitPriceFen: number;
  listPriceFen: number;
  discounts: LineDiscount[];
  paidFen: number;
  platformFundedFen: number;
  refundedQuantity: number;
  refundedFen: number;
}

/** One order's money (orders.lineMoney): what was paid, refunded and settled, line by line. */
export interface OrderMoney {
  orderId: string;
  status: OrderStatus;
  storeId: string;
  buyerId: string;
  checkoutId: string;
  paymentMethod: PaymentMethod;
  commissionBps: number;
  totalFen: number;
  platformFundedFen: number;
  merchantRefundedFen: number;
  paidAt: Date | null;
  completedAt: Date | null;
  settledAt: Date | null;
  lines: LineMoney[];
}

/** What orders.refundLines is asked (the common brief's interface). */
export interface RefundLinesInput {
  orderId: string;
  /** Idempotency: the same reference twice refunds once (the second answers `duplicate`). */
  reference: string;
  reason: string;
  funder: 'merchant' | 'platform';
  /** platform-funded: charged to `platform_expense:<expense>`; default `price_protection`. */
  expense?: string;
  /** `refund` (default) or `compensation` (e.g. a price-protection payout). */
  kind?: 'refund' | 'compensation';
  /** quantity: units given back (0 = money only); amountFen: money back for the line. */
  lines: Array<{ skuId: string; quantity: number; amountFen: number }>;
  /** Who asks (`buyer:<id>`, `system:aftersale`, …), for the order's history. */
  actor: string;
}

export interface RefundLinesResult {
  refundedFen: number;
  duplicate: boolean;
}

const toLine = (l: OrderLineRow): LineMoney => ({
  skuId: l.sku_id,
  quantity: l.quantity,
  unitPriceFen: Number(l.unit_price_fen),
  listPriceFen: Number(l.list_price_fen ?? l.unit_price_fen),
  discounts: (l.discounts ?? []).map((d) => ({ ...d, fen: Number(d.fen) })),
  paidFen: Number(l.paid_fen),
  platformFundedFen: Number(l.platform_funded_fen),
  refundedQuantity: l.refunded_quantity,
  refundedFen: Number(l.refunded_fen),
});

/** Each order's money, lines included, in two queries. */
export async function loadOrderMoney(
  db: Db,
  orderIds: string[],
  lock = false,
): Promise<Map<string, OrderMoney>> {
  if (orderIds.length === 0) return new Map();
  const forUpdate = lock ? sql`for update` : sql``;
  const orders = await sql<{
    id: string;
    status: OrderStatus;
    store_id: string;
    buyer_id: string;
    checkout_id: string;
    payment_method: PaymentMethod;
    commission_bps: number;
    total_fen: number;
    platform_funded_fen: number;
    merchant_refunded_fen: number;
    paid_at: Date | null;
    completed_at: Date | null;
    settled_at: Date | null;
  }>`
    select id, status, store_id, buyer_id, checkout_id, payment_method, commission_bps, total_fen, platform_funded_fen,
           merchant_refunded_fen, paid_at, completed_at, settled_at
    from orders where id = any(${orderIds}::uuid[]) order by id ${forUpdate}`.execute(db);
  const lines = await sql<OrderLineRow>`
    select * from order_lines where order_id = any(${orderIds}::uuid[]) order by order_id, sku_id ${forUpdate}`.execute(
    db,
  );
  const byOrder = new Map<string, LineMoney[]>();
  for (const l of lines.rows) {
    const list = byOrder.get(l.order_id) ?? [];
    list.push(toLine(l));
    byOrder.set(l.order_id, list);
  }
  return new Map(
    orders.rows.map((o) => [
      o.id,
      {
        orderId: o.id,
        status: o.status,
        storeId: o.store_id,
        buyerId: o.buyer_id,
        checkoutId: o.checkout_id,
        paymentMethod: o.payment_method,
        commissionBps: o.commission_bps,
        totalFen: Number(o.total_fen),
        platformFundedFen: Number(o.platform_funded_fen),
        merchantRefundedFen: Number(o.merchant_refunded_fen),
        paidAt: o.paid_at,
        completedAt: o.completed_at,
        settledAt: o.settled_at,
        lines: byOrder.get(o.id) ?? [],
      },
    ]),
  );
}

export interface RefundPlan {
  amountFen: number;
  /** Per line: what it gets back now. */
  lines: Array<{ skuId: string; quantity: number; amountFen: number }>;
  /** After settlement, merchant-funded units back: their platform-funded discounts go back. */
  discountsBack: ExpenseShare[];
  /** Every line refunded in full (money) once this refund is applied. */
  fullyRefunded: boolean;
}

/**
 * Checks a refund against the order's lines (pure): every line named once and in the order,
 * whole non-negative quantities and amounts, a positive total; 409 `refund_exceeds_paid` when a
 * line would give back more units than were bought or more money than was paid for it.
 */
export function planLineRefund(order: OrderMoney, input: RefundLinesInput): RefundPlan {
  const lines = new Map(order.lines.map((l) => [l.skuId, l]));
  const seen = new Set<string>();
  let amountFen = 0;
  const back: ExpenseShare[] = [];
  for (const r of input.lines) {
    const line = lines.get(r.skuId);
    if (!line || seen.has(r.skuId)) {
      throw unprocessable('refund_line_unknown', 'Each refunded line must be a line of the order, once', {
        skuId: r.skuId,
      });
    }
    seen.add(r.skuId);
    if (
      !Number.isSafeInteger(r.quantity) ||
      r.quantity < 0 ||
      !Number.isSafeInteger(r.amountFen) ||
      r.amountFen < 0
    ) {
      throw unprocessable(
        'refund_amount_invalid',
        'Refunded quantities and amounts are whole and not negative',
      );
    }
    if (line.refundedQuantity + r.quantity > line.quantity || line.refundedFen + r.amountFen > line.paidFen) {
      throw conflict('refund_exceeds_paid', 'A line can never get back more than was paid for it', {
        skuId: r.skuId,
        paidFen: line.paidFen,
        refundedFen: line.refundedFen,
        quantity: line.quantity,
        refundedQuantity: line.refundedQuantity,
      });
    }
    amountFen += r.amountFen;
    if (input.funder === 'merchant' && order.settledAt && r.quantity > 0) {
      const kept = line.quantity - line.refundedQuantity;
      back.push(...sharesGivenBack(line, kept, kept - r.quantity));
    }
  }
  if (amountFen <= 0) throw unprocessable('refund_amount_invalid', 'A refund gives back a positive amount');
  const given = new Map(input.lines.map((r) => [r.skuId, r.amountFen]));
  const fullyRefunded = order.lines.every((l) => l.refundedFen + (given.get(l.skuId) ?? 0) >= l.paidFen);
  return { amountFen, lines: input.lines, discountsBack: mergeShares(back), fullyRefunded };
}

/** Every line has given back all the buyer paid for it. */
export function refundedInFull(order: OrderMoney): boolean {
  return order.lines.length > 0 && order.lines.every((l) => l.refundedFen >= l.paidFen);
}

/**
 * What settling the order pays: the escrow left (its total less merchant-funded refunds; for an
 * order refunded in full, whose platform-funded refunds were recovered from escrow, less every
 * refund) and the platform-funded discounts of the units kept.
 */
export function settlementMoney(order: OrderMoney): { escrowFen: number; platformFunded: ExpenseShare[] } {
  const refunded = order.lines.reduce((s, l) => s + l.refundedFen, 0);
  return {
    escrowFen: order.totalFen - (refundedInFull(order) ? refunded : order.merchantRefundedFen),
    platformFunded: mergeShares(
      order.lines.flatMap((l) => platformShares(l, l.quantity - l.refundedQuantity)),
    ),
  };
}
