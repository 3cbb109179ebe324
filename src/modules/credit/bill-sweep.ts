import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { bpsOf, fen } from '../../platform/money.ts';
import { addDays, wholeDays } from './credit-limit.ts';
import { type CreditPolicy, loadPolicy } from './policy.ts';
import type { CreditDeps } from './ports.ts';
import type { BillRow, CreditDb } from './tables.ts';

const SWEEP_BATCH = 200;
/** Refunds after a charge are looked for this long after it (after-sale closes well before). */
const REFUND_AFTER_CHARGE_DAYS = 180;

/** The bill a charge is named by at the provider (payments' `bill_reference`, the ledger's reference). */
export const chargeReference = (billId: string) => `bill:${billId}`;

/** The bills' life (worker task `credit.bills`; tests call `runBills` with the test clock). */
export class BillSweep {
  constructor(private readonly deps: CreditDeps) {}

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
    moved += await this.giveBackAfterCharge(now);
    const toCharge = await this.startDueCharges(policy, now);
    for (const bill of toCharge) await this.sendCharge(bill);
    return moved + toCharge.length;
  }

  /** Refreshes one buyer's live bills before showing them (a refund shows at once). */
  async refreshBuyer(buyerId: string): Promise<void> {
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
      // Due dueDays after receipt, once the order is settled: an open after-sale request holds the
      // settlement, and the charge waits for it too (its refund would otherwise go back by provider).
      const dueAt =
        b.due_at ?? (f.completedAt && f.settledAt ? addDays(f.completedAt, policy.dueDays) : null);
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

  /**
   * Paid bills whose order got money back after the charge (or while it was under way): the
   * ledger's refund moved it to the buyer's credit side, so the difference goes back to the buyer
   * through the provider (payments.refundBillCharge). Paid bills of the last REFUND_AFTER_CHARGE_DAYS,
   * in keyset batches.
   */
  private async giveBackAfterCharge(now: Date): Promise<number> {
    const { db, orders, payments } = this.deps;
    let moved = 0;
    let after: { paidAt: Date; id: string } | null = null;
    const since = addDays(now, -REFUND_AFTER_CHARGE_DAYS);
    for (;;) {
      const cursor: ReturnType<typeof sql> = after
        ? sql`and (paid_at, id) > (${after.paidAt}, ${after.id})`
        : sql``;
      const bills = await sql<BillRow>`
        select * from credit_bills where status = 'paid' and paid_at >= ${since} ${cursor}
        order by paid_at, id limit 500`.execute(db);
      if (bills.rows.length === 0) return moved;
      const last = bills.rows[bills.rows.length - 1] as BillRow;
      after = { paidAt: new Date(last.paid_at as Date), id: last.id };
      const facts = await orders.orderFacts(
        db,
        bills.rows.map((b) => b.order_id),
      );
      for (const b of bills.rows) {
        const f = facts.get(b.order_id);
        if (!f) continue;
        const owedNow = Math.max(0, Number(b.original_fen) - f.refundedFen);
        const back = Math.min(Number(b.charged_fen), Math.max(0, Number(b.charged_fen) - owedNow));
        const more = back - Number(b.refunded_after_charge_fen);
        if (more <= 0) continue;
        await db.transaction().execute(async (trx) => {
          const claimed = await sql<{ id: string }>`
            update credit_bills set refunded_after_charge_fen = ${back}, updated_at = ${now}
            where id = ${b.id} and refunded_after_charge_fen = ${b.refunded_after_charge_fen} returning id`.execute(
            trx,
          );
          if (claimed.rows.length === 0) return; // another pass got there first
          await payments.refundBillCharge(trx, {
            reference: `bill-refund:${b.id}:${back}`,
            billReference: chargeReference(b.id),
            orderId: b.order_id,
            amountFen: more,
          });
        });
        moved += 1;
      }
    }
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
}
