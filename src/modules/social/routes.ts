import type { FastifyInstance } from 'fastify';
import type { SocialService } from './service.ts';

export function socialRoutes(_social: SocialService) {
  return async (_fastify: FastifyInstance) => {};
}
