import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { ACCOUNTS, EXPENSE_NAME, type LedgerEntry, type LedgerKind, postTransaction } from './ledger.ts';
import {
  type BuyerSide,
  compensationEntries,
  creditAdvanceEntries,
  creditChargeEntries,
  type ExpenseShare,
  type Funder,
  recoveryEntries,
  refundEntries,
  refundKind,
  type SettlementMoney,
  settlementEntries,
  settlementSplit,
} from './money-movements.ts';

export type { BuyerSide, ExpenseShare, Funder };

export interface LedgerOperationsDeps {
  clock: Clock;
  events: Publisher;
}

/** A refund against order lines, as orders asks for it (orders has checked the lines). */
export interface LineRefundMoney {
  /** Idempotency: a second refund with the same reference writes nothing. */
  reference: string;
  orderId: string;
  storeId: string;
  amountFen: number;
  funder: Funder;
  /** platform-funded: `platform_expense:<expense>` (e.g. price_protection). */
  expense: string;
  /** `refund` (money back for goods) or `compensation` (price protection, …): the refund row's kind. */
  kind: 'refund' | 'compensation';
  reason: string;
  /** Whether the order was settled (a merchant-funded refund is then a clawback). */
  settled: boolean;
  commissionBps: number;
  /** After settlement, units given back: their platform-funded discounts go back to the platform. */
  discountsBack: ExpenseShare[];
}

export interface CompensationInput {
  reference: string;
  orderId: string;
  storeId: string;
  amountFen: number;
  funder: Funder;
  /** platform-funded: `platform_expense:<expense>` (return_shipping, price_protection, …). */
  expense: string;
  /** The ledger kind (default `compensation`; e.g. `shipping_subsidy`, `price_protection`). */
  kind?: LedgerKind;
  reason?: string;
}

export interface RefundWritten {
  refundId: string;
  amountFen: number;
  /** The reference was used before: nothing was written now (amount is the first refund's). */
  duplicate: boolean;
}

/**
 * The named operations that move money in the ledger. Every one runs in the caller's transaction
 * and is idempotent by a reference; `postTransaction` is reachable only through them.
 * Money to a buyer of an online order is a `refunds` row and a provider refund queued (topic
 * `payment.refund`, after commit); of a pay-later order never captured, the bill shrinks
 * (`credit_receivable`) and nothing goes to the provider.
 */
export class LedgerOperations {
  constructor(protected readonly deps: LedgerOperationsDeps) {}

  /** The refund written under `reference`, if any. */
  async findRefund(
    trx: Db,
    reference: string,
  ): Promise<{ id: string; orderId: string; amountFen: number } | null> {
    const r = await sql<{ id: string; order_id: string; amount_fen: number }>`
      select id, order_id, amount_fen from refunds where reference = ${reference}`.execute(trx);
    const row = r.rows[0];
    return row ? { id: row.id, orderId: row.order_id, amountFen: Number(row.amount_fen) } : null;
  }

  /** Money back to the buyer against order lines (called by orders.refundLines; see money-movements.ts). */
  async refundLineMoney(trx: Db, r: LineRefundMoney): Promise<RefundWritten> {
    const platformKind: LedgerKind = r.kind === 'compensation' ? 'compensation' : 'refund';
    return this.moneyBack(
      trx,
      { ...r, rowKind: r.kind, againstLines: true },
      refundKind(r, platformKind),
      (buyerSide) => refundEntries({ ...r, buyerSide }),
    );
  }

  /**
   * Money to the buyer not against a line (return shipping, …): merchant-funded out of the store's
   * payable (netted at settlement), platform-funded out of `platform_expense:<expense>`.
   * Online order: a provider PAYOUT to the buyer's payment method (`refunds` row with paid_as =
   * payout, topic `payment.payout`), not a refund of the capture: never capped by what was captured
   * and not counted in `payments.refunded_fen`. Pay-later order not charged yet: the bill shrinks,
   * capped at what the bill still holds (the answer's `amountFen` is what was paid; 0 and nothing
   * written when the bill holds nothing).
   */
  async compensateBuyer(trx: Db, c: CompensationInput): Promise<RefundWritten> {
    return this.moneyBack(
      trx,
      { ...c, reason: c.reason ?? c.kind ?? 'compensation', rowKind: 'compensation', againstLines: false },
      c.kind ?? 'compensation',
      (buyerSide, amountFen) => compensationEntries({ ...c, amountFen, buyerSide }),
    );
  }

