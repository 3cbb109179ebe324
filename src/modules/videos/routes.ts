import fs from 'node:fs';
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  commentBody,
  commentPage,
  cursorQuery,
  feedPage,
  feedVideo,
  likeAnswer,
  myVideos,
  updateVideoBody,
  uploadQuery,
  videoSummary,
  viewAnswer,
} from './api-schema.ts';
import { parseRange } from './media.ts';
import { isFsError, type VideosService } from './service.ts';

const tags = ['videos'];
const bytes = (types: string[], description: string) => ({
  description,
  content: Object.fromEntries(
    types.map((t) => [t, { schema: z.custom<Readable>().meta({ type: 'string', format: 'binary' }) }]),
  ),
});
const VIDEO_TYPES = ['video/mp4', 'video/webm'];
const notFoundVideo = errorResponse('No such video, or not published (`not_found`)');
const linkErrors = errorResponse(
  'Invalid input (`validation_failed`), a product not of this store or not on sale (`invalid_video_product`), ' +
    'a session not of this store (`invalid_live_session`), a session on a seeding/plain video ' +
    '(`video_session_not_allowed`), no session on a reservation video (`reservation_needs_session`), ' +
    'no title (`video_needs_title`)',
);
const sessionOver = errorResponse(
  'The announced live session has ended or was cancelled (`live_session_over`)',
);

