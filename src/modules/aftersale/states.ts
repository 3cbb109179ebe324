export const AFTERSALE_REASONS = [
  'size_too_small',
  'size_too_large',
  'quality',
  'not_as_described',
  'not_received',
  'changed_mind',
  'other',
] as const;
export type AftersaleReason = (typeof AFTERSALE_REASONS)[number];

/**
 * requested (merchant decides, SLA) | review (operator decides: abuse limits) → approved | rejected;
 * refund-only approved → refunded at once; return approved → returning (buyer shipped it) →
 * refunded (merchant received it, or SLA); exchange approved → exchanged (replacement shipped).
 * The buyer may cancel until the return is on its way. Open ones hold the order's settlement.
 */
export const AFTERSALE_STATUSES = [
  'requested',
  'review',
  'approved',
  'returning',
  'refunded',
  'exchanged',
  'rejected',
  'cancelled',
] as const;
export type AftersaleStatus = (typeof AFTERSALE_STATUSES)[number];

/** The statuses of a request still open (the migration's partial unique index lists the same). */
export const OPEN_STATUSES: AftersaleStatus[] = ['requested', 'review', 'approved', 'returning'];
export const CANCELLABLE: AftersaleStatus[] = ['requested', 'review', 'approved'];
export const isOpen = (s: AftersaleStatus) => OPEN_STATUSES.includes(s);
