import { z } from 'zod';
import { singleLineText } from '../../platform/text.ts';

const id = z.guid();
const fen = z.number().int().meta({ description: 'Amount in fen (1/100 yuan)' });
const at = z.iso.datetime();

export const sessionParams = z.object({ id: z.guid() }).strict();

export const hitProduct = z
  .object({
    rank: z.number().int().min(1),
    productId: id,
    title: z.string(),
    units: z.number().int(),
    gmvFen: fen,
    orders: z.number().int(),
    gmvShare: z.number().meta({ description: "The product's part of the session's live GMV, 0..1" }),
  })
  .meta({ id: 'ReplayHitProduct' });

export const clipSuggestion = z
  .object({
    productId: id,
    title: z.string(),
    rank: z.number().int(),
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(1),
  })
  .meta({ id: 'ReplayClipSuggestion' });

export const CLIP_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export const clipJob = z
  .object({
    id,
    sessionId: id,
    productId: id,
    title: z.string(),
    fromMs: z.number().int(),
    toMs: z.number().int(),
    status: z.enum(CLIP_JOB_STATUSES),
    videoId: id.nullable().meta({ description: 'The published replay video, once done' }),
    error: z.string().nullable(),
    createdAt: at,
    finishedAt: at.nullable(),
  })
  .meta({ id: 'ReplayClipJob' });
export type ClipJob = z.infer<typeof clipJob>;

export const sessionLoop = z
  .object({
    reservationVideos: z.number().int(),
    reservationVideoViews: z.number().int(),
    reservations: z.number().int(),
    uniqueViewers: z.number().int(),
    peakViewers: z.number().int(),
    liveOrders: z.number().int(),
    liveUnits: z.number().int(),
    liveGmvFen: fen,
    replayClips: z.number().int(),
    replayClipViews: z.number().int(),
    replayOrders: z.number().int(),
    replayGmvFen: fen,
  })
  .meta({
    id: 'ReplaySessionLoop',
    description:
      'short → live → short for one session: reservation videos and their views → reservations → unique viewers → orders in the live room → orders from its replay clips after',
  });

export const sessionReport = z
  .object({
    session: z.object({
      id,
      title: z.string(),
      status: z.enum(['scheduled', 'live', 'ended', 'cancelled']),
      startedAt: at.nullable(),
      endedAt: at.nullable(),
    }),
    hits: z.array(hitProduct),
    suggestions: z.array(clipSuggestion),
    recording: z.object({
      available: z.boolean(),
      durationMs: z.number().int().nullable(),
    }),
    loop: sessionLoop,
    clipJobs: z.array(clipJob),
    canCut: z.boolean().meta({
      description: 'Whether a clip can be cut here now: the session ended, a recording and ffmpeg exist',
    }),
  })
  .meta({ id: 'ReplaySessionReport' });
export type SessionReport = z.infer<typeof sessionReport>;

export const MAX_CLIP_MS = 120_000;
export const MIN_CLIP_MS = 1_000;

export const cutClipBody = z
  .object({
    productId: id,
    fromMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3_600_000),
    toMs: z
      .number()
      .int()
      .min(1)
      .max(24 * 3_600_000),
    title: singleLineText({ min: 1, max: 80 }).optional(),
  })
  .strict()
  .refine((b) => b.toMs > b.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] })
  .refine((b) => b.toMs - b.fromMs <= MAX_CLIP_MS, {
    message: 'A clip is at most two minutes',
    path: ['toMs'],
  })
  .refine((b) => b.toMs - b.fromMs >= MIN_CLIP_MS, {
    message: 'A clip is at least one second',
    path: ['toMs'],
  });

export const clipJobList = z.object({ jobs: z.array(clipJob) }).meta({ id: 'ReplayClipJobs' });

export const SHARE_CHANNELS = ['video', 'live', 'replay', 'other'] as const;
export const channelShareQuery = z
  .object({ days: z.coerce.number().int().min(1).max(90).default(30) })
  .strict();
export const channelShare = z
  .object({
    days: z.number().int(),
    firstDay: z.string(),
    lastDay: z.string(),
    totalGmvFen: fen,
    channels: z.array(
      z.object({
        channel: z.enum(SHARE_CHANNELS),
        gmvFen: fen,
        orders: z.number().int(),
        share: z.number().meta({ description: 'Part of the total GMV, 0..1 (0 when nothing sold)' }),
      }),
    ),
  })
  .meta({
    id: 'ChannelShare',
    description:
      "The store's GMV by where it came from: short videos, live rooms, replay clips, and everything else (feed, search, store page, direct)",
  });
export type ChannelShare = z.infer<typeof channelShare>;
