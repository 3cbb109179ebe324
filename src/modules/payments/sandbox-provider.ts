import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { backoffSeconds } from '../../platform/outbox.ts';
import { mapConcurrent } from '../../platform/workers.ts';
import {
  type PaymentProvider,
  type ProviderCharge,
  type ProviderEvent,
  type ProviderPayout,
  type ProviderRecords,
  type ProviderRefund,
  SIGNATURE_HEADER,
  signWebhook,
  verifySignedEvent,
} from './provider.ts';
import type { PaymentsDb } from './tables.ts';

/** Sends one webhook; answers the HTTP status the receiver gave. */
export type WebhookDelivery = (rawBody: string, headers: Record<string, string>) => Promise<number>;

export interface SandboxProviderOptions {
  db: PaymentsDb;
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

  /** One statement: the charge and its webhook together (atomic without BEGIN/COMMIT). */
  async authorize(req: {
    paymentId: string;
    amountFen: number;
    currency: string;
  }): Promise<{ providerRef: string; status: 'pending' }> {
    const { db, clock } = this.options;
    const now = clock.now();
    const fails = this.random() < this.options.failRate;
    const chargeId = `ch_${randomBytes(12).toString('hex')}`;
    const created = await sql<{ id: string }>`
      with created as (
        insert into sandbox_provider_charges (id, merchant_reference, amount_fen, currency, status, failure_reason, created_at, updated_at)
        values (${chargeId}, ${req.paymentId}, ${req.amountFen}, ${req.currency}, ${fails ? 'failed' : 'authorized'},
                ${fails ? 'card_declined' : null}, ${now}, ${now})
        on conflict (merchant_reference) do nothing returning id
      ), scheduled as (
        ${this.scheduleFrom('created', fails ? 'payment.failed' : 'payment.authorized', {
          paymentId: req.paymentId,
          providerRef: chargeId,
          amountFen: req.amountFen,
          currency: req.currency,
          ...(fails ? { failureReason: 'card_declined' } : {}),
        })}
      )
      select id from created`.execute(db);
    if (created.rows.length > 0) return { providerRef: chargeId, status: 'pending' };
    // Idempotent on our payment id: the same charge, no second event.
    const existing = await sql<{ id: string }>`
      select id from sandbox_provider_charges where merchant_reference = ${req.paymentId}`.execute(db);
    return { providerRef: existing.rows[0]?.id as string, status: 'pending' };
  }

  /** One conditional update + its webhook; a second capture of a captured charge is a no-op. */
  async capture(req: {
    providerRef: string;
    paymentId: string;
    amountFen: number;
    currency: string;
  }): Promise<void> {
    const { db, clock } = this.options;
    const captured = await sql<{ id: string }>`
      with captured as (
        update sandbox_provider_charges set status = 'captured', captured_fen = ${req.amountFen}, updated_at = ${clock.now()}
        where id = ${req.providerRef} and status = 'authorized' and amount_fen >= ${req.amountFen}
          and currency = ${req.currency}
        returning id
      ), scheduled as (
        ${this.scheduleFrom('captured', 'payment.captured', {
          paymentId: req.paymentId,
          providerRef: req.providerRef,
          amountFen: req.amountFen,
          currency: req.currency,
        })}
      )
      select id from captured`.execute(db);
    if (captured.rows.length > 0) return;
    // Not captured now: say why (already captured is fine: idempotent).
    const charge = await sql<{ status: string; amount_fen: number }>`
      select status, amount_fen from sandbox_provider_charges where id = ${req.providerRef}`.execute(db);
    const row = charge.rows[0];
    if (!row) throw new Error(`sandbox: no charge ${req.providerRef}`);
    if (row.status === 'captured') return;
    if (row.status !== 'authorized') throw new Error(`sandbox: charge ${req.providerRef} is ${row.status}`);
    throw new Error('sandbox: capture exceeds authorization or is in another currency');
  }

