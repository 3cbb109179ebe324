import type { Generated, Kysely } from 'kysely';
import type { BodyEstimate } from './body-estimate.ts';
import type { BodyForFit, FitOutcome } from './fit-model.ts';
import type { Measurements } from './profiles.ts';
import type { BodyAnswers } from './schemas.ts';

/** The tables sizing's migrations create; no other module queries them. */
export interface SizingTables {
  size_profiles: {
    id: string;
    account_id: string;
    label: 'self' | 'partner' | 'child' | 'other';
    /** Null: shown by its label in the reader's language. */
    name: string | null;
    answers: BodyAnswers;
    estimate: BodyEstimate;
    measurements: Measurements;
    created_at: Date;
    updated_at: Date;
    last_used_at: Date | null;
  };
  size_corrections: {
    level: 'category' | 'brand' | 'product' | 'buyer' | 'buyerGroup' | 'buyerWidth';
    key: string;
    value: number;
    n: number;
    updated_at: Date;
  };
  size_recommendations: {
    id: Generated<number>;
    account_id: string | null;
    product_id: string;
    profile_id: string | null;
    recommended_size: string | null;
    confidence: number;
    chart_source: 'product' | 'category';
    body: unknown;
    created_at: Date;
  };
  size_fit_outcomes: {
    id: string;
    account_id: string | null;
    /** Null only for imported outcomes. */
    order_id: string | null;
    sku_id: string | null;
    product_id: string;
    store_id: string;
    size: string;
    fit: FitOutcome;
    source: 'feedback' | 'aftersale' | 'import';
    body: BodyForFit;
    created_at: Date;
  };
  size_refund_lines: {
    order_id: string;
    sku_id: string;
    product_id: string;
    store_id: string;
    account_id: string | null;
    reason: 'size_too_small' | 'size_too_large';
    created_at: Date;
  };
  size_recommendation_tally: { day: string; anonymous: number };
}

/** The database as sizing sees it: its own tables only. */
export type SizingDb = Kysely<SizingTables>;
