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
}

/** The database as social sees it: its own tables only. */
export type SocialDb = Kysely<SocialTables>;
