import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import { followBody, followState, myFollows } from './api-schema.ts';
import type { SocialService } from './service.ts';

const tags = ['social'];
const noStore = errorResponse('No such open store (`not_found`)');

/** Following stores (buyers), fan counts (anyone). */
export function socialRoutes(social: SocialService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.put(
      '/stores/:id/follow',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'followStore',
          summary: 'Follow a store, saying from where; following again changes nothing',
          params: idParam,
          body: followBody,
          response: { 200: followState, 404: noStore },
        },
      },
      async (req) => social.follow(routeActor(req), req.params.id, req.body.source),
    );

    app.delete(
      '/stores/:id/follow',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'unfollowStore',
          summary: 'Stop following a store; not following already changes nothing',
          params: idParam,
          response: { 200: followState },
        },
      },
      async (req) => social.unfollow(routeActor(req), req.params.id),
    );

    app.get(
      '/stores/:id/follow',
      {
        schema: {
          tags,
          operationId: 'getStoreFollow',
          summary: 'Whether I follow the store, and its fan count (anyone: the count alone when not a buyer)',
          params: idParam,
          response: { 200: followState, 404: noStore },
        },
      },
      async (req) => social.followState(req.actor, req.params.id),
    );

    app.get(
      '/me/follows',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyFollows',
          summary: 'The stores I follow, newest first',
          response: { 200: myFollows },
        },
      },
      async (req) => social.myFollows(routeActor(req)),
    );
  };
}
