import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RetentionConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { type Publisher, subscriber } from '../../platform/events.ts';
import { requestHash } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { preparedStatement } from '../../platform/prepared.ts';
import { deleteBatch, retentionCutoff } from '../../platform/retention.ts';
import { type AccountName, accountNames, compareAccountNames } from './account-names.ts';
import { type EventMismatch, findMismatch, listAnomalies } from './anomalies.ts';
import type {
  AnomalyPage,
  LedgerTransactionPage,
  MerchantBalance,
  PaymentAnswer,
  ReconciliationAnswer,
  TrialBalanceView,
  WebhookAnswer,
} from './api-schema.ts';
import { recordBillCharge, refundBillChargeRow } from './credit-charges.ts';
import { ACCOUNTS, accountBalance, listTransactions, postTransaction, trialBalance } from './ledger.ts';
import { LedgerOperations } from './ledger-operations.ts';
import { paymentEntries } from './money-movements.ts';
import { PAY_RETRY_SQLSTATE, type PayRow, payStatement } from './pay-statement.ts';
import type { PaymentOrders } from './ports.ts';
import type { PaymentProvider, ProviderEvent } from './provider.ts';
import {
  lastReconciliation,
  type ReconciliationRun,
  type ReconciliationTrigger,
  runReconciliation,
} from './reconciliation.ts';
import type { PaymentRow } from './schema.ts';
import type { PaymentsDb } from './tables.ts';
import {
  authorizedStatement,
  capturedStatement,
  failedStatement,
  refundSucceededStatement,
} from './webhook-statements.ts';

export type { WebhookAnswer };

export interface PaymentsDeps {
  db: PaymentsDb;
  clock: Clock;
  log: Logger;
  provider: PaymentProvider;
  orders: PaymentOrders;
  events: Publisher;
}

/** Fen are fen of one currency; every payment is recorded in it, and provider events are checked against it. */
const CURRENCY = 'CNY';

/** After authorize: the provider's reference $1 recorded at $2 on payment $3 (once). */
const providerRefStatement = preparedStatement<unknown>(
  'payments.provider-ref',
  'update payments set provider_ref = $1::text, updated_at = $2::timestamptz where id = $3::uuid and provider_ref is null',
);

/**
 * Payment $1 (a replayed pay checks whether it still needs sending). Columns named: a prepared
 * `select *` fails on every connection that prepared it once a migration adds a column.
 */
const paymentByIdStatement = preparedStatement<
  Pick<PaymentRow, 'id' | 'status' | 'provider_ref' | 'amount_fen' | 'currency'>
>(
  'payments.to-send',
  'select id, status, provider_ref, amount_fen, currency from payments where id = $1::uuid',
);

/** Runs of the pay statement before a request committing meanwhile is answered 409. */
const PAY_ATTEMPTS = 3;

/** A payment still `created` without a provider reference after this long was interrupted. */
const STUCK_AFTER_MS = 60_000;

export class PaymentsService {
  /** The ledger's named operations (collectCredit when a pay-later bill's charge is captured). */
  private readonly ledger: LedgerOperations;

  constructor(private readonly deps: PaymentsDeps) {
    this.ledger = new LedgerOperations({ clock: deps.clock, events: deps.events });
  }

  /** Payments' own commands after a commit: the provider is called outside any transaction. */
  subscribers() {
    return [
      subscriber('payments.capture-at-provider', 'payment.capture', (p) => this.runCapture(p.paymentId)),
      subscriber('payments.refund-at-provider', 'payment.refund', (p) => this.runRefund(p.refundId)),
      subscriber('payments.payout-at-provider', 'payment.payout', (p) => this.runPayout(p.payoutId)),
      subscriber('payments.refunds-at-provider', 'payment.refunds', async (p) => {
        // One at a time, each idempotent (a redelivery skips the refunds no longer `requested`).
        for (const refundId of p.refundIds) await this.runRefund(refundId);
      }),
    ];
  }

