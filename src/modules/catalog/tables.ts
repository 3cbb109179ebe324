import type { ColumnType, Generated, Kysely } from 'kysely';
import type { FitType, ProductStatus, SizeChart, StockMovementKind } from './schema.ts';

/** The tables the catalog's migrations create; no other module queries them. */
export interface CatalogTables {
  categories: {
    id: string;
    parent_id: string | null;
    name_zh: string;
    name_en: string;
    sort: number;
    is_apparel: boolean;
  };
  products: {
    id: string;
    store_id: string;
    category_id: string;
    title: string;
    description: string;
    /** jsonb: written as JSON text. */
    images: ColumnType<string[], string, string>;
    status: ProductStatus;
    size_chart: ColumnType<SizeChart | null, string | null, string | null>;
    fit_type: FitType | null;
    brand: string;
    sales: number;
    created_at: Date;
    updated_at: Date;
  };
  skus: {
    id: string;
    product_id: string;
    size: string;
    color: string;
    price_fen: number;
    /** Sellable: on hand minus reserved (see migration 040). */
    stock: number;
    /** Units promised to orders not shipped yet. */
    reserved: Generated<number>;
    /** Bumped by every change of stock or reserved; an absolute set must name it. */
    stock_version: Generated<number>;
    position: number;
  };
  stock_movements: {
    id: Generated<number>;
    sku_id: string;
    at: Date;
    kind: StockMovementKind;
    actor: string;
    reason: string;
    ref: string | null;
    on_hand_delta: number;
    reserved_delta: number;
    on_hand: number;
    reserved: number;
    idempotency_key: string | null;
  };
}

/** The database as the catalog sees it: its own tables only. */
export type CatalogDb = Kysely<CatalogTables>;
