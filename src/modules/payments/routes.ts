import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeActor, routeStore, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
import {
  anomalyPage,
  ledgerTransactionPage,
  merchantBalance,
  paymentAnswer,
  reconciliationAnswer,
  trialBalanceView,
  webhookAnswer,
} from './api-schema.ts';
import { SIGNATURE_HEADER } from './provider.ts';
import type { PaymentsService } from './service.ts';

const tags = ['payments'];

export function paymentsRoutes(payments: PaymentsService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.post(
      '/checkouts/:id/pay',
      {
        config: signedIn('buyer'),
        schema: {
          tags,
          operationId: 'payCheckout',
          summary: 'Pay for a checkout (the provider confirms by webhook; poll GET /checkouts/:id)',
          params: idParam,
          headers: idempotencyHeaders,
          response: {
            202: paymentAnswer.describe(
              'The payment, sent to the provider (a retry with the same Idempotency-Key, or a checkout already being paid, answers with the same payment)',
            ),
            409: errorResponse(
              'The checkout can no longer be paid (`checkout_not_payable`), another payment is starting (`payment_busy`), or the Idempotency-Key was used for another checkout (`idempotency_key_reused`)',
            ),
          },
        },
      },
      async (req, reply) => {
        const result = await payments.pay(routeActor(req), req.params.id, req.headers['idempotency-key']);
        // A replay answers what the first request answered: 202 with the same payment.
        return reply.status(202).send(result.body);
      },
    );

    app.get(
      '/ops/ledger/trial-balance',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getTrialBalance',
          summary: 'Balances of every ledger account',
          response: { 200: trialBalanceView },
        },
      },
      async (req) => payments.trialBalance(routeActor(req)),
    );

    app.get(
      '/ops/ledger/transactions',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listLedgerTransactions',
          summary: 'Recent ledger transactions with their entries',
          querystring: pageQuery,
          response: { 200: ledgerTransactionPage },
        },
      },
      async (req) => payments.transactions(routeActor(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/ops/reconciliation',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getReconciliation',
          summary: 'The last reconciliation with the payment provider, with its differences',
          response: { 200: reconciliationAnswer },
        },
      },
      async (req) => payments.reconciliation(routeActor(req)),
    );

    app.post(
      '/ops/reconciliation',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'runReconciliation',
          summary: 'Reconcile with the payment provider now (stored as the last run)',
          response: { 200: reconciliationAnswer.describe('The run just made') },
        },
      },
      async (req) => payments.reconciliation(routeActor(req), true),
    );

    app.get(
      '/ops/payment-anomalies',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listPaymentAnomalies',
          summary: 'Provider events that did not match our records (recorded, never applied)',
          querystring: pageQuery,
          response: { 200: anomalyPage },
        },
      },
      async (req) => payments.anomalies(routeActor(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/merchant/balance',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getStoreBalance',
          summary: "The store's payable and pending money",
          response: { 200: merchantBalance },
        },
      },
      async (req) => payments.merchantBalance(routeStore(req)),
    );

    // The webhook needs the exact bytes that were signed, so it gets its own body parser.
    await app.register(async (hook) => {
      hook.removeAllContentTypeParsers();
      hook.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
      zodApi(hook).post(
        '/payments/webhook',
        {
          schema: {
            tags,
            operationId: 'receivePaymentWebhook',
            summary: 'Payment provider events (HMAC-SHA256 signed, x-gravity-signature)',
            description:
              'Public, for the payment provider: the body is a provider event (JSON), read as the exact bytes that were signed.',
            headers: z.object({
              [SIGNATURE_HEADER]: z
                .string()
                .optional()
                .meta({ description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`' }),
            }),
            response: {
              200: webhookAnswer.describe('Received (applied, a duplicate, or recorded as an anomaly)'),
              400: errorResponse('The body is not a provider event (`bad_event`)'),
              401: errorResponse('The signature is missing, wrong or too old (`bad_signature`)'),
            },
          },
        },
        async (req) => {
          const raw = typeof req.body === 'string' ? req.body : '';
          return payments.handleWebhook(raw, req.headers[SIGNATURE_HEADER]);
        },
      );
    });
  };
}
