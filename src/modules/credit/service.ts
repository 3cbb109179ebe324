import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { lockFor } from '../../platform/locks.ts';
import { bpsOf, fen } from '../../platform/money.ts';
import type { BillChargeStatus } from '../payments/index.ts';
import type { BillView } from './api-schema.ts';
import { addDays, type BuyerFacts, creditLimit, type IneligibleReason, wholeDays } from './credit-limit.ts';
import { type CreditPolicy, feeBpsAt, loadPolicy, promotionActive, savePolicy } from './policy.ts';
import type { BillRow, CreditDb } from './tables.ts';

/** What a bill needs to know of its order (from orders' line money). */
export interface OrderFacts {
  status: string;
  completedAt: Date | null;
  /** What the buyer owes for the order's lines (Σ paid). */
  paidFen: number;
  /** What was refunded of them so far. */
  refundedFen: number;
}

/** What credit needs from orders (its index builds this from the orders service). */
export interface CreditOrders {
  payableCheckout(
    trx: Db,
    actor: Actor,
    checkoutId: string,
  ): Promise<{ totalFen: number; orders: Array<{ orderId: string; amountFen: number }> }>;
  markOrdersPaidOnCredit(
    trx: Db,
    checkoutId: string,
    orderIds: string[],
    at: Date,
  ): Promise<Array<{ orderId: string; storeId: string; totalFen: number }>>;
  buyerHistory(db: Db, buyerId: string): Promise<{ finishedOrders: number; refundedOrders: number }>;
  orderFacts(db: Db, orderIds: string[]): Promise<Map<string, OrderFacts>>;
}

/** What credit needs from payments (named ledger operations and the bill charges). */
export interface CreditPayments {
  advanceCredit(trx: Db, input: { orderId: string; amountFen: number; at: Date }): Promise<unknown>;
  chargePayLaterFee(
    trx: Db,
    input: { reference: string; storeId: string; amountFen: number; at: Date },
  ): Promise<unknown>;
  checkoutHasLivePayment(db: Db, checkoutId: string): Promise<boolean>;
  chargeBill(input: { reference: string; buyerId: string; amountFen: number }): Promise<string>;
  billChargeStatuses(db: Db, references: string[]): Promise<Map<string, BillChargeStatus>>;
}

/** What credit needs from identity. */
export interface CreditAccounts {
  createdAt(db: Db, accountId: string): Promise<Date | null>;
  maskedPhones(db: Db, accountIds: string[]): Promise<Map<string, string>>;
}

export interface CreditDeps {
  db: CreditDb;
  clock: Clock;
  log: Logger;
  orders: CreditOrders;
  payments: CreditPayments;
  accounts: CreditAccounts;
}

export interface CreditLine {
  limitFen: number;
  usedFen: number;
  availableFen: number;
  frozen: boolean;
  reason: IneligibleReason | null;
  accountAgeDays: number;
  finishedOrders: number;
  refundedOrders: number;
  dueDays: number;
}

const LIVE: BillRow['status'][] = ['open', 'charging', 'overdue'];
const SWEEP_BATCH = 200;

/** The bill a charge is named by at the provider (payments' `bill_reference`, the ledger's reference). */
const chargeReference = (billId: string) => `bill:${billId}`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Use first, pay later (先用后付). A buyer with a credit line pays a checkout later: its orders
 * are paid on credit (the ledger advances the receivable into escrow) and each gets a bill. The
 * bill falls due `dueDays` after receipt is confirmed and is charged then through the payment
 * provider, less any refund (a full refund before then closes it). A failed charge makes the
 * bill overdue: reminders, the line frozen, the debt on the operators' list. Merchants switch it on
 * per store; the fee they pay on what is collected is 0 during the operator's promotion.
 */
export class CreditService {
  constructor(private readonly deps: CreditDeps) {}

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
    await this.refreshBuyer(actor.accountId);
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
            await payments.advanceCredit(trx, { orderId: o.orderId, amountFen: o.totalFen, at: now });
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

  // ---- the bills' life (worker task `credit.bills`; tests call it with the test clock) ----

