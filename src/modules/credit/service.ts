import { sql } from 'kysely';
import { type Actor, assertBuyer, assertMerchant, assertOperator } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { lockFor } from '../../platform/locks.ts';
import type { BillView } from './api-schema.ts';
import { BillSweep } from './bill-sweep.ts';
import { billView } from './bill-view.ts';
import { type BuyerFacts, creditLimit, wholeDays } from './credit-limit.ts';
import { type CreditPolicy, feeBpsAt, loadPolicy, promotionActive, savePolicy } from './policy.ts';
import type { CreditDeps, CreditLine } from './ports.ts';
import type { BillRow, CreditDb } from './tables.ts';

export type {
  CreditAccounts,
  CreditDeps,
  CreditLine,
  CreditOrders,
  CreditPayments,
  OrderFacts,
} from './ports.ts';

const LIVE: BillRow['status'][] = ['open', 'charging', 'overdue'];

/**
 * Use first, pay later (先用后付). A buyer with a credit line pays a checkout later: its orders
 * are paid on credit (the ledger advances the receivable into escrow) and each gets a bill. The
 * bill falls due `dueDays` after receipt is confirmed and is charged then through the payment
 * provider, less any refund (a full refund before then closes it). A failed charge makes the
 * bill overdue: reminders, the line frozen, the debt on the operators' list. Merchants switch it on
 * per store; the fee they pay on what is collected is 0 during the operator's promotion.
 */
export class CreditService {
  private readonly sweep: BillSweep;

  constructor(private readonly deps: CreditDeps) {
    this.sweep = new BillSweep(deps);
  }

  // ---- policy (operators) ----

  async policy(actor: Actor) {
    assertOperator(actor);
    return { policy: this.withPromotion(await loadPolicy(this.deps.db)) };
  }

  async setPolicy(actor: Actor, input: CreditPolicy) {
    assertOperator(actor);
    return { policy: this.withPromotion(await savePolicy(this.deps.db, input, this.deps.clock.now())) };
  }

  private withPromotion(p: CreditPolicy & { updatedAt: string }) {
    return { ...p, promotionActive: promotionActive(p, this.deps.clock.now()) };
  }

  // ---- store switch (merchants) ----

  async storeSettings(actor: Actor) {
    const storeId = assertMerchant(actor);
    return this.settingsOf(storeId);
  }

  async setStoreSettings(actor: Actor, input: { payLaterEnabled: boolean }) {
    const storeId = assertMerchant(actor);
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('credit_store_settings')
      .values({ store_id: storeId, pay_later_enabled: input.payLaterEnabled, updated_at: now })
      .onConflict((oc) =>
        oc.column('store_id').doUpdateSet({ pay_later_enabled: input.payLaterEnabled, updated_at: now }),
      )
      .execute();
    return this.settingsOf(storeId);
  }

  private async settingsOf(storeId: string) {
    const { db, clock } = this.deps;
    const row = await db
      .selectFrom('credit_store_settings')
      .select('pay_later_enabled')
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    const policy = await loadPolicy(db);
    const now = clock.now();
    return {
      settings: {
        payLaterEnabled: row?.pay_later_enabled ?? false,
        feeBps: feeBpsAt(policy, now),
        promotionActive: promotionActive(policy, now),
        promotionEndsAt: policy.promotionEndsAt,
      },
    };
  }

  /** Which of these stores offer pay later (for product pages and checkout). */
  async storesOffering(db: Db, storeIds: string[]): Promise<Set<string>> {
    if (storeIds.length === 0) return new Set();
    const rows = await (db as CreditDb)
      .selectFrom('credit_store_settings')
      .select('store_id')
      .where('store_id', 'in', storeIds)
      .where('pay_later_enabled', '=', true)
      .execute();
    return new Set(rows.map((r) => r.store_id));
  }

  // ---- buyer ----

  async myLine(actor: Actor) {
    assertBuyer(actor);
    return { line: await this.lineOf(this.deps.db, actor.accountId) };
  }

