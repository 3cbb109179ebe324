import type { FastifyInstance } from 'fastify';
import { requireActor, requireMerchantStore, signedIn } from '../../platform/auth.ts';
import { idempotencyHeaders, idParam, pageQuery, zodApi } from '../../platform/routes.ts';
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
          summary: 'Pay for a checkout (the provider confirms by webhook; poll GET /checkouts/:id)',
          params: idParam,
          headers: idempotencyHeaders,
        },
      },
      async (req, reply) => {
        const result = await payments.pay(
          requireActor(req, 'buyer'),
          req.params.id,
          req.headers['idempotency-key'],
        );
        return reply.status(result.statusCode).send(result.body);
      },
    );

    app.get(
      '/ops/ledger/trial-balance',
      { config: signedIn('operator'), schema: { tags, summary: 'Balances of every ledger account' } },
      async (req) => payments.trialBalance(requireActor(req, 'operator')),
    );

    app.get(
      '/ops/ledger/transactions',
      {
        config: signedIn('operator'),
        schema: { tags, summary: 'Recent ledger transactions with their entries', querystring: pageQuery },
      },
      async (req) => payments.transactions(requireActor(req, 'operator'), req.query.page, req.query.pageSize),
    );

    app.get(
      '/ops/reconciliation',
      {
        config: signedIn('operator'),
        schema: { tags, summary: 'The last reconciliation with the payment provider, with its differences' },
      },
      async (req) => payments.reconciliation(requireActor(req, 'operator')),
    );

    app.post(
      '/ops/reconciliation',
      {
        config: signedIn('operator'),
        schema: { tags, summary: 'Reconcile with the payment provider now (stored as the last run)' },
      },
      async (req) => payments.reconciliation(requireActor(req, 'operator'), true),
    );

    app.get(
      '/ops/payment-anomalies',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          summary: 'Provider events that did not match our records (recorded, never applied)',
          querystring: pageQuery,
        },
      },
      async (req) => payments.anomalies(requireActor(req, 'operator'), req.query.page, req.query.pageSize),
    );

    app.get(
      '/merchant/balance',
      { config: signedIn('merchant'), schema: { tags, summary: "The store's payable and pending money" } },
      async (req) => payments.merchantBalance(requireMerchantStore(req)),
    );

    // The webhook needs the exact bytes that were signed, so it gets its own body parser.
    await app.register(async (hook) => {
      hook.removeAllContentTypeParsers();
      hook.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
      hook.post(
        '/payments/webhook',
        { schema: { tags, summary: 'Payment provider events (HMAC-SHA256 signed, x-gravity-signature)' } },
        async (req) => {
          const raw = typeof req.body === 'string' ? req.body : '';
          const signature = req.headers[SIGNATURE_HEADER];
          return payments.handleWebhook(raw, typeof signature === 'string' ? signature : undefined);
        },
      );
    });
  };
}
