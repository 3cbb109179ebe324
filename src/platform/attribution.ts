import { z } from 'zod';

/**
 * Where a buyer came from when they put something in the cart or checked out: the surface (channel)
 * and, when the platform showed it, the impression that was clicked (traffic module) and the content
 * (a short video, live session or replay clip) it came through. Orders keep it on cart items,
 * checkouts, orders and order lines, and publish it with their events, so the traffic module can credit
 * every order to the impression, and so the source (organic, cold-start, launch, Fuyao, fan-growth) that
 * produced it. A shared value type, like money: no module owns it.
 */
export const ATTRIBUTION_CHANNELS = ['feed', 'search', 'store', 'video', 'live', 'replay', 'direct'] as const;
export type AttributionChannel = (typeof ATTRIBUTION_CHANNELS)[number];

export const attributionSchema = z
  .object({
    channel: z.enum(ATTRIBUTION_CHANNELS).meta({
      description:
        'The surface the buyer came from: the feed, search, a store page, a short video, a live room, a replay clip, or none (direct)',
    }),
    impressionId: z
      .guid()
      .nullable()
      .default(null)
      .meta({ description: 'The feed impression that was clicked (from `GET /feed`), when there was one' }),
    contentId: z.guid().nullable().default(null).meta({
      description: 'The short video, live session or replay clip it came through, when there was one',
    }),
  })
  .strict()
  .meta({ id: 'Attribution' });
export type Attribution = z.infer<typeof attributionSchema>;

export const DIRECT: Attribution = { channel: 'direct', impressionId: null, contentId: null };
