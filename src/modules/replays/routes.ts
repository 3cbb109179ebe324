import type { FastifyInstance } from 'fastify';
import { routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { zodApi } from '../../platform/routes.ts';
import {
  channelShare,
  channelShareQuery,
  clipJob,
  clipJobList,
  cutClipBody,
  sessionParams,
  sessionReport,
} from './api-schema.ts';
import type { ReplaysService } from './service.ts';

const tags = ['replays'];

export function replaysRoutes(replays: ReplaysService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/merchant/live/sessions/:id/report',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getLiveSessionReport',
          summary:
            "My live session's report: hit products by GMV and units, suggested replay clips, clip jobs, and the loop reservation videos → reservations → viewers → live orders → replay orders",
          params: sessionParams,
          response: {
            200: sessionReport,
            404: errorResponse('No such session of my store (`not_found`)'),
          },
        },
      },
      async (req) => replays.report(routeStore(req).storeId, req.params.id),
    );

    app.get(
      '/merchant/live/sessions/:id/replay-clips',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getReplayClipJobs',
          summary: "My live session's replay clip jobs (cut from the recording), newest first",
          params: sessionParams,
          response: {
            200: clipJobList,
            404: errorResponse('No such session of my store (`not_found`)'),
          },
        },
      },
      async (req) => ({ jobs: await replays.listJobs(routeStore(req).storeId, req.params.id) }),
    );

    app.post(
      '/merchant/live/sessions/:id/replay-clips',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'postReplayClip',
          summary:
            "Cut a replay clip (返场) of one of the session's products from its recording and publish it as a replay video with the product's cart link: queued as a background job (202); the same clip asked again is the same job (200)",
          params: sessionParams,
          body: cutClipBody,
          response: {
            200: clipJob,
            202: clipJob,
            404: errorResponse('No such session of my store (`not_found`)'),
            409: errorResponse(
              'The session has not ended (`replay_session_not_ended`) or has no recording (`replay_no_recording`)',
            ),
            422: errorResponse(
              'The product was not sold in the session (`replay_product_not_in_session`) or the clip starts after the recording ends (`replay_clip_out_of_range`)',
            ),
            503: errorResponse('ffmpeg is not installed on the server (`replay_ffmpeg_missing`)'),
          },
        },
      },
      async (req, reply) => {
        const { job, created } = await replays.requestClip(routeStore(req).storeId, req.params.id, req.body);
        return reply.code(created ? 202 : 200).send(job);
      },
    );

    app.get(
      '/merchant/growth/channel-share',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getChannelShare',
          summary:
            "My store's GMV share by channel over the last days: short videos, live rooms, replay clips and other channels",
          querystring: channelShareQuery,
          response: { 200: channelShare },
        },
      },
      async (req) => replays.channelShare(routeStore(req).storeId, req.query.days),
    );
  };
}
