import type { FastifyInstance } from 'fastify';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  guaranteeCostsView,
  orderProtectionView,
  payoutList,
  protectionCheckView,
  storeGuaranteeCostsView,
  storeGuaranteesView,
} from './api-schema.ts';
import type { GuaranteesService } from './service.ts';

const tags = ['guarantees'];

export function guaranteesRoutes(guarantees: GuaranteesService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/orders/:id/price-protection/check',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'checkPriceProtection',
          summary:
            'Compare what each line paid with what it costs now; a difference due within 7 days of payment is paid at once (once per price drop, so a retry pays nothing more)',
          params: idParam,
          response: { 200: protectionCheckView },
        },
      },
      async (req) => guarantees.check(routeActor(req), req.params.id),
    );

    app.get(
      '/stores/:id/guarantees',
      {
        schema: {
          tags,
          operationId: 'getStoreGuarantees',
          summary:
            "What a store's buyers can count on: 7-day price protection, refund without return, return shipping, pay later",
          params: idParam,
          response: { 200: storeGuaranteesView },
        },
      },
      async (req) => guarantees.storeGuarantees(req.params.id),
    );

    app.get(
      '/orders/:id/price-protection',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getOrderPriceProtection',
          summary: "An order's price protection: when the 7-day window ends, and its payouts",
          params: idParam,
          response: { 200: orderProtectionView },
        },
      },
      async (req) => guarantees.forOrder(routeActor(req), req.params.id),
    );

    app.get(
      '/price-protection/payouts',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyPriceProtectionPayouts',
          summary: 'My price-protection payouts',
          response: { 200: payoutList },
        },
      },
      async (req) => guarantees.myPayouts(routeActor(req)),
    );

    app.get(
      '/merchant/guarantee-costs',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreGuaranteeCosts',
          summary:
            'What the guarantees (price protection…) cost my store: by order and in total, from the ledger',
          response: { 200: storeGuaranteeCostsView },
        },
      },
      async (req) => guarantees.storeCosts(routeStore(req)),
    );

    app.get(
      '/ops/guarantee-costs',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getGuaranteeCosts',
          summary: 'What each platform-funded guarantee costs the platform (platform_expense balances)',
          response: { 200: guaranteeCostsView },
        },
      },
      async (req) => guarantees.platformCosts(routeActor(req)),
    );
  };
}