  /**
   * One pass over live bills, in batches: amounts and due dates refreshed from their orders
   * (a bill owing nothing closes), due bills charged, charges' outcomes applied (paid; or overdue
   * with a reminder), overdue bills reminded and charged again every `reminderDays`. Provider calls
   * happen after the bills' transaction commits. Returns how many bills moved.
   */
  async runBills(now: Date = this.deps.clock.now()): Promise<number> {
    const policy = await loadPolicy(this.deps.db);
    let moved = await this.refresh(policy, sql`status in ('open', 'overdue')`, now);
    moved += await this.applyChargeOutcomes(now);
    const toCharge = await this.startDueCharges(policy, now);
    for (const bill of toCharge) await this.sendCharge(bill);
    return moved + toCharge.length;
  }

  /** Refreshes one buyer's live bills before showing them (a refund shows at once). */
  private async refreshBuyer(buyerId: string): Promise<void> {
    const policy = await loadPolicy(this.deps.db);
    await this.refresh(
      policy,
      sql`buyer_id = ${buyerId} and status in ('open', 'overdue')`,
      this.deps.clock.now(),
    );
  }

  /** Amounts (total − refunds) and due dates (completion + dueDays) from the orders; 0 owed closes. */
  private async refresh(policy: CreditPolicy, where: ReturnType<typeof sql>, now: Date): Promise<number> {
    const { db, orders } = this.deps;
    const bills = await sql<BillRow>`
      select * from credit_bills where ${where} order by created_at, id limit ${SWEEP_BATCH}`.execute(db);
    if (bills.rows.length === 0) return 0;
    const facts = await orders.orderFacts(
      db,
      bills.rows.map((b) => b.order_id),
    );
    const changes = bills.rows.flatMap((b) => {
      const f = facts.get(b.order_id);
      if (!f) return [];
      const amount = Math.min(Number(b.original_fen), Math.max(0, f.paidFen - f.refundedFen));
      const dueAt = b.due_at ?? (f.completedAt ? addDays(f.completedAt, policy.dueDays) : null);
      const closes = amount === 0;
      const same =
        amount === Number(b.amount_fen) &&
        (dueAt?.getTime() ?? null) === (b.due_at ? new Date(b.due_at).getTime() : null);
      if (same && !closes) return [];
      return [{ id: b.id, amount, dueAt, status: closes ? 'closed' : b.status }];
    });
    if (changes.length === 0) return 0;
    await sql`
      update credit_bills b set amount_fen = c.amount, due_at = c.due_at, status = c.status, updated_at = ${now},
        closed_at = case when c.status = 'closed' then ${now}::timestamptz else b.closed_at end
      from unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.amount)}::bigint[],
                  ${changes.map((c) => c.dueAt)}::timestamptz[], ${changes.map((c) => c.status)}::text[])
        as c(id, amount, due_at, status)
      where b.id = c.id and b.status in ('open', 'overdue')`.execute(db);
    return changes.length;
  }

  /**
   * Bills to charge now: open ones past due, and overdue ones whose last reminder is `reminderDays`
   * old (they get a new reminder). Marked `charging` (attempts + 1) and committed before the
   * provider is called; a crash after leaves `charging` bills that `applyChargeOutcomes` resends.
   */
  private async startDueCharges(policy: CreditPolicy, now: Date): Promise<BillRow[]> {
    const remindBefore = addDays(now, -policy.reminderDays);
    return this.deps.db.transaction().execute(async (trx) => {
      const due = await sql<BillRow & { was: BillRow['status'] }>`
        with due as (
          select id, status from credit_bills
          where amount_fen > 0 and ((status = 'open' and due_at <= ${now})
             or (status = 'overdue' and last_reminded_at <= ${remindBefore}))
          order by due_at, id limit ${SWEEP_BATCH} for update skip locked
        )
        update credit_bills b set status = 'charging', charge_attempts = b.charge_attempts + 1, updated_at = ${now},
          last_reminded_at = case when due.status = 'overdue' then ${now}::timestamptz else b.last_reminded_at end
        from due where b.id = due.id
        returning b.*, due.status as was`.execute(trx);
      const reminded = due.rows.filter((b) => b.was === 'overdue');
      await this.remind(trx, reminded, now);
      return due.rows;
    });
  }

