/**
 * Seven-day price protection (7天价保), the arithmetic: which lines a price drop protects, how they are
 * grouped so a hot SKU is quoted once per group, and what each line gets back. Pure: no database.
 */

/** How long after payment a line is protected. */
export const PROTECTION_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

/** The only channel whose prices trigger protection: flash-sale and live-room prices are time-boxed promotions. */
export const PROTECTION_CHANNEL = 'standard' as const;
export type PriceChannel = 'standard' | 'live' | 'flash';

/** Whether a price on this channel may trigger protection. */
export function channelTriggersProtection(channel: PriceChannel): boolean {
  return channel === PROTECTION_CHANNEL;
}

export type PriceChangeCause = 'merchant_price' | 'subsidy';
export type Funder = 'merchant' | 'platform';

/** Who pays a drop follows its cause: a merchant price cut is the merchant's, a new subsidy the platform's. */
export function funderOf(cause: PriceChangeCause): Funder {
  return cause === 'merchant_price' ? 'merchant' : 'platform';
}

/** The ledger's (and the payout's) idempotency key: one payout per line per drop. */
export function protectionReference(orderId: string, skuId: string, changeId: string): string {
  return `price-protection:${orderId}:${skuId}:${changeId}`;
}

/** When a line paid at `paidAt` stops being protected (the buyer's countdown). */
export function protectionEndsAt(paidAt: Date): Date {
  return new Date(paidAt.getTime() + PROTECTION_DAYS * DAY_MS);
}

/** The earliest payment time a drop at `at` still protects. */
export function protectedSince(at: Date): Date {
  return new Date(at.getTime() - PROTECTION_DAYS * DAY_MS);
}

/** One order line as price protection sees it (from orders' line money). */
export interface ProtectableLine {
  orderId: string;
  skuId: string;
  paidAt: Date;
  quantity: number;
  refundedQuantity: number;
  /** What the buyer paid for the line (list × qty − discounts). */
  paidFen: number;
  /** Everything given back on the line so far (refunds and earlier compensations). */
  refundedFen: number;
  /** The coupons the line used (ids, for the record). */
  couponIds: string[];
  /** What those coupons took off the line (Σ of its coupon discounts): the buyer keeps that benefit. */
  couponFen: number;
}

/** Units still held: a line returned in part is protected for the rest. */
export function heldQuantity(line: ProtectableLine): number {
  return Math.max(0, line.quantity - line.refundedQuantity);
}

/** What the buyer has paid, net, for the units still held: the most any payout can ever reach. */
export function netPaidFen(line: ProtectableLine): number {
  return Math.max(0, line.paidFen - line.refundedFen);
}

/** Whether a drop at `at` protects the line: paid at most 7 days before, not yet fully refunded. */
export function isProtected(line: ProtectableLine, at: Date): boolean {
  const paid = line.paidAt.getTime();
  return (
    paid <= at.getTime() &&
    at.getTime() < protectionEndsAt(line.paidAt).getTime() &&
    heldQuantity(line) > 0 &&
    netPaidFen(line) > 0
  );
}

/**
 * What a line gets back when the same quantity now costs `nowFen`: the difference, never more than
 * it still has paid (so repeated drops can never return more than the buyer paid in total).
 */
export function compensationFen(line: ProtectableLine, nowFen: number): number {
  const net = netPaidFen(line);
  const difference = net - Math.max(0, nowFen);
  return Math.max(0, Math.min(net, difference));
}

/**
 * The coupons' share of the units still held: the same coupons applied again. (Re-quoting with the
 * coupon ids would fail once they are redeemed or expired, and a threshold coupon met by the whole
 * order would not be met by one line; the amount they took off is what "the same coupons" means.)
 */
export function couponShareFen(line: ProtectableLine): number {
  if (line.quantity <= 0) return 0;
  return Math.floor((line.couponFen * heldQuantity(line)) / line.quantity);
}

/** What the line's held units cost now: the re-quoted price (list − subsidy) less the same coupons. */
export function nowFenFor(line: ProtectableLine, quotedFen: number): number {
  return Math.max(0, quotedFen - couponShareFen(line));
}

/** Lines that share a quote: the same held quantity of the same SKU. */
export interface QuoteGroup<L extends ProtectableLine = ProtectableLine> {
  skuId: string;
  quantity: number;
  lines: L[];
}

/** Groups lines by (SKU, held quantity): a hot SKU with 100,000 lines needs only a few quotes. */
export function groupForQuotes<L extends ProtectableLine>(lines: L[]): Array<QuoteGroup<L>> {
  const groups = new Map<string, QuoteGroup<L>>();
  for (const line of lines) {
    const quantity = heldQuantity(line);
    const key = `${line.skuId}|${quantity}`;
    let group = groups.get(key);
    if (!group) {
      group = { skuId: line.skuId, quantity, lines: [] };
      groups.set(key, group);
    }
    group.lines.push(line);
  }
  return [...groups.values()];
}

/** Discount kinds that are coupons (re-applied by id); subsidies follow the SKU, not the buyer. */
export const COUPON_KINDS = new Set(['store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon']);

/** The coupon ids among a line's discounts. */
export function couponIdsOf(discounts: Array<{ kind: string; id: string }>): string[] {
  return [...new Set(discounts.filter((d) => COUPON_KINDS.has(d.kind)).map((d) => d.id))].sort();
}

/** The comparison for one line, as the buyer's check shows it. */
export interface LineComparison {
  skuId: string;
  quantity: number;
  paidFen: number;
  nowFen: number;
  differenceFen: number;
  windowEndsAt: Date;
  protected: boolean;
}

export function compare(line: ProtectableLine, nowFen: number, at: Date): LineComparison {
  const covered = isProtected(line, at);
  return {
    skuId: line.skuId,
    quantity: heldQuantity(line),
    paidFen: netPaidFen(line),
    nowFen,
    differenceFen: covered ? compensationFen(line, nowFen) : 0,
    windowEndsAt: protectionEndsAt(line.paidAt),
    protected: covered,
  };
}
