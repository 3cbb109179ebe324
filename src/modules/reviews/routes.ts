import type { FastifyInstance } from 'fastify';
import { zodApi } from '../../platform/routes.ts';
import type { ReviewsService } from './service.ts';

/** Buyer and public review routes. */
export function reviewsRoutes(_reviews: ReviewsService) {
  return async (fastify: FastifyInstance) => {
    zodApi(fastify);
  };
}