  async refund(req: { refundId: string; providerRef: string; amountFen: number }): Promise<void> {
    const { db, clock } = this.options;
    await db.transaction().execute(async (trx) => {
      const charge = await sql<{ merchant_reference: string; currency: string }>`
        select merchant_reference, currency from sandbox_provider_charges where id = ${req.providerRef} for update`.execute(
        trx,
      );
      const paymentId = charge.rows[0]?.merchant_reference;
      const currency = charge.rows[0]?.currency ?? 'CNY';
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
        currency,
        refundId: req.refundId,
      });
    });
  }

  /**
   * A payout to the payer of a charge (its own books, `sandbox_provider_payouts`): not a refund, so
   * the charge's refunded_fen is untouched and the capture does not cap it. Idempotent on our id.
   */
  async payout(req: { payoutId: string; providerRef: string; amountFen: number }): Promise<void> {
    const { db, clock } = this.options;
    await db.transaction().execute(async (trx) => {
      const charge = await sql<{ merchant_reference: string; currency: string; status: string }>`
        select merchant_reference, currency, status from sandbox_provider_charges where id = ${req.providerRef}`.execute(
        trx,
      );
      const row = charge.rows[0];
      if (!row) throw new Error(`sandbox: no charge ${req.providerRef}`);
      if (row.status !== 'captured') throw new Error(`sandbox: charge ${req.providerRef} is ${row.status}`);
      const created = await sql<{ id: string }>`
        insert into sandbox_provider_payouts (id, charge_id, merchant_reference, amount_fen, created_at)
        values (${`po_${randomBytes(12).toString('hex')}`}, ${req.providerRef}, ${req.payoutId}, ${req.amountFen}, ${clock.now()})
        on conflict (merchant_reference) do nothing returning id`.execute(trx);
      if (created.rows.length === 0) return; // idempotent on our payout id
      await this.schedule(trx, 'payout.succeeded', {
        paymentId: row.merchant_reference,
        providerRef: req.providerRef,
        amountFen: req.amountFen,
        currency: row.currency,
        payoutId: req.payoutId,
      });
    });
  }

  /** Every charge and refund in the provider's own tables (what its settlement report would list). */
  async listRecords(): Promise<ProviderRecords> {
    const { db } = this.options;
    const charges = await sql<ProviderCharge>`
      select id as "providerRef", merchant_reference as "paymentId", status, currency,
             amount_fen::bigint as "amountFen", captured_fen::bigint as "capturedFen", refunded_fen::bigint as "refundedFen"
      from sandbox_provider_charges order by created_at, id`.execute(db);
    const refunds = await sql<ProviderRefund>`
      select id as "providerRefundRef", merchant_reference as "refundId", charge_id as "providerRef",
             amount_fen::bigint as "amountFen"
      from sandbox_provider_refunds order by created_at, id`.execute(db);
    const payouts = await sql<ProviderPayout>`
      select id as "providerPayoutRef", merchant_reference as "payoutId", charge_id as "providerRef",
             amount_fen::bigint as "amountFen"
      from sandbox_provider_payouts order by created_at, id`.execute(db);
    const n = (v: number | string) => Number(v);
    return {
      charges: charges.rows.map((c) => ({
        ...c,
        amountFen: n(c.amountFen),
        capturedFen: n(c.capturedFen),
        refundedFen: n(c.refundedFen),
      })),
      refunds: refunds.rows.map((r) => ({ ...r, amountFen: n(r.amountFen) })),
      payouts: payouts.rows.map((p) => ({ ...p, amountFen: n(p.amountFen) })),
    };
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
   * transaction (a few at a time, as a real provider does; receivers must not depend on order),
   * then the outcomes of the whole batch recorded in one statement: delivered on 2xx, retried with
   * backoff otherwise. A crash before that statement means the lease runs out and the batch is
   * sent again, which the receiver dedupes by event id. Returns how many were sent.
   */
  async deliverDue(limit = 50, concurrency = 8): Promise<number> {
    const { db, clock, log } = this.options;
    const deliver = this.deliver;
    if (!deliver) return 0;
    const now = clock.now();
    const lease = new Date(now.getTime() + 30_000);
    const due = await sql<{ id: number; payload: ProviderEvent; is_replay: boolean; attempts: number }>`
      update sandbox_provider_webhooks w set deliver_at = ${lease}, attempts = w.attempts + 1
      from (select id from sandbox_provider_webhooks where delivered_at is null and deliver_at <= ${now}
            order by deliver_at, id limit ${limit} for update skip locked) d
      where w.id = d.id
      returning w.id, w.payload, w.is_replay, w.attempts`.execute(db);
    const hooks = due.rows.sort((a, b) => a.id - b.id);
    if (hooks.length === 0) return 0;
    const statuses = await mapConcurrent(hooks, concurrency, async (hook) => {
      const body = JSON.stringify(hook.payload);
      try {
        return await deliver(body, this.sign(body));
      } catch (err) {
        log.warn({ err, event: hook.payload.id }, 'sandbox webhook delivery failed');
        return 0;
      }
    });
    const at = clock.now();
    const ok = (status: number) => status >= 200 && status < 300;
    const retryAt = hooks.map((h, i) =>
      ok(statuses[i] as number) ? at : new Date(at.getTime() + backoffSeconds(h.attempts) * 1000),
    );
    // Replays: a delivered original is sent once more, later (so possibly out of order).
    const replays = hooks.filter(
      (h, i) => ok(statuses[i] as number) && !h.is_replay && this.random() < this.options.replayRate,
    );
    const later = replays.map(
      () => new Date(at.getTime() + Math.floor(this.random() * 3 * this.options.delayMs)),
    );
    await sql`
      with outcome as (
        update sandbox_provider_webhooks w
        set delivered_at = case when v.status between 200 and 299 then ${at}::timestamptz end,
            deliver_at = v.retry_at, last_status = v.status
        from unnest(${hooks.map((h) => h.id)}::bigint[], ${statuses}::int[], ${retryAt}::timestamptz[])
          as v(id, status, retry_at)
        where w.id = v.id
      )
      insert into sandbox_provider_webhooks (event_id, type, payload, is_replay, deliver_at)
      select p->>'id', p->>'type', p, true, t
      from unnest(${replays.map((h) => JSON.stringify(h.payload))}::jsonb[], ${later}::timestamptz[]) as r(p, t)`.execute(
      db,
    );
    return hooks.length;
  }

  /** The provider's webhook for `type`, as SQL: one row per row of the CTE `source`. */
  private scheduleFrom(source: string, type: ProviderEvent['type'], data: ProviderEvent['data']) {
    const event: ProviderEvent = { id: `evt_${randomBytes(12).toString('hex')}`, type, data };
    const at = new Date(this.options.clock.now().getTime() + this.options.delayMs);
    return sql`insert into sandbox_provider_webhooks (event_id, type, payload, deliver_at)
      select ${event.id}::text, ${type}::text, ${JSON.stringify(event)}::jsonb, ${at}::timestamptz from ${sql.table(source)}`;
  }

  private async schedule(trx: Db, type: ProviderEvent['type'], data: ProviderEvent['data']): Promise<void> {
    const event: ProviderEvent = { id: `evt_${randomBytes(12).toString('hex')}`, type, data };
    const at = new Date(this.options.clock.now().getTime() + this.options.delayMs);
    await sql`insert into sandbox_provider_webhooks (event_id, type, payload, deliver_at)
      values (${event.id}, ${type}, ${JSON.stringify(event)}::jsonb, ${at})`.execute(trx);
  }
}

/**
 * Production delivery: an HTTP POST to the platform's public webhook URL. Given several (the API
 * processes, when no load balancer stands before them), each webhook starts at the next in turn and
 * moves on to the following one when a process does not answer at all.
 */
export function httpWebhookDelivery(url: string | string[], timeoutMs = 5_000): WebhookDelivery {
  const urls = Array.isArray(url) ? url : [url];
  let turn = 0;
  return async (rawBody, headers) => {
    const first = turn++ % urls.length;
    for (let i = 0; ; i += 1) {
      try {
        const res = await fetch(urls[(first + i) % urls.length] as string, {
          method: 'POST',
          body: rawBody,
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        return res.status;
      } catch (err) {
        if (i + 1 >= urls.length) throw err;
      }
    }
  };
}
