import type { FastifyInstance } from 'fastify';
import { zodApi } from '../../platform/routes.ts';
import type { ReviewModerationService } from './moderation-service.ts';

/** Merchant (reply, report) and operator (moderation queue, hide) review routes. */
export function moderationRoutes(_moderation: ReviewModerationService) {
  return async (fastify: FastifyInstance) => {
    zodApi(fastify);
  };
}