  async myBills(actor: Actor) {
    assertBuyer(actor);
    const { db } = this.deps;
    await this.sweep.refreshBuyer(actor.accountId);
    const bills = await db
      .selectFrom('credit_bills')
      .selectAll()
      .where('buyer_id', '=', actor.accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(200)
      .execute();
    const reminders = await db
      .selectFrom('credit_reminders')
      .selectAll()
      .where('buyer_id', '=', actor.accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    const now = this.deps.clock.now();
    return {
      items: bills.map((b) => billView(b, now)),
      reminders: reminders.map((r) => ({
        id: Number(r.id),
        billId: r.bill_id,
        amountFen: Number(r.amount_fen),
        daysOverdue: r.days_overdue,
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
  }

  /**
   * Whether a checkout can be paid later now, and if not why (what the checkout page shows before
   * offering the choice): the same checks as `payLater`, read without changing anything.
   */
  async payLaterOffer(actor: Actor, checkoutId: string) {
    assertBuyer(actor);
    const { db, orders } = this.deps;
    const checkout = await orders.checkoutOf(actor, checkoutId);
    const open = checkout.orders.filter((o) => o.status === 'pending_payment');
    const totalFen = open.reduce((sum, o) => sum + o.totalFen, 0);
    const storeIds = [...new Set(open.map((o) => o.storeId))];
    const offering = await this.storesOffering(db, storeIds);
    const storesNotOffering = storeIds.filter((s) => !offering.has(s));
    const line = await this.lineOf(db, actor.accountId);
    const reason =
      open.length === 0 || checkout.paymentStatus !== 'unpaid'
        ? ('checkout_not_payable' as const)
        : storesNotOffering.length > 0
          ? ('pay_later_not_offered' as const)
          : line.frozen
            ? ('credit_frozen' as const)
            : totalFen > line.availableFen
              ? ('credit_limit_exceeded' as const)
              : null;
    return { offer: { available: reason === null, reason, totalFen, storesNotOffering, line } };
  }

  /**
   * Pays a checkout later, once per Idempotency-Key. In one transaction: the orders waiting for
   * payment are paid on credit (locked for update, so an online payment starting now waits and
   * then finds them paid), the checks (no online payment under way, every store offers pay later,
   * the line is not frozen and has room), the ledger's advance per order, and a bill per order.
   * Any failed check rolls all of it back. The buyer's transactions are serialised (advisory lock)
   * so two checkouts cannot both use the same room.
   */
  async payLater(
    actor: Actor,
    checkoutId: string,
    idempotencyKey: string,
  ): Promise<{ statusCode: number; body: { checkoutId: string; bills: BillView[]; line: CreditLine } }> {
    assertBuyer(actor);
    const { db, clock, orders, payments } = this.deps;
    const result = await db.transaction().execute((trx) =>
      idempotent(
        trx,
        clock,
        { accountId: actor.accountId, scope: 'pay-later', key: idempotencyKey, body: { checkoutId } },
        201,
        async () => {
          await lockFor(trx, 'credit-buyer', actor.accountId);
          const now = clock.now();
          const checkout = await orders.payableCheckout(trx, actor, checkoutId);
          const paid = await orders.markOrdersPaidOnCredit(
            trx,
            checkoutId,
            checkout.orders.map((o) => o.orderId),
            now,
          );
          if (paid.length === 0)
            throw conflict('checkout_not_payable', 'This checkout can no longer be paid');
          if (await payments.checkoutHasLivePayment(trx, checkoutId)) {
            throw conflict('payment_in_progress', 'This checkout is already being paid online');
          }
          const storeIds = [...new Set(paid.map((o) => o.storeId))];
          const offering = await this.storesOffering(trx, storeIds);
          const missing = storeIds.filter((s) => !offering.has(s));
          if (missing.length > 0) {
            throw conflict('pay_later_not_offered', 'A store of this checkout does not offer pay later', {
              storeIds: missing,
            });
          }
          const line = await this.lineOf(trx, actor.accountId);
          if (line.frozen) {
            throw conflict('credit_frozen', 'Your pay-later line is frozen until your overdue bill is paid');
          }
          const totalFen = paid.reduce((sum, o) => sum + o.totalFen, 0);
          if (totalFen > line.availableFen) {
            throw conflict('credit_limit_exceeded', 'This checkout is more than your pay-later line allows', {
              totalFen,
              availableFen: line.availableFen,
              reason: line.reason,
            });
          }
          const policy = await loadPolicy(trx as CreditDb);
          const feeBps = feeBpsAt(policy, now);
          for (const o of paid)
            await payments.advanceCredit(trx, { orderId: o.orderId, amountFen: o.totalFen });
          const bills = await (trx as CreditDb)
            .insertInto('credit_bills')
            .values(
              paid.map((o) => ({
                id: newId(),
                checkout_id: checkoutId,
                order_id: o.orderId,
                buyer_id: actor.accountId,
                store_id: o.storeId,
                original_fen: o.totalFen,
                amount_fen: o.totalFen,
                fee_bps: feeBps,
                status: 'open' as const,
                charged_fen: 0,
                refunded_after_charge_fen: 0,
                charge_attempts: 0,
                created_at: now,
                updated_at: now,
              })),
            )
            .returningAll()
            .execute();
          return {
            checkoutId,
            bills: bills.sort((a, b) => a.store_id.localeCompare(b.store_id)).map((b) => billView(b, now)),
            line: await this.lineOf(trx, actor.accountId),
          };
        },
      ),
    );
    return { statusCode: result.statusCode, body: result.response };
  }

  /** A buyer's line now: the policy's limit for their record, less what their live bills owe. */
  async lineOf(db: Db, buyerId: string): Promise<CreditLine> {
    const { clock, orders, accounts } = this.deps;
    const now = clock.now();
    const policy = await loadPolicy(db as CreditDb);
    const createdAt = await accounts.createdAt(db, buyerId);
    const history = await orders.buyerHistory(db, buyerId);
    const facts: BuyerFacts = {
      accountAgeDays: createdAt ? wholeDays(createdAt, now) : 0,
      finishedOrders: history.finishedOrders,
      refundedOrders: history.refundedOrders,
    };
    const { limitFen, reason } = creditLimit(policy, facts);
    const owed = await sql<{ used: number; overdue: number }>`
      select coalesce(sum(amount_fen), 0)::bigint as used, count(*) filter (where status = 'overdue')::int as overdue
      from credit_bills where buyer_id = ${buyerId} and status = any(${LIVE}::text[])`.execute(db);
    const usedFen = Number(owed.rows[0]?.used ?? 0);
    const frozen = policy.freezeWhenOverdue && (owed.rows[0]?.overdue ?? 0) > 0;
    return {
      limitFen,
      usedFen,
      availableFen: frozen ? 0 : Math.max(0, limitFen - usedFen),
      frozen,
      reason,
      ...facts,
      dueDays: policy.dueDays,
    };
  }

  // ---- operators ----

  /** Overdue bills, most overdue first, with the buyer and how long it has been. */
  async overdueDebts(actor: Actor, page: number, pageSize: number) {
    assertOperator(actor);
    const { db, clock, accounts } = this.deps;
    const total = await sql<{ n: number; fen: number }>`
      select count(*)::int as n, coalesce(sum(amount_fen), 0)::bigint as fen from credit_bills where status = 'overdue'`.execute(
      db,
    );
    const rows = await sql<BillRow & { reminders: number }>`
      select b.*, (select count(*)::int from credit_reminders r where r.bill_id = b.id) as reminders
      from credit_bills b where b.status = 'overdue'
      order by b.due_at, b.id limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
    const phones = await accounts.maskedPhones(
      db,
      rows.rows.map((r) => r.buyer_id),
    );
    const now = clock.now();
    return {
      items: rows.rows.map((b) => ({
        billId: b.id,
        orderId: b.order_id,
        storeId: b.store_id,
        buyerId: b.buyer_id,
        buyerPhone: phones.get(b.buyer_id) ?? '',
        amountFen: Number(b.amount_fen),
        dueAt: new Date(b.due_at as Date).toISOString(),
        daysOverdue: b.due_at ? wholeDays(new Date(b.due_at), now) : 0,
        chargeAttempts: b.charge_attempts,
        reminders: b.reminders,
      })),
      total: total.rows[0]?.n ?? 0,
      totalFen: Number(total.rows[0]?.fen ?? 0),
      page,
      pageSize,
    };
  }

  // ---- the bills' life ----

  /** One pass of the bills' sweep (bill-sweep.ts): due dates, charges, outcomes, reminders, refunds after a charge. */
  runBills(now: Date = this.deps.clock.now()): Promise<number> {
    return this.sweep.runBills(now);
  }

  /** A bill of mine (404 otherwise). */
  async myBill(actor: Actor, billId: string): Promise<{ bill: BillView }> {
    assertBuyer(actor);
    await this.sweep.refreshBuyer(actor.accountId);
    const row = await this.deps.db
      .selectFrom('credit_bills')
      .selectAll()
      .where('id', '=', billId)
      .where('buyer_id', '=', actor.accountId)
      .executeTakeFirst();
    if (!row) throw notFound('Bill');
    return { bill: billView(row, this.deps.clock.now()) };
  }
}
