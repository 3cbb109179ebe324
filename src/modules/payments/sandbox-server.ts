import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SandboxPaymentProvider } from './sandbox-provider.ts';

// Charge and refund references are ours (`ch_…`, `re_…`): word characters only, so no byte PostgreSQL
// refuses (a NUL) reaches the database.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/);
const bodies = {
  authorize: z.object({ paymentId: z.uuid(), amountFen: fen, currency }),
  capture: z.object({ providerRef: id, paymentId: z.uuid(), amountFen: fen, currency }),
  refund: z.object({ refundId: z.uuid(), providerRef: id, amountFen: fen }),
  payout: z.object({ payoutId: z.uuid(), providerRef: id, amountFen: fen }),
};

/**
 * The sandbox payment provider's own HTTP API, as `gravity sandbox-provider` serves it on
 * SANDBOX_PROVIDER_PORT (the platform's HttpPaymentProvider calls it): one POST per provider call,
 * the records reconciliation reads, and a health check. Bad input is a 400; a call the provider
 * refuses (capture of a failed charge, unknown charge) a 409 with its reason.
 */
export function sandboxProviderServer(sandbox: SandboxPaymentProvider, log: Logger): FastifyInstance {
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, bodyLimit: 64 * 1024 });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof z.ZodError)
      return reply.status(400).send({ error: 'bad_request', message: 'invalid request body' });
    if (err.statusCode && err.statusCode < 500)
      return reply.status(err.statusCode).send({ error: 'bad_request', message: err.message });
    if (err.message.startsWith('sandbox:'))
      return reply.status(409).send({ error: 'refused', message: err.message });
    log.error({ err }, 'sandbox provider call failed');
    return reply.status(500).send({ error: 'internal', message: 'the provider failed' });
  });
  app.get('/health', async () => ({ status: 'ok' as const }));
  app.post('/v1/authorize', async (req) => sandbox.authorize(bodies.authorize.parse(req.body)));
  app.post('/v1/capture', async (req) => {
    await sandbox.capture(bodies.capture.parse(req.body));
    return { ok: true };
  });
  app.post('/v1/refund', async (req) => {
    await sandbox.refund(bodies.refund.parse(req.body));
    return { ok: true };
  });
  app.post('/v1/payout', async (req) => {
    await sandbox.payout(bodies.payout.parse(req.body));
    return { ok: true };
  });
  app.get('/v1/records', async () => sandbox.listRecords());
  return app;
}
