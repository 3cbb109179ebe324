import type { FastifyInstance } from 'fastify';
import type { GrowthService } from './service.ts';

export function growthRoutes(_growth: GrowthService) {
  return async (_fastify: FastifyInstance) => {};
}
