import type { BillView } from './api-schema.ts';
import { wholeDays } from './credit-limit.ts';
import type { BillRow } from './tables.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A bill as the API shows it (days overdue counted at `now`). */
export function billView(b: BillRow, now: Date): BillView {
  const dueAt = b.due_at ? new Date(b.due_at) : null;
  return {
    id: b.id,
    checkoutId: b.checkout_id,
    orderId: b.order_id,
    storeId: b.store_id,
    originalFen: Number(b.original_fen),
    amountFen: Number(b.amount_fen),
    status: b.status,
    dueAt: iso(dueAt),
    daysOverdue: b.status === 'overdue' && dueAt ? wholeDays(dueAt, now) : 0,
    chargedFen: Number(b.charged_fen),
    refundedAfterChargeFen: Number(b.refunded_after_charge_fen),
    chargeAttempts: b.charge_attempts,
    createdAt: new Date(b.created_at).toISOString(),
    paidAt: iso(b.paid_at),
    closedAt: iso(b.closed_at),
  };
}
