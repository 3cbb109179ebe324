import type { Kysely } from 'kysely';
import type { AftersaleReason, AftersaleStatus } from './service.ts';

/** The table after-sale's migration creates; no other module queries it. */
export interface AftersaleTables {
  aftersale_requests: {
    id: string;
    order_id: string;
    sku_id: string;
    product_id: string;
    store_id: string;
    buyer_id: string;
    reason: AftersaleReason;
    note: string;
    amount_fen: number;
    status: AftersaleStatus;
    created_at: Date;
    updated_at: Date;
  };
}

/** The database as after-sale sees it: its own table only. */
export type AftersaleDb = Kysely<AftersaleTables>;