  private async sendCharge(bill: BillRow): Promise<void> {
    try {
      await this.deps.payments.chargeBill({
        reference: chargeReference(bill.id),
        buyerId: bill.buyer_id,
        amountFen: Number(bill.amount_fen),
      });
    } catch (err) {
      // The bill stays `charging`; the next pass sends it again (idempotent by reference).
      this.deps.log.warn({ err, billId: bill.id }, 'pay-later charge could not be sent; will retry');
    }
  }

  /**
   * Charging bills: a captured charge pays the bill (and the merchant's fee is posted); a failed
   * one makes it overdue (the first failure sends the first reminder); none recorded yet (a crash
   * before the provider call) is sent again.
   */
  private async applyChargeOutcomes(now: Date): Promise<number> {
    const { db, payments } = this.deps;
    const charging = await db
      .selectFrom('credit_bills')
      .selectAll()
      .where('status', '=', 'charging')
      .orderBy('updated_at')
      .limit(SWEEP_BATCH)
      .execute();
    if (charging.length === 0) return 0;
    const statuses = await payments.billChargeStatuses(
      db,
      charging.map((b) => chargeReference(b.id)),
    );
    let moved = 0;
    for (const bill of charging) {
      const charge = statuses.get(chargeReference(bill.id));
      if (!charge || charge.status === 'created') {
        // Not recorded (a crash before the call) or not yet sent: send (again; idempotent by reference).
        await this.sendCharge(bill);
        continue;
      }
      if (charge.status === 'captured') {
        await db.transaction().execute(async (trx) => {
          const paid = await (trx as CreditDb)
            .updateTable('credit_bills')
            .set({ status: 'paid', charged_fen: charge.amountFen, paid_at: now, updated_at: now })
            .where('id', '=', bill.id)
            .where('status', '=', 'charging')
            .returning('id')
            .executeTakeFirst();
          if (!paid) return;
          const feeFen = bpsOf(fen(charge.amountFen), bill.fee_bps);
          await payments.chargePayLaterFee(trx, {
            reference: bill.id,
            storeId: bill.store_id,
            amountFen: feeFen,
            at: now,
          });
        });
        moved += 1;
      } else if (charge.status === 'failed') {
        await db.transaction().execute(async (trx) => {
          const overdue = await sql<BillRow>`
            update credit_bills set status = 'overdue', updated_at = ${now},
              last_reminded_at = coalesce(last_reminded_at, ${now})
            where id = ${bill.id} and status = 'charging' returning *`.execute(trx);
          const row = overdue.rows[0];
          if (row && !bill.last_reminded_at) await this.remind(trx, [row], now);
        });
        moved += 1;
      }
    }
    return moved;
  }

  private async remind(trx: Db, bills: BillRow[], now: Date): Promise<void> {
    if (bills.length === 0) return;
    await (trx as CreditDb)
      .insertInto('credit_reminders')
      .values(
        bills.map((b) => ({
          bill_id: b.id,
          buyer_id: b.buyer_id,
          amount_fen: Number(b.amount_fen),
          days_overdue: b.due_at ? wholeDays(new Date(b.due_at), now) : 0,
          created_at: now,
        })),
      )
      .execute();
  }

  /** A bill of mine (404 otherwise). */
  async myBill(actor: Actor, billId: string): Promise<{ bill: BillView }> {
    assertBuyer(actor);
    await this.refreshBuyer(actor.accountId);
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

function billView(b: BillRow, now: Date): BillView {
  const dueAt = b.due_at ? new Date(b.due_at) : null;
  return {
    id: b.id,
    checkoutId: b.checkout_id,
    orderId: b.order_id,
    storeId: b.store_id,
    originalFen: Number(b.original_fen),
    amountFen: Number(b.amount_fen),
    status: b.status,
    dueAt: iso(dueAt),
    daysOverdue: b.status === 'overdue' && dueAt ? wholeDays(dueAt, now) : 0,
    chargedFen: Number(b.charged_fen),
    chargeAttempts: b.charge_attempts,
    createdAt: new Date(b.created_at).toISOString(),
    paidAt: iso(b.paid_at),
    closedAt: iso(b.closed_at),
  };
}

function assertBuyer(actor: Actor): void {
  if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
}

function assertMerchant(actor: Actor): string {
  if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
  return actor.storeId;
}

function assertOperator(actor: Actor): void {
  if (actor.role !== 'operator') throw forbidden('This needs an operator account');
}
