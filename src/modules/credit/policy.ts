import type { CreditDb, CreditTables } from './tables.ts';

/** The operator's pay-later policy (one row, credit_policy). */
export interface CreditPolicy {
  /** The line of a buyer who qualifies, before completed orders add to it. */
  baseLimitFen: number;
  /** Added to the line per finished order. */
  perCompletedOrderFen: number;
  /** The line never exceeds this. */
  maxLimitFen: number;
  /** A younger account has no line. */
  minAccountAgeDays: number;
  /** Fewer finished orders and there is no line. */
  minCompletedOrders: number;
  /** Refunded / finished orders above this share (basis points) and there is no line. */
  maxRefundShareBps: number;
  /** A bill is charged this many days after receipt is confirmed (or auto-confirmed). */
  dueDays: number;
  /** An overdue bill gets a reminder (and the charge is retried) every this many days. */
  reminderDays: number;
  /** Whether an overdue bill freezes the buyer's line. */
  freezeWhenOverdue: boolean;
  /** What the merchant pays on the collected amount, outside the promotion (basis points). */
  feeBps: number;
  /** The fee-free opening window for merchants (both null: none). */
  promotionStartsAt: string | null;
  promotionEndsAt: string | null;
}

type Row = CreditTables['credit_policy'];

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function fromRow(r: Row): CreditPolicy & { updatedAt: string } {
  return {
    baseLimitFen: Number(r.base_limit_fen),
    perCompletedOrderFen: Number(r.per_completed_order_fen),
    maxLimitFen: Number(r.max_limit_fen),
    minAccountAgeDays: r.min_account_age_days,
    minCompletedOrders: r.min_completed_orders,
    maxRefundShareBps: r.max_refund_share_bps,
    dueDays: r.due_days,
    reminderDays: r.reminder_days,
    freezeWhenOverdue: r.freeze_when_overdue,
    feeBps: r.fee_bps,
    promotionStartsAt: iso(r.promotion_starts_at),
    promotionEndsAt: iso(r.promotion_ends_at),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function loadPolicy(db: CreditDb): Promise<CreditPolicy & { updatedAt: string }> {
  const row = await db.selectFrom('credit_policy').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return fromRow(row);
}

export async function savePolicy(
  db: CreditDb,
  p: CreditPolicy,
  at: Date,
): Promise<CreditPolicy & { updatedAt: string }> {
  const row = await db
    .updateTable('credit_policy')
    .set({
      base_limit_fen: p.baseLimitFen,
      per_completed_order_fen: p.perCompletedOrderFen,
      max_limit_fen: p.maxLimitFen,
      min_account_age_days: p.minAccountAgeDays,
      min_completed_orders: p.minCompletedOrders,
      max_refund_share_bps: p.maxRefundShareBps,
      due_days: p.dueDays,
      reminder_days: p.reminderDays,
      freeze_when_overdue: p.freezeWhenOverdue,
      fee_bps: p.feeBps,
      promotion_starts_at: p.promotionStartsAt ? new Date(p.promotionStartsAt) : null,
      promotion_ends_at: p.promotionEndsAt ? new Date(p.promotionEndsAt) : null,
      updated_at: at,
    })
    .where('id', '=', 1)
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/** Whether `at` falls in the fee-free promotion window (an open end is unbounded on that side). */
export function promotionActive(
  p: Pick<CreditPolicy, 'promotionStartsAt' | 'promotionEndsAt'>,
  at: Date,
): boolean {
  if (!p.promotionStartsAt && !p.promotionEndsAt) return false;
  const t = at.getTime();
  if (p.promotionStartsAt && t < Date.parse(p.promotionStartsAt)) return false;
  if (p.promotionEndsAt && t >= Date.parse(p.promotionEndsAt)) return false;
  return true;
}

/** The fee a pay-later order placed at `at` carries (0 during the promotion). */
export function feeBpsAt(p: CreditPolicy, at: Date): number {
  return promotionActive(p, at) ? 0 : p.feeBps;
}
