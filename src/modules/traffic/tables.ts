import type { ColumnType, Kysely } from 'kysely';
import type { TrafficSource } from './engine/types.ts';

type Day = ColumnType<string, string, string>;
type BigCount = number;

/** The tables the traffic module's migrations create; no other module queries them. */
export interface TrafficTables {
  traffic_pages: {
    id: string;
    at: Date;
    day: Day;
    buyer_id: string | null;
    anon_id: string | null;
    first_position: number;
    item_kinds: string[];
    item_ids: string[];
    product_ids: Array<string | null>;
    store_ids: string[];
    sources: TrafficSource[];
  };
  /** A view: the pages' cards, one row each. */
  traffic_impressions: {
    id: string;
    at: Date;
    day: Day;
    buyer_id: string | null;
    anon_id: string | null;
    item_kind: 'product' | 'video' | 'live';
    item_id: string;
    product_id: string | null;
    store_id: string;
    source: TrafficSource;
    position: number;
  };
  traffic_events: { impression_id: string; kind: 'click' | 'cart'; at: Date };
  traffic_daily: {
    day: Day;
    store_id: string;
    source: TrafficSource;
    impressions: number;
    clicks: number;
    carts: number;
    orders: number;
    gmv_fen: BigCount;
  };
  traffic_item_stats: {
    item_key: string;
    impressions: BigCount;
    clicks: BigCount;
    orders: BigCount;
    gmv_fen: BigCount;
  };
  traffic_orders: {
    order_id: string;
    buyer_id: string | null;
    placed_at: Date;
    paid_day: Day | null;
    reversed_at: Date | null;
  };
  traffic_order_credits: {
    order_id: string;
    sku_id: string;
    impression_id: string;
    store_id: string;
    source: TrafficSource;
    item_key: string;
    quantity: number;
    amount_fen: BigCount;
  };
  traffic_viewer_links: { anon_id: string; buyer_id: string; linked_at: Date };
  traffic_interests: { buyer_id: string; vector: number[]; updated_at: Date };
  traffic_settings: { id: number; settings: unknown; updated_at: Date; updated_by: string | null };
  traffic_contracts: {
    day: Day;
    store_id: string;
    source: Exclude<TrafficSource, 'organic'>;
    kind: 'minimum' | 'budget';
    target_impressions: number;
    starts_at: Date | null;
    ends_at: Date | null;
  };
  traffic_launch_grants: {
    id: string;
    store_id: string;
    impressions: number;
    starts_on: Day;
    ends_on: Day;
    granted_by: 'auto' | 'operator' | 'village';
    operator_id: string | null;
    note: string;
    created_at: Date;
  };
  traffic_fuyao_grants: {
    store_id: string;
    starts_on: Day;
    ends_on: Day;
    budget_per_day: number;
    checks: unknown;
    granted_at: Date;
  };
}

/** The database as the traffic module sees it: its own tables only. */
export type TrafficDb = Kysely<TrafficTables>;