  /**
   * The merchant is paid for an order: escrow (+ platform-funded discounts of the units kept) →
   * merchant payable, less commission. Once per order (reference = order id). Posts nothing when
   * nothing is left to pay (an order refunded in full).
   */
  async settleOrder(
    trx: Db,
    order: { orderId: string } & SettlementMoney,
  ): Promise<{ grossFen: number; commissionFen: number; posted: boolean }> {
    const split = settlementSplit(order);
    const entries = settlementEntries(order);
    if (entries.length === 0) return { ...split, posted: false };
    const posted = await postTransaction(trx, 'settlement', order.orderId, entries, this.deps.clock.now());
    return { ...split, posted };
  }

  /**
   * An order refunded in full: its platform-funded line refunds go back to their expenses from the
   * merchant side (recoveryEntries). Once per order. Returns the fen recovered.
   */
  async recoverPlatformRefunds(
    trx: Db,
    order: { orderId: string; storeId: string; settled: boolean; commissionBps: number },
  ): Promise<number> {
    const rows = await sql<{ expense: string; fen: number }>`
      select expense, sum(amount_fen)::bigint as fen from refunds
      where order_id = ${order.orderId} and funder = 'platform' and against_lines
      group by expense order by expense`.execute(trx);
    const shares = rows.rows
      .map((r) => ({ expense: r.expense, fen: Number(r.fen) }))
      .filter((r) => r.fen > 0);
    const entries = recoveryEntries({ ...order, shares });
    if (entries.length === 0) return 0;
    await postTransaction(trx, 'recovery', order.orderId, entries, this.deps.clock.now());
    return shares.reduce((s, e) => s + e.fen, 0);
  }

  /** A pay-later order treated as paid: credit_receivable → order escrow. Once per order. */
  async advanceCredit(trx: Db, input: { orderId: string; amountFen: number }): Promise<boolean> {
    return postTransaction(
      trx,
      'credit',
      input.orderId,
      creditAdvanceEntries(positive(input.amountFen)),
      this.deps.clock.now(),
    );
  }

  /** A pay-later bill charged at the provider: provider_clearing → credit_receivable. Once per reference. */
  async collectCredit(trx: Db, input: { reference: string; amountFen: number }): Promise<boolean> {
    return postTransaction(
      trx,
      'credit_charge',
      input.reference,
      creditChargeEntries(positive(input.amountFen)),
      this.deps.clock.now(),
    );
  }

  /**
   * Money of a bill already charged given back (a refund after the charge: the credit module sends
   * it to the provider): credit_receivable → provider_clearing. Once per reference.
   */
  async refundCredit(trx: Db, input: { reference: string; amountFen: number }): Promise<boolean> {
    const entries: LedgerEntry[] = creditChargeEntries(positive(input.amountFen)).map((e) => ({
      ...e,
      amountFen: -e.amountFen,
    }));
    return postTransaction(trx, 'credit_refund', input.reference, entries, this.deps.clock.now());
  }

  /**
   * A growth incentive (growth module) paid to a store: `platform_expense:<expense>` → the store's
   * payable, paid out with its next settlements. Once per `reference`; returns whether it was written now.
   */
  async payIncentive(
    trx: Db,
    input: { storeId: string; amountFen: number; expense: string; reference: string },
  ): Promise<boolean> {
    const amount = positive(input.amountFen);
    if (!EXPENSE_NAME.test(input.expense)) throw new Error(`not an expense name: ${input.expense}`);
    return postTransaction(
      trx,
      'incentive',
      input.reference,
      [
        { account: ACCOUNTS.platformExpense(input.expense), amountFen: amount },
        { account: ACCOUNTS.merchantPayable(input.storeId), amountFen: -amount },
      ],
      this.deps.clock.now(),
    );
  }

  /** Where the order's money came from: a captured payment (locked), or a pay-later advance. */
  private async buyerSide(trx: Db, orderId: string): Promise<{ side: BuyerSide; paymentId: string | null }> {
    const captured = await sql<{ id: string; amount_fen: number; refunded_fen: number }>`
      select p.id from payments p join payment_orders po on po.payment_id = p.id
      where po.order_id = ${orderId} and p.status = 'captured'
      for update of p`.execute(trx);
    const paymentId = captured.rows[0]?.id;
    if (paymentId) return { side: 'provider', paymentId };
    const credit = await sql<{ n: number }>`
      select count(*)::int as n from ledger_transactions where kind = 'credit' and reference = ${orderId}`.execute(
      trx,
    );
    if ((credit.rows[0]?.n ?? 0) > 0) return { side: 'credit', paymentId: null };
    throw conflict('not_captured', 'There is no captured payment to refund');
  }

