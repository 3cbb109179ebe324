import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import {
  billView,
  creditLineAnswer,
  creditPolicyAnswer,
  creditPolicyInput,
  myBillsAnswer,
  overdueDebtPage,
  payLaterAnswer,
  storeCreditSettingsAnswer,
} from './api-schema.ts';
import type { CreditService } from './service.ts';

const tags = ['credit'];

export function creditRoutes(credit: CreditService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/checkouts/:id/pay-later',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'payCheckoutLater',
          summary: 'Use first, pay later: the orders are paid on credit and billed after receipt',
          params: idParam,
          headers: idempotencyHeaders,
          response: {
            201: payLaterAnswer.describe(
              'One bill per order, and the line after it (a retry with the same Idempotency-Key answers the same)',
            ),
            404: errorResponse('No such checkout of mine (`not_found`)'),
            409: errorResponse(
              'The checkout can no longer be paid (`checkout_not_payable`) or is being paid online (`payment_in_progress`), a store does not offer pay later (`pay_later_not_offered`), the line is frozen (`credit_frozen`) or too small (`credit_limit_exceeded`), or the Idempotency-Key was used for another checkout (`idempotency_key_reused`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const result = await credit.payLater(routeActor(req), req.params.id, req.headers['idempotency-key']);
        return reply.status(201).send(result.body);
      },
    );

    app.get(
      '/credit/line',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getMyCreditLine',
          summary: 'My pay-later line: limit, used, available, frozen',
          response: { 200: creditLineAnswer },
        },
      },
      async (req) => credit.myLine(routeActor(req)),
    );

    app.get(
      '/credit/bills',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'listMyCreditBills',
          summary: 'My pay-later bills and the reminders of overdue ones',
          response: { 200: myBillsAnswer },
        },
      },
      async (req) => credit.myBills(routeActor(req)),
    );

    app.get(
      '/credit/bills/:id',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'getMyCreditBill',
          summary: 'One of my pay-later bills',
          params: idParam,
          response: {
            200: z.object({ bill: billView }),
            404: errorResponse('No such bill of mine (`not_found`)'),
          },
        },
      },
      async (req) => credit.myBill(routeActor(req), req.params.id),
    );

    app.get(
      '/merchant/credit/settings',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreCreditSettings',
          summary: 'Whether my store offers pay later, and the fee it pays now',
          response: { 200: storeCreditSettingsAnswer },
        },
      },
      async (req) => credit.storeSettings(routeActor(req)),
    );

    app.put(
      '/merchant/credit/settings',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'putStoreCreditSettings',
          summary: 'Switch pay later on or off for my store',
          body: z.object({ payLaterEnabled: z.boolean() }).strict(),
          response: { 200: storeCreditSettingsAnswer },
        },
      },
      async (req) => credit.setStoreSettings(routeActor(req), req.body),
    );

    app.get(
      '/ops/credit/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getCreditPolicy',
          summary: 'The pay-later policy: limits, due days, reminders, fee and its promotion window',
          response: { 200: creditPolicyAnswer },
        },
      },
      async (req) => credit.policy(routeActor(req)),
    );

    app.put(
      '/ops/credit/policy',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'putCreditPolicy',
          summary: 'Set the pay-later policy (applies to checkouts and due dates from now on)',
          body: creditPolicyInput,
          response: { 200: creditPolicyAnswer },
        },
      },
      async (req) => credit.setPolicy(routeActor(req), req.body),
    );

    app.get(
      '/ops/credit/overdue',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listOverdueCreditBills',
          summary: 'Overdue pay-later bills: who owes what, and for how long',
          querystring: pageQuery,
          response: { 200: overdueDebtPage },
        },
      },
      async (req) => credit.overdueDebts(routeActor(req), req.query.page, req.query.pageSize),
    );
  };
}
