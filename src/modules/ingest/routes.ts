import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { ingestStatus, merchantIngest } from './api-schema.ts';
import type { IngestService } from './service.ts';

const tags = ['ingest'];

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
          summary:
            'Whether the session is on air now, since when, bitrate and size (no key, no URLs): the player waits for it, the live console shows it',
          params: idParam,
          response: { 200: ingestStatus },
        },
      },
      async (req) => ingest.status(req.params.id),
    );

    app.get(
      '/live/sessions/:id/stream.flv',
      {
        // A live stream: never buffered for compression.
        compress: false,
        // Hidden from the document: an endless binary stream that exists only while a publisher is on
        // air, which neither the generated client nor the fuzz/input tests can exercise. Its id is
        // checked here; the answer is the FLV stream or a 404 in our error format.
        schema: { hide: true, params: idParam },
      },
      async (req, reply) => {
        const upstream = await ingest.openViewerPlayback(req.params.id);
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
