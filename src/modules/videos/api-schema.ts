import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';
import { COMMENT_MAX, MAX_PRODUCTS, VIDEO_KINDS } from './service.ts';

export const videoKind = z.enum(VIDEO_KINDS);
const title = singleLineText({ max: 60 });

/** Upload's query: the video's title, kind and links (the body is multipart with one `file`). */
export const uploadQuery = z
  .object({
    kind: videoKind.optional(),
    title: title.optional(),
    liveSessionId: z.uuid().optional(),
    /** Comma-separated product ids. */
    productIds: z
      .string()
      .max(MAX_PRODUCTS * 37)
      .optional()
      .transform((s) => (s ? s.split(',').filter((x) => x !== '') : []))
      .pipe(z.array(z.uuid()).max(MAX_PRODUCTS)),
  })
  .strict();

export const updateVideoBody = z
  .object({
    kind: videoKind.optional(),
    title: title.optional(),
    productIds: z.array(z.uuid()).max(MAX_PRODUCTS).optional(),
    liveSessionId: z.uuid().nullable().optional(),
  })
  .strict();

export const videoSummary = z.object({
  id: z.uuid(),
  storeId: z.uuid(),
  kind: videoKind,
  title: z.string(),
  status: z.enum(['draft', 'published', 'hidden']),
  productIds: z.array(z.uuid()),
  liveSessionId: z.uuid().nullable(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  durationMs: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  likes: z.number().int(),
  comments: z.number().int(),
  views: z.number().int(),
  fileUrl: z.string(),
  posterUrl: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});

export const feedVideo = videoSummary.extend({
  storeName: z.string().describe("The video's store (what the card shows beside its Follow button)"),
  products: z.array(
    z.object({ id: z.uuid(), title: z.string(), image: z.string(), priceFen: z.number().int() }),
  ),
  session: z
    .object({ id: z.uuid(), title: z.string(), scheduledAt: z.string(), status: z.string() })
    .nullable()
    .describe('The live session a reservation video announces (or a replay clip replays)'),
  likedByMe: z.boolean(),
});

export const cursorQuery = z.object({ cursor: z.string().max(200).optional() }).strict();

export const feedPage = z.object({ items: z.array(feedVideo), nextCursor: z.string().nullable() });

export const videoComment = z.object({
  id: z.uuid(),
  name: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export const commentPage = z.object({ items: z.array(videoComment), nextCursor: z.string().nullable() });
export const commentBody = z.object({ body: singleLineText({ min: 1, max: COMMENT_MAX }) }).strict();
export const likeAnswer = z.object({ liked: z.boolean(), likes: z.number().int() });
export const viewAnswer = z.object({ views: z.number().int() });
export const myVideos = z.object({ items: z.array(videoSummary) });
