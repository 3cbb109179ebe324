import type { Generated, Kysely } from 'kysely';

export type BillStatus = 'open' | 'charging' | 'paid' | 'overdue' | 'closed';

/** The tables credit's migration creates; no other module queries them. */
export interface CreditTables {
  credit_policy: {
    id: number;
    base_limit_fen: number;
    per_completed_order_fen: number;
    max_limit_fen: number;
    min_account_age_days: number;
    min_completed_orders: number;
    max_refund_share_bps: number;
    due_days: number;
    reminder_days: number;
    freeze_when_overdue: boolean;
    fee_bps: number;
    promotion_starts_at: Date | null;
    promotion_ends_at: Date | null;
    updated_at: Date;
  };
  credit_store_settings: { store_id: string; pay_later_enabled: boolean; updated_at: Date };
  credit_bills: {
    id: string;
    checkout_id: string;
    order_id: string;
    buyer_id: string;
    store_id: string;
    original_fen: number;
    amount_fen: number;
    fee_bps: number;
    status: BillStatus;
    due_at: Date | null;
    charged_fen: number;
    charge_attempts: number;
    last_reminded_at: Date | null;
    created_at: Date;
    updated_at: Date;
    paid_at: Date | null;
    closed_at: Date | null;
  };
  credit_reminders: {
    id: Generated<number>;
    bill_id: string;
    buyer_id: string;
    amount_fen: number;
    days_overdue: number;
    created_at: Date;
  };
}

export type BillRow = CreditTables['credit_bills'];

/** The database as credit sees it: its own tables only. */
export type CreditDb = Kysely<CreditTables>;
