import type { FastifyInstance } from 'fastify';
import { routeStore, signedIn } from '../../platform/auth.ts';
import { zodApi } from '../../platform/routes.ts';
import { dashboard, metricsQuery } from './api-schema.ts';
import type { AnalyticsService } from './service.ts';

const tags = ['analytics'];

export function analyticsRoutes(analytics: AnalyticsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/ops/metrics',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getPlatformMetrics',
          summary: "The platform's figures by month with month-on-month and year-on-year change",
          querystring: metricsQuery,
          response: { 200: dashboard },
        },
      },
      async (req) => analytics.platformDashboard(req.query),
    );

    app.get(
      '/merchant/metrics',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreMetrics',
          summary: "My store's figures by month with month-on-month and year-on-year change",
          querystring: metricsQuery,
          response: { 200: dashboard },
        },
      },
      async (req) => analytics.storeDashboard(routeStore(req).storeId, req.query),
    );
  };
}