  /**
   * What a pay-later order's bill (not charged yet) still holds: the advance (`credit`, reference =
   * order id) less the money given back on it so far (refund rows without a payment).
   */
  private async billLeft(trx: Db, orderId: string): Promise<number> {
    const r = await sql<{ fen: number }>`
      select coalesce((select sum(e.amount_fen) from ledger_entries e
          join ledger_transactions t on t.id = e.transaction_id
          where t.kind = 'credit' and t.reference = ${orderId} and e.account = ${ACCOUNTS.creditReceivable}), 0)
        - coalesce((select sum(amount_fen) from refunds where order_id = ${orderId} and payment_id is null), 0)
        as fen`.execute(trx);
    return Number(r.rows[0]?.fen ?? 0);
  }

  private async moneyBack(
    trx: Db,
    r: {
      reference: string;
      orderId: string;
      amountFen: number;
      funder: Funder;
      expense: string;
      reason: string;
      rowKind: 'refund' | 'compensation';
      againstLines: boolean;
    },
    ledgerKind: LedgerKind,
    entries: (side: BuyerSide, amountFen: number) => LedgerEntry[],
  ): Promise<RefundWritten> {
    positive(r.amountFen);
    if (!EXPENSE_NAME.test(r.expense)) throw new Error(`not an expense name: ${r.expense}`);
    const seen = await this.findRefund(trx, r.reference);
    if (seen) return { refundId: seen.id, amountFen: seen.amountFen, duplicate: true };
    const { side, paymentId } = await this.buyerSide(trx, r.orderId);
    const now = this.deps.clock.now();
    // Money not against a line to a buyer who paid online is a provider payout to their payment
    // method: not a refund of the capture, so neither capped by it nor counted in refunded_fen.
    const payout = paymentId !== null && !r.againstLines;
    let amountFen = r.amountFen;
    if (side === 'credit' && !r.againstLines) {
      // A pay-later bill not charged yet shrinks; it cannot shrink below zero (there is no payment
      // method to pay an excess to), so the compensation is capped at what the bill still holds.
      amountFen = Math.min(amountFen, await this.billLeft(trx, r.orderId));
      if (amountFen <= 0) return { refundId: '', amountFen: 0, duplicate: false };
    }
    if (paymentId && !payout) {
      const left = await sql<{ left: number }>`
        select amount_fen - refunded_fen as left from payments where id = ${paymentId}`.execute(trx);
      if (Number(left.rows[0]?.left ?? 0) < r.amountFen) {
        throw conflict('refund_exceeds_capture', 'A refund can never exceed what was captured');
      }
    }
    const refundId = newId();
    const created = await sql<{ id: string }>`
      insert into refunds (id, payment_id, order_id, amount_fen, reason, status, reference, funder, expense, kind,
        against_lines, paid_as, created_at, updated_at)
      values (${refundId}, ${paymentId}, ${r.orderId}, ${amountFen}, ${r.reason},
        ${paymentId ? 'requested' : 'succeeded'}, ${r.reference}, ${r.funder},
        ${r.funder === 'platform' ? r.expense : null}, ${r.rowKind}, ${r.againstLines},
        ${payout ? 'payout' : 'refund'}, ${now}, ${now})
      on conflict (reference) do nothing returning id`.execute(trx);
    if (created.rows.length === 0) {
      const first = await this.findRefund(trx, r.reference);
      return { refundId: first?.id ?? refundId, amountFen: first?.amountFen ?? 0, duplicate: true };
    }
    if (paymentId && !payout) {
      await sql`update payments set refunded_fen = refunded_fen + ${amountFen}, updated_at = ${now}
        where id = ${paymentId}`.execute(trx);
    }
    await postTransaction(trx, ledgerKind, refundId, entries(side, amountFen), now);
    if (payout) await this.deps.events.publish(trx, 'payment.payout', { payoutId: refundId });
    else if (paymentId) await this.deps.events.publish(trx, 'payment.refund', { refundId });
    return { refundId, amountFen, duplicate: false };
  }
}

function positive(amountFen: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new Error(`a ledger amount must be a positive whole number of fen, got ${amountFen}`);
  }
  return amountFen;
}
