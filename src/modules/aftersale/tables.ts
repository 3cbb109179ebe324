import type { Kysely } from 'kysely';
import type { AftersaleKind } from './auto-approval.ts';
import type { AftersaleReason, AftersaleStatus } from './states.ts';

/** The tables after-sale's migrations create; no other module queries them. */
export interface AftersaleTables {
  aftersale_requests: {
    id: string;
    order_id: string;
    sku_id: string;
    product_id: string;
    store_id: string;
    buyer_id: string;
    kind: AftersaleKind;
    reason: AftersaleReason;
    note: string;
    quantity: number;
    amount_fen: number;
    exchange_sku_id: string | null;
    province: string;
    status: AftersaleStatus;
    due_at: Date | null;
    decided_by_rule: string | null;
    decided_by: string | null;
    decided_at: Date | null;
    decision_note: string;
    return_carrier: string | null;
    return_tracking_no: string | null;
    return_shipped_at: Date | null;
    return_received_at: Date | null;
    replacement_carrier: string | null;
    replacement_tracking_no: string | null;
    replacement_shipped_at: Date | null;
    refunded_fen: number;
    shipping_subsidy_fen: number;
    shipping_subsidy_funder: 'merchant' | 'platform' | null;
    closed_at: Date | null;
    created_at: Date;
    updated_at: Date;
  };
  aftersale_events: {
    id: number;
    request_id: string;
    action: string;
    from_status: AftersaleStatus | null;
    to_status: AftersaleStatus;
    rule: string | null;
    actor: string;
    note: string;
    at: Date;
  };
  aftersale_policy: { id: number; policy: unknown; updated_by: string; updated_at: Date };
  aftersale_store_settings: {
    store_id: string;
    low_price_refund_only: boolean;
    shipping_insurance: boolean;
    updated_at: Date;
  };
}

/** The database as after-sale sees it: its own tables only. */
export type AftersaleDb = Kysely<AftersaleTables>;
export type RequestRow = AftersaleTables['aftersale_requests'];
export type EventRow = AftersaleTables['aftersale_events'];