  /**
   * Pay for a checkout. One prepared statement, autocommit (pay-statement.ts), records the intent
   * (`created`; at most one live payment per checkout) with the orders it covers and the
   * Idempotency-Key's answer; only then is the provider called, outside any transaction. A crash in
   * between leaves a `created` payment that `recoverStuck` sends. A request that commits while the
   * statement runs (the same key, or another payment of the checkout) makes it run again, a
   * bounded number of times, to see that request's outcome.
   */
  async pay(
    actor: Actor,
    checkoutId: string,
    idempotencyKey: string,
  ): Promise<{ statusCode: number; body: PaymentAnswer }> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const { db, clock } = this.deps;
    const hash = requestHash({ checkoutId });
    const id = newId();
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= PAY_ATTEMPTS;
      let row: PayRow | undefined;
      try {
        const params = [actor.accountId, idempotencyKey, hash, checkoutId, clock.now(), id, CURRENCY];
        row = (await payStatement().execute(db, params)).rows[0];
      } catch (err) {
        if ((err as { code?: unknown }).code !== PAY_RETRY_SQLSTATE) throw err;
        if (last)
          throw conflict('idempotency_key_busy', 'A request with this Idempotency-Key is in progress');
        continue;
      }
      if (!row) throw new Error('the pay statement answered no row');
      if (row.earlier_hash !== null) {
        // The key was used before: the same request is answered as then, another is refused.
        if (row.earlier_hash !== hash) {
          throw conflict(
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a different request',
          );
        }
        const body = row.earlier_response as PaymentAnswer;
        await this.sendToProvider(body.payment.id);
        return { statusCode: row.earlier_status ?? 202, body };
      }
      if (row.response) {
        const body = row.response as PaymentAnswer;
        // A payment created just now needs no re-read; another live one is checked against its row.
        if (row.fresh) await this.authorizeAtProvider(body.payment.id, Number(row.amount_fen), CURRENCY);
        else await this.sendToProvider(body.payment.id);
        return { statusCode: 202, body };
      }
      if (row.orders === 0) throw notFound('Checkout');
      if (row.payable === 0) throw conflict('checkout_not_payable', 'This checkout can no longer be paid');
      // Payable, yet no payment inserted and none live in this statement's snapshot: another
      // payment (or this key) committed meanwhile. Look again.
      if (last) throw conflict('payment_busy', 'Another payment for this checkout is in progress');
    }
  }

  /**
   * Charges a pay-later bill (module credit) through the provider, outside any transaction:
   * the intent recorded (one statement; at most one live charge per bill), then authorize. The
   * outcome comes by webhook like any payment's; `billChargeStatuses` reads it.
   */
  async chargeBill(input: { reference: string; buyerId: string; amountFen: number }): Promise<string> {
    const charge = await recordBillCharge(this.deps.db, {
      ...input,
      currency: CURRENCY,
      at: this.deps.clock.now(),
    });
    if (charge.fresh) await this.authorizeAtProvider(charge.paymentId, input.amountFen, CURRENCY);
    else await this.sendToProvider(charge.paymentId);
    return charge.paymentId;
  }

  /**
   * Gives back money of a charged pay-later bill (module credit), in the caller's transaction:
   * the provider refund row against the bill's charge, the ledger's `refundCredit`
   * (credit_receivable ← provider_clearing), the provider call queued. Idempotent by `reference`.
   */
  async refundBillCharge(
    trx: Db,
    input: { reference: string; billReference: string; orderId: string; amountFen: number },
  ): Promise<boolean> {
    const refundId = await refundBillChargeRow(trx, { ...input, at: this.deps.clock.now() });
    if (!refundId) return false;
    await this.ledger.refundCredit(trx, { reference: refundId, amountFen: input.amountFen });
    await this.deps.events.publish(trx, 'payment.refund', { refundId });
    return true;
  }

  /** Calls provider.authorize for a payment recorded but not yet sent (idempotent on payment id). */
  async sendToProvider(paymentId: string): Promise<void> {
    const rows = await paymentByIdStatement.execute(this.deps.db, [paymentId]);
    const p = rows.rows[0];
    if (p?.status !== 'created' || p.provider_ref) return;
    await this.authorizeAtProvider(p.id, p.amount_fen, p.currency);
  }

  /** Outside any transaction: the provider call, then its reference recorded. */
  private async authorizeAtProvider(paymentId: string, amountFen: number, currency: string): Promise<void> {
    const { db, clock, log, provider } = this.deps;
    try {
      const answer = await provider.authorize({ paymentId, amountFen, currency });
      await providerRefStatement.execute(db, [answer.providerRef, clock.now(), paymentId]);
    } catch (err) {
      // Nothing is lost: the payment stays `created` and the recovery job sends it again.
      log.warn({ err, paymentId }, 'provider authorize failed; recovery will retry');
    }
  }

  /**
   * Retention: one batch of webhook events received more than `webhookEventDays` ago. Dedupe
   * holds within the window; the provider's retries end long before it (days), and every effect
   * only moves a payment forward and the ledger is idempotent by reference, so a later replay
   * changes nothing either.
   */
  async pruneWebhookEvents(retention: Pick<RetentionConfig, 'webhookEventDays' | 'batchSize'>) {
    const cutoff = retentionCutoff(this.deps.clock, retention.webhookEventDays);
    return deleteBatch(
      this.deps.db,
      'webhook_events',
      ['event_id'],
      sql`received_at < ${cutoff}`,
      retention.batchSize,
    );
  }

  /** Finishes what a crash between "intent committed" and "provider called" interrupted. */
  async recoverStuck(now: Date = this.deps.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - STUCK_AFTER_MS);
    const stuck = await sql<{ id: string }>`
      select id from payments where status = 'created' and provider_ref is null and created_at <= ${cutoff}
      order by created_at limit 100`.execute(this.deps.db);
    for (const { id } of stuck.rows) await this.sendToProvider(id);
    return stuck.rows.length;
  }

  /**
   * A provider webhook: verified (401 otherwise), deduplicated by event id in the same
   * transaction as its effect, and applied so that order and replays do not matter: each status
   * change is a conditional update that only moves a payment forward. Most events are one
   * statement (dedupe + effect as CTEs, atomic without BEGIN/COMMIT); a capture also writes the
   * ledger and pays the orders, so it runs in a transaction.
   */
  async handleWebhook(rawBody: string, signature: string | undefined): Promise<WebhookAnswer> {
    const event = this.deps.provider.verifyWebhook(rawBody, signature);
    const { db, clock } = this.deps;
    const now = clock.now();
    // An event whose amount, currency or reference does not match our record is never applied.
    // (Amount and currency of a payment or refund never change, so reading them first is safe.)
    if (event.type === 'payout.failed') {
      return db.transaction().execute(async (trx) => {
        const mismatch = await findMismatch(trx, event);
        if (mismatch) return this.recordAnomaly(event, mismatch, now, trx);
        return { received: true, duplicate: !(await this.applyPayoutFailed(trx, event, now)) };
      });
    }
    if (event.type !== 'payment.captured') {
      const mismatch = await findMismatch(db, event);
      if (mismatch) return this.recordAnomaly(event, mismatch, now);
      return { received: true, duplicate: !(await this.applyStatusEvent(event, now)) };
    }
    return db.transaction().execute(async (trx) => {
      const mismatch = await findMismatch(trx, event);
      if (mismatch) return this.recordAnomaly(event, mismatch, now, trx);
      return { received: true, duplicate: !(await this.applyCapture(trx, event, now)) };
    });
  }

  /**
   * A mismatched event: deduplicated like any other, stored as an anomaly for operators (one
   * statement), logged at error level. Answered 2xx so the provider does not resend it forever.
   */
  private async recordAnomaly(
    event: ProviderEvent,
    m: EventMismatch,
    now: Date,
    db: Db = this.deps.db,
  ): Promise<WebhookAnswer> {
    const r = await sql<{ fresh: number }>`
      with fresh as (${this.recordEvent(event, now)}), anomaly as (
        insert into payment_anomalies (event_id, event_type, payment_id, refund_id, kind, expected_amount_fen,
          received_amount_fen, expected_currency, received_currency, payload, received_at)
        select ${event.id}, ${event.type}, ${m.paymentId}::uuid, ${m.refundId}::uuid, ${m.kind}, ${m.expectedAmountFen},
          ${event.data.amountFen}, ${m.expectedCurrency}, ${event.data.currency}, ${JSON.stringify(event)}::jsonb, ${now}::timestamptz
        from fresh
        on conflict (event_id) do nothing
      )
      select count(*)::int as fresh from fresh`.execute(db);
    const fresh = (r.rows[0]?.fresh ?? 0) > 0;
    if (fresh) {
      this.deps.log.error(
        {
          alert: 'payment_anomaly',
          kind: m.kind,
          eventId: event.id,
          eventType: event.type,
          paymentId: m.paymentId,
          refundId: m.refundId,
          expected: {
            amountFen: m.expectedAmountFen,
            currency: m.expectedCurrency,
            providerRef: m.expectedProviderRef,
          },
          received: {
            amountFen: event.data.amountFen,
            currency: event.data.currency,
            providerRef: event.data.providerRef,
          },
        },
        'payment provider event does not match our records: recorded as an anomaly, not applied',
      );
    }
    return { received: true, duplicate: !fresh, applied: false, anomaly: m.kind };
  }

  /** The dedupe row for an event: `returning event_id` is empty when it was seen before. */
  private recordEvent(event: ProviderEvent, now: Date) {
    return sql`insert into webhook_events (event_id, type, payload, received_at)
      values (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb, ${now})
      on conflict do nothing returning event_id`;
  }

  /**
   * authorized / failed / refund.succeeded / payout.succeeded: dedupe and effect in one prepared
   * statement (webhook-statements.ts). Returns whether it was new.
   */
  private async applyStatusEvent(event: ProviderEvent, now: Date): Promise<boolean> {
    const { db, events } = this.deps;
    const { paymentId, providerRef } = event.data;
    const seen = [event.id, event.type, JSON.stringify(event), now];
    let r: { rows: Array<{ fresh: number }> };
    switch (event.type) {
      case 'payment.authorized':
        // Authorized → capture it, via the outbox (the provider is called after this commits).
        r = await authorizedStatement.execute(db, [
          ...seen,
          paymentId,
          providerRef,
          events.subscribersOf('payment.capture'),
          JSON.stringify({ paymentId }),
        ]);
        break;
      case 'payment.failed':
        r = await failedStatement.execute(db, [
          ...seen,
          paymentId,
          providerRef,
          event.data.failureReason ?? 'declined',
        ]);
        break;
      case 'payout.succeeded':
        r = await refundSucceededStatement.execute(db, [
          ...seen,
          event.data.payoutId ?? null,
          providerRef,
          'payout',
        ]);
        break;
      default:
        r = await refundSucceededStatement.execute(db, [
          ...seen,
          event.data.refundId ?? null,
          providerRef,
          'refund',
        ]);
    }
    return (r.rows[0]?.fresh ?? 0) > 0;
  }

  /**
   * payout.failed, inside a transaction: dedupe + the payout `failed` (only from requested), and
   * its ledger transaction reversed (kind payout_reversal, reference = payout id: once), so the
   * funder is charged nothing and provider_clearing holds what the provider holds. Returns whether
   * the event was new.
   */
  private async applyPayoutFailed(trx: Db, event: ProviderEvent, now: Date): Promise<boolean> {
    const payoutId = event.data.payoutId ?? null;
    const r = await sql<{ fresh: number; moved: number }>`
      with fresh as (${this.recordEvent(event, now)}), moved as (
        update refunds set status = 'failed', provider_ref = ${event.data.providerRef}, updated_at = ${now}
        where id = ${payoutId}::uuid and paid_as = 'payout' and status = 'requested' and exists (select 1 from fresh)
        returning id
      )
      select (select count(*)::int from fresh) as fresh, (select count(*)::int from moved) as moved`.execute(
      trx,
    );
    const row = r.rows[0];
    if (!row?.fresh) return false;
    if (row.moved > 0 && payoutId) {
      const paid = await sql<{ account: string; amount_fen: number }>`
        select e.account, e.amount_fen::bigint as amount_fen from ledger_entries e
        join ledger_transactions t on t.id = e.transaction_id
        where t.reference = ${payoutId} and t.kind <> 'payout_reversal' order by e.id`.execute(trx);
      const reversed = paid.rows.map((e) => ({ account: e.account, amountFen: -Number(e.amount_fen) }));
      if (reversed.length > 0) await postTransaction(trx, 'payout_reversal', payoutId, reversed, now);
      this.deps.log.error(
        { alert: 'payout_failed', payoutId, reason: event.data.failureReason ?? null },
        'a payout to a buyer failed at the provider: marked failed and reversed in the ledger',
      );
    }
    return true;
  }

  /**
   * payment.captured, inside a transaction: dedupe + payment captured (one statement), the
   * ledger (one), the orders the payment covers paid (orders), and a refund for any of them that
   * closed before the money arrived (a late payment). Returns whether the event was new.
   */
  private async applyCapture(trx: Db, event: ProviderEvent, now: Date): Promise<boolean> {
    const { paymentId, providerRef } = event.data;
    // From created too: a capture that overtakes its authorization still ends captured.
    const r = await capturedStatement.execute(trx, [
      event.id,
      event.type,
      JSON.stringify(event),
      now,
      paymentId,
      providerRef,
    ]);
    const row = r.rows[0];
    if (!row?.fresh) return false;
    // A pay-later bill's charge (credit-charges.ts): the receivable is collected; no order to pay.
    if (row.bill_reference && row.amount_fen !== null) {
      await this.ledger.collectCredit(trx, {
        reference: row.bill_reference,
        amountFen: Number(row.amount_fen),
      });
      return true;
    }
    if (!row.checkout_id || row.amount_fen === null) return true; // not a forward move: nothing to do
    await postTransaction(trx, 'payment', paymentId, paymentEntries(row.amount_fen), now);
    const covered = await sql<{ order_id: string }>`
      select order_id from payment_orders where payment_id = ${paymentId}`.execute(trx);
    const late = await this.deps.orders.markOrdersPaid(
      trx,
      row.checkout_id,
      covered.rows.map((c) => c.order_id),
      now,
    );
    for (const order of late) {
      await this.deps.orders.refundInFull(trx, order.orderId, {
        reference: `late_payment:${order.orderId}`,
        reason: 'late_payment',
        actor: 'system:payments',
      });
    }
    return true;
  }

  // ---- subscribers (run after the commit, outside transactions; idempotent) ----

  private async runCapture(paymentId: string): Promise<void> {
    const rows = await sql<PaymentRow>`select * from payments where id = ${paymentId}`.execute(this.deps.db);
    const p = rows.rows[0];
    if (p?.status !== 'authorized') return; // already captured or failed: nothing to do
    if (!p.provider_ref) throw new Error(`payment ${paymentId} has no provider reference`);
    await this.deps.provider.capture({
      providerRef: p.provider_ref,
      paymentId,
      amountFen: p.amount_fen,
      currency: p.currency,
    });
  }

  private async runRefund(refundId: string): Promise<void> {
    const rows = await sql<{ status: string; amount_fen: number; provider_ref: string | null }>`
      select r.status, r.amount_fen, p.provider_ref from refunds r join payments p on p.id = r.payment_id
      where r.id = ${refundId} and r.paid_as = 'refund'`.execute(this.deps.db);
    const r = rows.rows[0];
    if (r?.status !== 'requested') return;
    if (!r.provider_ref) throw new Error(`refund ${refundId}: payment has no provider reference`);
    await this.deps.provider.refund({ refundId, providerRef: r.provider_ref, amountFen: r.amount_fen });
  }

  /** A requested payout sent to the provider (to the buyer's payment method); idempotent on its id. */
  private async runPayout(payoutId: string): Promise<void> {
    const rows = await sql<{ status: string; amount_fen: number; provider_ref: string | null }>`
      select r.status, r.amount_fen, p.provider_ref from refunds r join payments p on p.id = r.payment_id
      where r.id = ${payoutId} and r.paid_as = 'payout'`.execute(this.deps.db);
    const r = rows.rows[0];
    if (r?.status !== 'requested') return;
    if (!r.provider_ref) throw new Error(`payout ${payoutId}: payment has no provider reference`);
    await this.deps.provider.payout({
      payoutId,
      providerRef: r.provider_ref,
      amountFen: Number(r.amount_fen),
    });
  }

  // ---- reading ----

  /** Every account's balance, with what it is (and whose store, for payables) to show by name. */
  async trialBalance(actor: Actor): Promise<TrialBalanceView> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const { db } = this.deps;
    const balance = await trialBalance(db);
    const names = await accountNames(
      db,
      balance.accounts.map((a) => a.account),
    );
    const accounts = balance.accounts.map((a) => ({ ...a, ...(names.get(a.account) as AccountName) }));
    return { ...balance, accounts: accounts.sort(compareAccountNames) };
  }

  /** A page of transactions; each entry named like the trial balance's accounts. */
  async transactions(actor: Actor, page: number, pageSize: number): Promise<LedgerTransactionPage> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    const { db } = this.deps;
    const list = await listTransactions(db, page, pageSize);
    const names = await accountNames(
      db,
      list.items.flatMap((tx) => tx.entries.map((e) => e.account)),
    );
    return {
      ...list,
      items: list.items.map((tx) => ({
        ...tx,
        entries: tx.entries.map((e) => ({ ...e, ...(names.get(e.account) as AccountName) })),
      })),
    };
  }

  /** Compares our payments, refunds and ledger with the provider's records; stores and returns the run. */
  async reconcile(trigger: ReconciliationTrigger): Promise<ReconciliationRun> {
    return runReconciliation(this.deps, trigger);
  }

  /** Operators: the last reconciliation run (null before the first), or a new one run now. */
  async reconciliation(actor: Actor, runNow = false): Promise<ReconciliationAnswer> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    return { run: runNow ? await this.reconcile('ops') : await lastReconciliation(this.deps.db) };
  }

  /** Provider events that did not match our records (newest first), for the ops console. */
  async anomalies(actor: Actor, page: number, pageSize: number): Promise<AnomalyPage> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    return listAnomalies(this.deps.db, page, pageSize);
  }

  /** What the platform owes the store (settled), and what is still in escrow for its paid orders. */
  async merchantBalance(actor: Actor): Promise<MerchantBalance> {
    if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
    const payable = -(await accountBalance(this.deps.db, ACCOUNTS.merchantPayable(actor.storeId)));
    const pending = await this.deps.orders.escrowFenForStore(this.deps.db, actor.storeId);
    return { payableFen: payable, pendingFen: pending };
  }
}
