import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';

export const SESSION_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The most products one session sells. */
export const MAX_SESSION_PRODUCTS = 50;
/** A comment's most characters (after trimming), and the most one account sends per window. */
export const MAX_COMMENT_CHARS = 120;
export const COMMENTS_PER_WINDOW = 5;
export const COMMENT_WINDOW_SECONDS = 10;

/** What other modules read of a session (the LiveService contract). Times are ISO strings. */
export const sessionSummary = z
  .object({
    id: z.guid(),
    storeId: z.guid(),
    title: z.string(),
    scheduledAt: z.iso.datetime(),
    status: z.enum(SESSION_STATUSES),
    startedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    productIds: z.array(z.guid()).meta({ description: 'The products to sell, in order' }),
    pinnedProductId: z.guid().nullable().meta({ description: 'The product being presented (讲解中)' }),
  })
  .meta({ id: 'LiveSessionSummary' });
export type LiveSessionSummary = z.infer<typeof sessionSummary>;

export const liveProduct = z
  .object({
    id: z.guid(),
    title: z.string(),
    image: z.string(),
    priceFen: z.number().int().meta({ description: 'The lowest final price (到手价) of its SKUs' }),
    onSale: z.boolean(),
  })
  .meta({ id: 'LiveProduct' });

export const liveComment = z
  .object({ id: z.guid(), name: z.string(), text: z.string(), at: z.iso.datetime() })
  .meta({ id: 'LiveComment' });

export const liveSale = z
  .object({
    name: z.string().meta({ description: 'The buyer, masked' }),
    productTitle: z.string(),
    quantity: z.number().int(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'LiveSale' });

export const roomCoupon = z
  .object({
    id: z.guid(),
    title: z.string(),
    discountFen: z.number().int(),
    thresholdFen: z.number().int(),
    endsAt: z.iso.datetime(),
  })
  .meta({ id: 'LiveRoomCoupon' });

const listedSession = sessionSummary.extend({
  storeName: z.string(),
  cover: z.string().nullable(),
  reservations: z.number().int(),
  reservedByMe: z.boolean(),
  viewers: z.number().int().meta({ description: 'Watching now (0 unless live)' }),
});

export const publicSessionList = z.object({
  items: z.array(listedSession).meta({ description: 'Live now first, then upcoming by time; at most 100' }),
});

export const publicSessionDetail = z.object({
  session: listedSession.extend({
    products: z.array(liveProduct),
    comments: z.array(liveComment).meta({ description: 'The latest, oldest first' }),
    sales: z.array(liveSale).meta({ description: 'The latest sales in the room, newest first' }),
    coupons: z.array(roomCoupon).meta({ description: "The store's coupons to claim in the room" }),
  }),
});

export const reservationAnswer = z.object({
  reserved: z.boolean(),
  reservations: z.number().int(),
});

export const reserveBody = z
  .object({
    sourceVideoId: z.guid().optional().meta({ description: 'The reservation video it was made from' }),
  })
  .strict();

export const commentBody = z.object({ text: singleLineText({ min: 1, max: MAX_COMMENT_CHARS }) }).strict();
export const commentAnswer = z.object({ comment: liveComment });

/** A cover picture: an https: URL or one of our own paths (`/api/v1/...`); never javascript:/data:. */
const coverUrl = z
  .string()
  .max(500)
  .refine(
    (v) => {
      if (/^\/api\/v1\/[^\s\\]*$/.test(v) && !v.startsWith('/api/v1//')) return true;
      try {
        const u = new URL(v);
        return u.protocol === 'https:' && u.hostname !== '' && !/[\s\\]/.test(v);
      } catch {
        return false;
      }
    },
    { message: 'An https: URL or a path under /api/v1/' },
  )
  .meta({ description: 'An https: URL or a path of ours under /api/v1/' });

export const createSessionBody = z
  .object({
    title: singleLineText({ min: 1, max: 60 }),
    cover: coverUrl.nullable().optional(),
    scheduledAt: z.iso.datetime({ offset: true }),
    productIds: z.array(z.guid()).min(1).max(MAX_SESSION_PRODUCTS),
  })
  .strict();

export const pinBody = z
  .object({ productId: z.guid().nullable().meta({ description: 'null: nothing presented' }) })
  .strict();
export const pushCouponBody = z.object({ couponId: z.guid() }).strict();

const merchantListed = sessionSummary.extend({
  cover: z.string().nullable(),
  reservations: z.number().int(),
  createdAt: z.iso.datetime(),
});
export const merchantSessionList = z.object({
  items: z.array(merchantListed).meta({ description: 'Newest scheduled time first, at most 200' }),
});

// Inline, not a named schema: a nullable reference with a description is not valid OpenAPI 3.0.
export const ingestInfoSchema = z.object({ rtmpUrl: z.string(), streamKey: z.string(), playUrl: z.string() });

export const merchantSessionDetail = z.object({
  session: merchantListed.extend({
    streamKey: z.string().meta({ description: 'Secret: the publisher (OBS/ffmpeg) authenticates with it' }),
    ingest: ingestInfoSchema.nullable().meta({ description: 'Where to push the stream, when ingest runs' }),
    products: z.array(liveProduct),
    viewers: z.number().int(),
    uniqueViewers: z.number().int(),
    peakViewers: z.number().int(),
    orders: z.number().int().meta({ description: 'Paid orders attributed to the session' }),
    gmvFen: z.number().int().meta({ description: 'What those orders paid for the lines from the room' }),
    comments: z.array(liveComment),
    sales: z.array(liveSale),
    coupons: z
      .array(roomCoupon)
      .meta({ description: 'Coupons of the store that can be pushed into the room' }),
  }),
});
export const merchantSessionAnswer = z.object({ session: merchantListed });
