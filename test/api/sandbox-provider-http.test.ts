import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaymentProvider } from '../../src/modules/payments/http-provider.ts';
import { SandboxPaymentProvider } from '../../src/modules/payments/sandbox-provider.ts';
import { sandboxProviderServer } from '../../src/modules/payments/sandbox-server.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * The sandbox provider as its own process serves (`gravity sandbox-provider`), called through the
 * platform's HttpPaymentProvider: every provider call, the records reconciliation reads, its
 * webhooks (signed with the shared secret), bad input as 400 and refused calls as 409.
 */
describe('sandbox provider over HTTP', () => {
  let database: Database;
  let server: ReturnType<typeof sandboxProviderServer>;
  let client: HttpPaymentProvider;
  let sandbox: SandboxPaymentProvider;
  let base: string;
  const sent: Array<{ body: string; headers: Record<string, string> }> = [];
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const secret = 'test-secret-test-secret-test-secret';

  beforeAll(async () => {
    database = await freshDatabase();
    const log = pino({ level: 'silent' });
    sandbox = new SandboxPaymentProvider({
      db: database.db,
      clock,
      log,
      secret,
      failRate: 0,
      delayMs: 0,
      replayRate: 0,
    });
    sandbox.setDelivery(async (body, headers) => {
      sent.push({ body, headers });
      return 200;
    });
    server = sandboxProviderServer(sandbox, log);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    client = new HttpPaymentProvider({ baseUrl: base, secret, clock });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('authorizes, captures, refunds and pays out; lists its records; signs its webhooks', async () => {
    const paymentId = randomUUID();
    const { providerRef, status } = await client.authorize({ paymentId, amountFen: 5000, currency: 'CNY' });
    expect(status).toBe('pending');
    // Idempotent on our payment id.
    expect((await client.authorize({ paymentId, amountFen: 5000, currency: 'CNY' })).providerRef).toBe(
      providerRef,
    );
    await client.capture({ providerRef, paymentId, amountFen: 5000, currency: 'CNY' });
    await client.capture({ providerRef, paymentId, amountFen: 5000, currency: 'CNY' }); // no-op
    const refundId = randomUUID();
    await client.refund({ refundId, providerRef, amountFen: 1000 });
    const payoutId = randomUUID();
    await client.payout({ payoutId, providerRef, amountFen: 300 });
    const records = await client.listRecords();
    expect(records.charges).toEqual([
      expect.objectContaining({
        providerRef,
        paymentId,
        status: 'captured',
        capturedFen: 5000,
        refundedFen: 1000,
      }),
    ]);
    expect(records.refunds).toEqual([expect.objectContaining({ refundId, providerRef, amountFen: 1000 })]);
    expect(records.payouts).toEqual([expect.objectContaining({ payoutId, providerRef, amountFen: 300 })]);

    expect(await sandbox.deliverDue()).toBe(4);
    const types = sent.map((s) => client.verifyWebhook(s.body, s.headers['x-gravity-signature']).type);
    expect(types.sort()).toEqual([
      'payment.authorized',
      'payment.captured',
      'payout.succeeded',
      'refund.succeeded',
    ]);
  });

  it('answers bad input with 400 and a refused call with 409, which the client throws', async () => {
    const bad = await fetch(`${base}/v1/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId: 'not-a-uuid', amountFen: -1 }),
    });
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${base}/v1/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    // A byte PostgreSQL refuses (NUL) in a reference is bad input, not a failure of the provider.
    for (const providerRef of ['ch_\u0000x', 'ch x', 'a'.repeat(101)]) {
      const refused = await fetch(`${base}/v1/refund`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refundId: randomUUID(), providerRef, amountFen: 1 }),
      });
      expect(refused.status, JSON.stringify(providerRef)).toBe(400);
    }
    await expect(
      client.capture({ providerRef: 'ch_none', paymentId: randomUUID(), amountFen: 1, currency: 'CNY' }),
    ).rejects.toThrow(/409 sandbox: no charge ch_none/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
