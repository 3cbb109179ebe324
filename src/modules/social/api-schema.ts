import { z } from 'zod';

export const FOLLOW_SOURCES = ['live', 'video', 'store', 'coupon', 'product', 'other'] as const;
export const followSource = z.enum(FOLLOW_SOURCES).meta({
  description: 'Where the buyer followed from: live room, short video, store page, coupon, product page',
});
export type FollowSource = z.infer<typeof followSource>;

export const followBody = z.object({ source: followSource }).strict();

export const followState = z
  .object({
    following: z
      .boolean()
      .meta({ description: 'Whether I follow the store (false when not signed in as a buyer)' }),
    fans: z.number().int().nonnegative().meta({ description: "The store's fans now" }),
  })
  .meta({ id: 'FollowState' });
export type FollowState = z.infer<typeof followState>;

export const followedStore = z.object({
  storeId: z.guid(),
  name: z.string(),
  fans: z.number().int().nonnegative(),
  followedAt: z.iso.datetime(),
});
export type FollowedStore = z.infer<typeof followedStore>;
export const myFollows = z.object({
  items: z.array(followedStore).meta({ description: 'Newest follow first, at most 200' }),
});
