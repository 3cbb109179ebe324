import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { forbidden } from '../../platform/errors.ts';
import { zodApi } from '../../platform/routes.ts';
import { markReadAnswer, markReadBody, noticeList } from './api-schema.ts';
import type { InboxService } from './service.ts';
import { socketOriginAllowed } from './socket-origin.ts';

const tags = ['inbox'];

/** The notification centre: my notices, marking them read, and the live stream of new ones. */
export function inboxRoutes(inbox: InboxService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/me/notices',
      {
        config: signedIn(),
        schema: {
          tags,
          operationId: 'listMyNotices',
          summary:
            'My notices (e.g. a live session I reserved has started), newest first, with the unread count',
          response: { 200: noticeList },
        },
      },
      async (req) => inbox.list(routeActor(req)),
    );

    app.post(
      '/me/notices/read',
      {
        config: signedIn(),
        schema: {
          tags,
          operationId: 'markMyNoticesRead',
          summary: 'Mark these notices of mine read (all of them when `ids` is omitted)',
          body: markReadBody,
          response: { 200: markReadAnswer },
        },
      },
      async (req) => inbox.markRead(routeActor(req), req.body.ids),
    );

    // WebSocket (not in the OpenAPI document, which cannot describe it): `{type:'notice', notice}` for
    // each new notice of mine, and `{type:'unread', count}` on connecting. Same-origin pages only.
    fastify.get(
      '/me/notices/stream',
      {
        websocket: true,
        config: signedIn(),
        schema: { hide: true },
        preValidation: async (req) => {
          if (!socketOriginAllowed(req)) throw forbidden('A WebSocket from another origin');
        },
      },
      async (socket, req) => {
        const actor = routeActor(req);
        const unsubscribe = inbox.subscribe(actor.accountId, (message) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        });
        socket.on('close', unsubscribe);
        socket.on('error', unsubscribe);
        // Messages from the client are not expected: ignored.
        try {
          const count = await inbox.unread(actor.accountId);
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'unread', count }));
        } catch {
          // The stream still works; the count comes with the next list.
        }
      },
    );
  };
}
