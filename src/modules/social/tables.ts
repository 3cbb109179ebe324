import type { Kysely } from 'kysely';
import type { FollowSource } from './api-schema.ts';

/** The tables social's migrations create; no other module queries them. */
export interface SocialTables {
  social_follows: { store_id: string; buyer_id: string; source: FollowSource; followed_at: Date };
  social_fan_days: {
    store_id: string;
    day: string;
    source: FollowSource;
    followed: number;
    unfollowed: number;
  };
  social_fan_totals: { store_id: string; fans: number };
  social_plan_settings: {
    id: number;
    target_pct: number;
    days: number;
    min_gain: number;
    max_store_age_days: number;
    impressions_per_fan: number;
    max_daily_impressions: number;
    updated_at: Date | null;
    updated_by: string | null;
  };
  social_plan_stores: {
    store_id: string;
    started_on: string;
    ends_on: string;
    start_fans: number;
    target_fans: number;
    enrolled_by: string;
    enrolled_at: Date;
  };
}

/** The database as social sees it: its own tables only. */
export type SocialDb = Kysely<SocialTables>;
