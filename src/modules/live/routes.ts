import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { socketOriginAllowed } from '../inbox/index.ts';
import {
  commentAnswer,
  commentBody,
  createSessionBody,
  merchantSessionAnswer,
  merchantSessionDetail,
  merchantSessionList,
  pinBody,
  publicSessionDetail,
  publicSessionList,
  pushCouponBody,
  reservationAnswer,
  reserveBody,
  roomCoupon,
} from './api-schema.ts';
import type { LiveRooms } from './room.ts';
import type { LiveService } from './service.ts';

const tags = ['live'];
const noSession = errorResponse('No such live session (`not_found`)');
const notMine = errorResponse("No such session of my store (`not_found`): another store's is not found");
const viewerQuery = z.object({
  viewer: z.uuid().optional().meta({ description: 'An anonymous client id, to count unique viewers' }),
});

/** Live sessions: the merchant's scheduling and console, the buyers' list, room, reservations and comments. */
export function liveRoutes(live: LiveService, rooms: LiveRooms) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    // ---- merchant ----

    app.post(
      '/merchant/live/sessions',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'createLiveSession',
          summary: 'Schedule a live session: title, time, the products to sell (my store’s)',
          body: createSessionBody,
          response: {
            201: merchantSessionAnswer,
            422: errorResponse('A product is not one of my store (`product_not_in_store`)'),
          },
        },
      },
      async (req, reply) => reply.status(201).send(await live.create(routeActor(req), req.body)),
    );

    app.get(
      '/merchant/live/sessions',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listMyLiveSessions',
          summary: "My store's live sessions with their reservations",
          response: { 200: merchantSessionList },
        },
      },
      async (req) => live.merchantSessions(routeActor(req)),
    );

    app.get(
      '/merchant/live/sessions/:id',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMyLiveSession',
          summary:
            'The live console: the stream key and ingest URL, products, viewers, comments, orders and GMV from the room',
          params: idParam,
          response: { 200: merchantSessionDetail, 404: notMine },
        },
      },
      async (req) => live.merchantSession(routeActor(req), req.params.id),
    );

    app.post(
      '/merchant/live/sessions/:id/start',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'startLiveSession',
          summary: 'Go live: every buyer who reserved it is notified',
          params: idParam,
          response: {
            200: merchantSessionAnswer,
            404: notMine,
            409: errorResponse('Only a scheduled session starts (`session_not_scheduled`)'),
          },
        },
      },
      async (req) => live.start(routeActor(req), req.params.id),
    );

    app.post(
      '/merchant/live/sessions/:id/stop',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'stopLiveSession',
          summary: 'End a live session (a scheduled one is cancelled)',
          params: idParam,
          response: {
            200: merchantSessionAnswer,
            404: notMine,
            409: errorResponse('The session is already over (`session_over`)'),
          },
        },
      },
      async (req) => live.stop(routeActor(req), req.params.id),
    );

    app.put(
      '/merchant/live/sessions/:id/pin',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'pinLiveProduct',
          summary: 'Pin the product being presented (讲解中); null unpins',
          params: idParam,
          body: pinBody,
          response: {
            200: merchantSessionAnswer,
            404: notMine,
            409: errorResponse('The session is not live (`session_not_live`)'),
            422: errorResponse('Not one of the session’s products (`product_not_in_session`)'),
          },
        },
      },
      async (req) => live.pin(routeActor(req), req.params.id, req.body.productId),
    );

    app.post(
      '/merchant/live/sessions/:id/coupons',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'pushLiveCoupon',
          summary: 'Push one of my store’s claimable coupons into the room',
          params: idParam,
          body: pushCouponBody,
          response: {
            200: z.object({ coupon: roomCoupon }),
            404: notMine,
            409: errorResponse('The session is not live (`session_not_live`)'),
            422: errorResponse('Not a coupon of my store that can be claimed now (`coupon_not_claimable`)'),
          },
        },
      },
      async (req) => live.pushCoupon(routeActor(req), req.params.id, req.body.couponId),
    );

    // ---- buyers and the public ----

    app.get(
      '/live/sessions',
      {
        schema: {
          tags,
          operationId: 'listLiveSessions',
          summary: 'Sessions live now and upcoming, with whether I reserved them',
          response: { 200: publicSessionList },
        },
      },
      async (req) => live.publicSessions(req.actor),
    );

    app.get(
      '/live/sessions/:id',
      {
        schema: {
          tags,
          operationId: 'getLiveSession',
          summary:
            'A live room: products with final prices, the pinned one, comments, sales, coupons to claim',
          params: idParam,
          response: { 200: publicSessionDetail, 404: noSession },
        },
      },
      async (req) => live.publicSession(req.actor, req.params.id),
    );

    app.post(
      '/live/sessions/:id/reservations',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'reserveLiveSession',
          summary: 'Reserve (预约) a session, once: notified when it starts. Again: no change (200)',
          params: idParam,
          body: reserveBody,
          response: {
            200: reservationAnswer.describe('Already reserved'),
            201: reservationAnswer.describe('Reserved'),
            404: noSession,
            409: errorResponse('The session is over (`session_over`)'),
            422: errorResponse(
              'The video is not a published reservation video of this session (`video_not_for_session`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const { created, ...answer } = await live.reserve(routeActor(req), req.params.id, req.body);
        return reply.status(created ? 201 : 200).send(answer);
      },
    );

    app.delete(
      '/live/sessions/:id/reservations',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'cancelLiveReservation',
          summary: 'Cancel my reservation',
          params: idParam,
          response: { 200: reservationAnswer, 404: noSession },
        },
      },
      async (req) => live.unreserve(routeActor(req), req.params.id),
    );

    app.post(
      '/live/sessions/:id/comments',
      {
        config: signedIn(),
        schema: {
          tags,
          operationId: 'commentLiveSession',
          summary: 'Comment in a live room (one line, 1–120 characters, 5 per 10 s); also on the room socket',
          params: idParam,
          body: commentBody,
          response: {
            201: commentAnswer,
            404: noSession,
            409: errorResponse('The session is not live (`session_not_live`)'),
            429: errorResponse('Too many comments (`rate_limited`); Retry-After says when'),
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await live.comment(routeActor(req), req.params.id, req.body.text)),
    );

    // The room (WebSocket; not in the OpenAPI document, which cannot describe it). Anyone may watch;
    // a signed-in socket must come from our own origin, and only it may send
    // `{type:'comment', text}`. The server sends the room's messages (viewers, comment, pinned, sale,
    // session, coupon, flash) and `{type:'error', code, message}` for a refused comment.
    fastify.get(
      '/live/sessions/:id/room',
      {
        websocket: true,
        schema: { hide: true },
        preValidation: async (req) => {
          const params = idParam.safeParse(req.params);
          if (!params.success) throw notFound('Live session');
          if (req.actor && !socketOriginAllowed(req)) throw forbidden('A WebSocket from another origin');
          const session = await live.getSession(params.data.id);
          if (!session || session.status === 'cancelled') throw notFound('Live session');
        },
      },
      (socket, req) => {
        const sessionId = (req.params as { id: string }).id;
        const actor = req.actor;
        const anon = viewerQuery.safeParse(req.query);
        const viewerKey = actor
          ? `account:${actor.accountId}`
          : anon.success && anon.data.viewer
            ? `anon:${anon.data.viewer}`
            : `ip:${req.ip}`;
        const leave = rooms.join(sessionId, socket);
        socket.on('close', leave);
        socket.on('error', leave);
        socket.send(JSON.stringify({ type: 'viewers', count: rooms.viewers(sessionId) }));
        void live
          .getSession(sessionId)
          .then((s) => (s?.status === 'live' ? live.noteViewer(sessionId, viewerKey) : undefined))
          .catch(() => {});
        socket.on('message', (data: Buffer) => {
          void handleMessage(String(data)).catch(() => {});
        });
        const sendError = (code: string, message: string) => {
          if (socket.readyState === socket.OPEN)
            socket.send(JSON.stringify({ type: 'error', code, message }));
        };
        async function handleMessage(raw: string) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw);
          } catch {
            return sendError('validation_failed', 'Not JSON');
          }
          const msg = z.object({ type: z.literal('comment'), text: z.unknown() }).safeParse(parsed);
          if (!msg.success) return sendError('validation_failed', 'Unknown message');
          if (!actor) return sendError('unauthorized', 'Sign in to comment');
          const body = commentBody.safeParse({ text: msg.data.text });
          if (!body.success)
            return sendError('validation_failed', body.error.issues[0]?.message ?? 'Invalid');
          try {
            await live.comment(actor, sessionId, body.data.text);
          } catch (err) {
            if (err instanceof AppError) return sendError(err.code, err.message);
            return sendError('internal', 'The comment was not sent');
          }
        }
      },
    );
  };
}
