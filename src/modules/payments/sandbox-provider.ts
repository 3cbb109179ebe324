import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { backoffSeconds } from '../../platform/outbox.ts';
import {
  type PaymentProvider,
  type ProviderEvent,
  SIGNATURE_HEADER,
  signWebhook,
  verifySignedEvent,
} from './provider.ts';

/** Sends one webhook; answers the HTTP status the receiver gave. */
export type WebhookDelivery = (rawBody: string, headers: Record<string, string>) => Promise<number>;

export interface SandboxProviderOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  secret: string;
  /** Share of authorizations that fail (0–1). */
  failRate: number;
  /** How long after a call its webhook is sent. */
  delayMs: number;
  /** Share of webhooks sent a second time, at a random later moment (so possibly out of order). */
  replayRate: number;
  random?: () => number;
}

/**
 * A payment provider that behaves like a real one, for development and tests. It keeps its own
 * state (tables `sandbox_provider_*`, which stand in for the provider's systems), answers
 * authorize with `pending`, and reports outcomes later by HMAC-signed webhooks with unique event
 * ids, retried until the receiver answers 2xx. Failure injection, delays and replays are set
 * by config.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  private deliver: WebhookDelivery | null = null;
  private readonly random: () => number;

  constructor(private readonly options: SandboxProviderOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Where webhooks go: an HTTP POST in production, `app.inject` in tests. */
  setDelivery(deliver: WebhookDelivery): void {
    this.deliver = deliver;
  }

  async authorize(req: {
    paymentId: string;
    amountFen: number;
  }): Promise<{ providerRef: string; status: 'pending' }> {
    const { db, clock } = this.options;
    const now = clock.now();
    const fails = this.random() < this.options.failRate;
    const chargeId = `ch_${randomBytes(12).toString('hex')}`;
    const ref = await db.transaction().execute(async (trx) => {
      const created = await sql<{ id: string }>`
        insert into sandbox_provider_charges (id, merchant_reference, amount_fen, status, failure_reason, created_at, updated_at)
        values (${chargeId}, ${req.paymentId}, ${req.amountFen}, ${fails ? 'failed' : 'authorized'},
                ${fails ? 'card_declined' : null}, ${now}, ${now})
        on conflict (merchant_reference) do nothing returning id`.execute(trx);
      if (created.rows.length === 0) {
        // Idempotent on our payment id: the same charge, no second event.
        const existing = await sql<{ id: string }>`
          select id from sandbox_provider_charges where merchant_reference = ${req.paymentId}`.execute(trx);
        return existing.rows[0]?.id as string;
      }
      await this.schedule(trx, fails ? 'payment.failed' : 'payment.authorized', {
        paymentId: req.paymentId,
        providerRef: chargeId,
        amountFen: req.amountFen,
        ...(fails ? { failureReason: 'card_declined' } : {}),
      });
      return chargeId;
    });
    return { providerRef: ref, status: 'pending' };
  }

  async capture(req: { providerRef: string; paymentId: string; amountFen: number }): Promise<void> {
    const { db } = this.options;
    await db.transaction().execute(async (trx) => {
      const charge = await sql<{ status: string; amount_fen: number }>`
        select status, amount_fen from sandbox_provider_charges where id = ${req.providerRef} for update`.execute(
        trx,
      );
      const row = charge.rows[0];
      if (!row) throw new Error(`sandbox: no charge ${req.providerRef}`);
      if (row.status === 'captured') return; // idempotent
      if (row.status !== 'authorized') throw new Error(`sandbox: charge ${req.providerRef} is ${row.status}`);
      if (req.amountFen > row.amount_fen) throw new Error('sandbox: capture exceeds authorization');
      await sql`update sandbox_provider_charges set status = 'captured', captured_fen = ${req.amountFen},
        updated_at = ${this.options.clock.now()} where id = ${req.providerRef}`.execute(trx);
      await this.schedule(trx, 'payment.captured', {
        paymentId: req.paymentId,
        providerRef: req.providerRef,
        amountFen: req.amountFen,
      });
    });
  }

  async refund(req: { refundId: string; providerRef: string; amountFen: number }): Promise<void> {
    const { db, clock } = this.options;
    await db.transaction().execute(async (trx) => {
      const charge = await sql<{ merchant_reference: string }>`
        select merchant_reference from sandbox_provider_charges where id = ${req.providerRef} for update`.execute(
        trx,
      );
      const paymentId = charge.rows[0]?.merchant_reference;
      if (!paymentId) throw new Error(`sandbox: no charge ${req.providerRef}`);
      const created = await sql<{ id: string }>`
        insert into sandbox_provider_refunds (id, charge_id, merchant_reference, amount_fen, created_at)
        values (${`re_${randomBytes(12).toString('hex')}`}, ${req.providerRef}, ${req.refundId}, ${req.amountFen}, ${clock.now()})
        on conflict (merchant_reference) do nothing returning id`.execute(trx);
      if (created.rows.length === 0) return; // idempotent on our refund id
      // The provider's own rule: never refund more than was captured (its check constraint).
      await sql`update sandbox_provider_charges set refunded_fen = refunded_fen + ${req.amountFen},
        updated_at = ${clock.now()} where id = ${req.providerRef}`.execute(trx);
      await this.schedule(trx, 'refund.succeeded', {
        paymentId,
        providerRef: req.providerRef,
        amountFen: req.amountFen,
        refundId: req.refundId,
      });
    });
  }

  verifyWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent {
    return verifySignedEvent(this.options.secret, rawBody, signatureHeader, this.options.clock.now());
  }

  /** Signs a body as the provider would (tests use it to forge well-signed events). */
  sign(rawBody: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(this.options.secret, rawBody, this.options.clock.now()),
    };
  }

  /**
   * Sends the webhooks that are due: claimed with SKIP LOCKED and a lease, sent outside any
   * transaction, marked delivered on 2xx, retried with backoff otherwise. Returns how many were sent.
   */
  async deliverDue(limit = 50): Promise<number> {
    const { db, clock, log } = this.options;
    if (!this.deliver) return 0;
    const now = clock.now();
    const lease = new Date(now.getTime() + 30_000);
    const due = await sql<{ id: number; payload: ProviderEvent; is_replay: boolean; attempts: number }>`
      update sandbox_provider_webhooks w set deliver_at = ${lease}, attempts = w.attempts + 1
      from (select id from sandbox_provider_webhooks where delivered_at is null and deliver_at <= ${now}
            order by deliver_at, id limit ${limit} for update skip locked) d
      where w.id = d.id
      returning w.id, w.payload, w.is_replay, w.attempts`.execute(db);
    for (const hook of due.rows.sort((a, b) => a.id - b.id)) {
      const body = JSON.stringify(hook.payload);
      let status = 0;
      try {
        status = await this.deliver(body, this.sign(body));
      } catch (err) {
        log.warn({ err, event: hook.payload.id }, 'sandbox webhook delivery failed');
      }
      const at = clock.now();
      if (status >= 200 && status < 300) {
        await sql`update sandbox_provider_webhooks set delivered_at = ${at}, last_status = ${status} where id = ${hook.id}`.execute(
          db,
        );
        if (!hook.is_replay && this.random() < this.options.replayRate) {
          const later = new Date(at.getTime() + Math.floor(this.random() * 3 * this.options.delayMs));
          await sql`insert into sandbox_provider_webhooks (event_id, type, payload, is_replay, deliver_at)
            values (${hook.payload.id}, ${hook.payload.type}, ${body}::jsonb, true, ${later})`.execute(db);
        }
      } else {
        const retry = new Date(at.getTime() + backoffSeconds(hook.attempts) * 1000);
        await sql`update sandbox_provider_webhooks set deliver_at = ${retry}, last_status = ${status} where id = ${hook.id}`.execute(
          db,
        );
      }
    }
    return due.rows.length;
  }

  private async schedule(trx: Db, type: ProviderEvent['type'], data: ProviderEvent['data']): Promise<void> {
    const event: ProviderEvent = { id: `evt_${randomBytes(12).toString('hex')}`, type, data };
    const at = new Date(this.options.clock.now().getTime() + this.options.delayMs);
    await sql`insert into sandbox_provider_webhooks (event_id, type, payload, deliver_at)
      values (${event.id}, ${type}, ${JSON.stringify(event)}::jsonb, ${at})`.execute(trx);
  }
}

/** Production delivery: an HTTP POST to the platform's public webhook URL. */
export function httpWebhookDelivery(url: string, timeoutMs = 5_000): WebhookDelivery {
  return async (rawBody, headers) => {
    const res = await fetch(url, {
      method: 'POST',
      body: rawBody,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  };
}