/** Merchant upload and publishing, the buyers' feed, likes, comments, views, and the files (range requests). */
export function videosRoutes(videos: VideosService, maxUploadBytes: number) {
  return async (fastify: FastifyInstance) => {
    // Multipart only here: the rest of the API keeps its JSON body rules.
    await fastify.register(multipart, {
      limits: { fileSize: maxUploadBytes, files: 1, fields: 0, parts: 2, fieldSize: 1024 },
    });
    const app = zodApi(fastify);

    // ---- merchant ----

    app.post(
      '/merchant/videos',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'uploadVideo',
          summary:
            'Upload a video (multipart/form-data, one part `file`: MP4 or WebM, checked by content) with its title, kind and links in the query; a draft with poster and duration',
          querystring: uploadQuery,
          response: {
            201: videoSummary.describe('The video, a draft until published'),
            400: errorResponse(
              'No file part (`video_missing`), a cut-off or malformed body (`upload_incomplete`), an empty file (`video_empty`), or invalid links (as for publishing)',
            ),
            409: sessionOver,
            413: errorResponse('Larger than the limit (`video_too_large`); nothing is kept'),
            415: errorResponse(
              'Not an MP4/WebM video with a video stream (`unsupported_video`); nothing is kept',
            ),
            503: errorResponse(
              'The server has no ffmpeg (`video_tools_missing`) or could not run it just now (`video_tools_failed`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const actor = routeStore(req);
        if (!req.isMultipart())
          throw new AppError(
            400,
            'video_missing',
            'Send the video as multipart/form-data with a `file` part',
          );
        let file: Awaited<ReturnType<typeof req.file>>;
        try {
          file = await req.file();
        } catch (err) {
          if (isFsError(err)) throw err;
          throw new AppError(
            400,
            'upload_incomplete',
            'The upload was cut off or is not well-formed multipart',
          );
        }
        if (!file) throw new AppError(400, 'video_missing', 'Send one `file` part with the video');
        const q = req.query;
        const video = await videos.upload(actor, file.file, {
          productIds: q.productIds,
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.title !== undefined ? { title: q.title } : {}),
          ...(q.liveSessionId ? { liveSessionId: q.liveSessionId } : {}),
        });
        return reply.status(201).send(video);
      },
    );

    app.get(
      '/merchant/videos',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listMyVideos',
          summary: "My store's videos, newest first, with views, likes and comments",
          response: { 200: myVideos },
        },
      },
      async (req) => ({ items: await videos.listMine(routeStore(req)) }),
    );

    app.patch(
      '/merchant/videos/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'updateMyVideo',
          summary: 'Change the title, kind, linked products or the announced session',
          params: idParam,
          body: updateVideoBody,
          response: { 200: videoSummary, 400: linkErrors, 404: notFoundVideo, 409: sessionOver },
        },
      },
      async (req) => videos.update(routeStore(req), req.params.id, req.body),
    );

    app.post(
      '/merchant/videos/:id/publish',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'publishMyVideo',
          summary: 'Publish into the buyers’ feed (a title, and for a reservation video its session)',
          params: idParam,
          response: { 200: videoSummary, 400: linkErrors, 404: notFoundVideo, 409: sessionOver },
        },
      },
      async (req) => videos.publish(routeStore(req), req.params.id),
    );

    app.post(
      '/merchant/videos/:id/hide',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'hideMyVideo',
          summary: 'Take the video out of the feed',
          params: idParam,
          response: { 200: videoSummary, 404: notFoundVideo },
        },
      },
      async (req) => videos.hide(routeStore(req), req.params.id),
    );

    // ---- buyers (and anyone) ----

    app.get(
      '/videos/feed',
      {
        schema: {
          tags,
          operationId: 'getVideoFeed',
          summary:
            'The vertical feed: published videos, newest first, 10 a page, with products at their final price',
          querystring: cursorQuery,
          response: {
            200: feedPage,
            400: errorResponse('A cursor this list did not give (`invalid_cursor`)'),
          },
        },
      },
      async (req) => videos.feed(req.actor, req.query.cursor),
    );

    app.get(
      '/videos/:id',
      {
        schema: {
          tags,
          operationId: 'getVideo',
          summary: 'One published video as the feed shows it',
          params: idParam,
          response: { 200: feedVideo, 404: notFoundVideo },
        },
      },
      async (req) => videos.feedItem(req.actor, req.params.id),
    );

    for (const on of [true, false]) {
      const route = {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: on ? 'likeVideo' : 'unlikeVideo',
          summary: on ? 'Like the video (once; again changes nothing)' : 'Take my like back',
          params: idParam,
          response: { 200: likeAnswer, 404: notFoundVideo },
        },
      };
      const handler = async (req: { params: { id: string } } & Parameters<typeof routeActor>[0]) =>
        videos.like(routeActor(req), req.params.id, on);
      if (on) app.put('/videos/:id/like', route, (req) => handler(req));
      else app.delete('/videos/:id/like', route, (req) => handler(req));
    }

    app.get(
      '/videos/:id/comments',
      {
        schema: {
          tags,
          operationId: 'listVideoComments',
          summary: 'Comments, newest first, 20 a page',
          params: idParam,
          querystring: cursorQuery,
          response: {
            200: commentPage,
            400: errorResponse('A cursor this list did not give (`invalid_cursor`)'),
            404: notFoundVideo,
          },
        },
      },
      async (req) => videos.comments(req.actor, req.params.id, req.query.cursor),
    );

    app.post(
      '/videos/:id/comments',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'commentVideo',
          summary: 'Comment on the video: one line, 1–200 characters, a few a minute',
          params: idParam,
          body: commentBody,
          response: {
            201: z.object({ comment: commentPage.shape.items.element }),
            404: notFoundVideo,
            429: errorResponse(
              'Too many comments in the last minute (`rate_limited`); Retry-After says when',
            ),
          },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send({ comment: await videos.comment(routeActor(req), req.params.id, req.body.body) }),
    );

    app.post(
      '/videos/:id/views',
      {
        schema: {
          tags,
          operationId: 'countVideoView',
          summary: 'The view beacon: the player counts a view once it has played a moment',
          params: idParam,
          response: {
            200: viewAnswer,
            404: notFoundVideo,
            429: errorResponse('Too many views from this client (`rate_limited`)'),
          },
        },
      },
      async (req) => videos.view(req.params.id, req.actor?.accountId ?? req.ip),
    );

    // ---- files ----

    app.get(
      '/videos/:id/file',
      {
        schema: {
          tags,
          operationId: 'getVideoFile',
          summary: 'The video file; honours one `Range: bytes=` range (206) so players can seek',
          params: idParam,
          response: {
            200: bytes(VIDEO_TYPES, 'The whole file'),
            206: bytes(VIDEO_TYPES, 'The range asked for (Content-Range)'),
            404: notFoundVideo,
            416: errorResponse('The range lies past the end (`range_not_satisfiable`)'),
          },
        },
      },
      async (req, reply) => {
        const row = await videos.visible(req.actor, req.params.id);
        const file = videos.filesOf(row).video;
        const size = await fs.promises.stat(file).then(
          (s) => s.size,
          () => {
            throw notFound('Video file');
          },
        );
        reply
          .header('accept-ranges', 'bytes')
          .header('content-type', row.content_type)
          .header('cache-control', 'private, max-age=3600');
        const range = parseRange(req.headers.range, size);
        if (range === 'unsatisfiable') {
          reply.header('content-range', `bytes */${size}`);
          throw new AppError(416, 'range_not_satisfiable', 'The range lies past the end of the file');
        }
        if (!range) return reply.header('content-length', size).send(fs.createReadStream(file));
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', range.end - range.start + 1)
          .send(fs.createReadStream(file, { start: range.start, end: range.end }));
      },
    );

    app.get(
      '/videos/:id/poster.jpg',
      {
        schema: {
          tags,
          operationId: 'getVideoPoster',
          summary: 'The poster frame (JPEG)',
          params: idParam,
          response: { 200: bytes(['image/jpeg'], 'The poster'), 404: notFoundVideo },
        },
      },
      async (req, reply) => {
        const row = await videos.visible(req.actor, req.params.id);
        const poster = videos.filesOf(row).poster;
        const size = await fs.promises.stat(poster).then(
          (s) => s.size,
          () => {
            throw notFound('Poster');
          },
        );
        return reply
          .header('content-type', 'image/jpeg')
          .header('content-length', size)
          .header('cache-control', 'private, max-age=3600')
          .send(fs.createReadStream(poster));
      },
    );
  };
}
