import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { ingestStatus, merchantIngest } from './api-schema.ts';
import type { IngestService } from './service.ts';

const tags = ['ingest'];
/** A binary body in the document; in code, the upstream stream. */
const flvBytes = z.custom<Readable>().meta({ type: 'string', format: 'binary' });

export function ingestRoutes(ingest: IngestService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/merchant/live/sessions/:id/ingest',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getLiveIngest',
          summary: "My session's RTMP URL and stream key for OBS/ffmpeg, and whether it is on air",
          params: idParam,
          response: {
            200: merchantIngest,
            403: errorResponse('No store yet (`forbidden`)'),
            404: errorResponse('No such session of my store (`not_found`)'),
          },
        },
      },
      async (req) => ingest.merchantIngest(routeActor(req), req.params.id, req.headers.host),
    );

    app.get(
      '/live/sessions/:id/ingest-status',
      {
        schema: {
          tags,
          operationId: 'getLiveIngestStatus',
          summary: 'Whether the session is on air now (no key, no URLs): the player waits for it',
          params: idParam,
          response: { 200: ingestStatus.pick({ publishing: true, since: true }) },
        },
      },
      async (req) => {
        const s = await ingest.status(req.params.id);
        return { publishing: s.publishing, since: s.since };
      },
    );

    app.get(
      '/live/sessions/:id/stream.flv',
      {
        // A live stream: never buffered for compression.
        compress: false,
        schema: {
          tags,
          operationId: 'playLiveStream',
          summary: "The session's live video as HTTP-FLV (H.264/AAC), for mpegts.js; endless while on air",
          params: idParam,
          // The bytes go out as a stream, never through a serializer: this only describes the answer.
          response: {
            200: {
              description: 'The live FLV stream',
              content: { 'video/x-flv': { schema: flvBytes } },
            },
            404: errorResponse('The session is not on air (`not_found`)'),
          },
        },
      },
      async (req, reply) => {
        const upstream = await ingest.openPlayback(req.params.id);
        if (!upstream) throw notFound('Live stream');
        // The viewer left: drop the upstream connection too.
        req.raw.on('close', () => upstream.destroy());
        return reply
          .header('content-type', 'video/x-flv')
          .header('cache-control', 'no-store')
          .header('x-accel-buffering', 'no')
          .send(upstream);
      },
    );
  };
}
