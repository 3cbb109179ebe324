import { bpsOf, fen } from '../../platform/money.ts';
import { ACCOUNTS, type LedgerEntry, type LedgerKind } from './ledger.ts';

/**
 * The entries of each money movement (pure). Signs: + is a debit. Accounts: ledger.ts ACCOUNTS.
 * Every builder returns balanced entries with zero lines left out and one line per account.
 */

/** Where the buyer's money is: at the provider (online) or owed on a pay-later bill (credit). */
export type BuyerSide = 'provider' | 'credit';
export type Funder = 'merchant' | 'platform';

/** A platform-funded amount and the expense it is charged to (`platform_expense:<expense>`). */
export interface ExpenseShare {
  expense: string;
  fen: number;
}

function buyerAccount(side: BuyerSide): string {
  return side === 'provider' ? ACCOUNTS.providerClearing : ACCOUNTS.creditReceivable;
}

/** Merges entries of one account and drops zeros (the ledger refuses zero lines). */
export function compact(entries: LedgerEntry[]): LedgerEntry[] {
  const byAccount = new Map<string, number>();
  for (const e of entries) byAccount.set(e.account, (byAccount.get(e.account) ?? 0) + fen(e.amountFen));
  return [...byAccount]
    .filter(([, amount]) => amount !== 0)
    .map(([account, amountFen]) => ({ account, amountFen }));
}

/** Captured money: it sits at the provider (asset) and is owed to the order until settlement. */
export function paymentEntries(totalFen: number): LedgerEntry[] {
  const total = fen(totalFen);
  return [
    { account: ACCOUNTS.providerClearing, amountFen: total },
    { account: ACCOUNTS.orderEscrow, amountFen: -total },
  ];
}

/** A pay-later order treated as paid: the buyer owes the platform, the order's escrow is funded. */
export function creditAdvanceEntries(amountFen: number): LedgerEntry[] {
  const amount = fen(amountFen);
  return [
    { account: ACCOUNTS.creditReceivable, amountFen: amount },
    { account: ACCOUNTS.orderEscrow, amountFen: -amount },
  ];
}

/** A pay-later bill charged: the money is at the provider, the buyer owes nothing more (for it). */
export function creditChargeEntries(amountFen: number): LedgerEntry[] {
  const amount = fen(amountFen);
  return [
    { account: ACCOUNTS.providerClearing, amountFen: amount },
    { account: ACCOUNTS.creditReceivable, amountFen: -amount },
  ];
}

export interface SettlementMoney {
  storeId: string;
  /** What the order's escrow still holds: its total less merchant-funded refunds so far. */
  escrowFen: number;
  /** Platform-funded discounts of the units kept, paid to the merchant out of each expense. */
  platformFunded: ExpenseShare[];
  commissionBps: number;
}

/** The merchant's gross for a settlement and the platform's commission on it. */
export function settlementSplit(m: SettlementMoney): { grossFen: number; commissionFen: number } {
  const grossFen = fen(m.escrowFen + m.platformFunded.reduce((s, p) => s + p.fen, 0));
  return { grossFen, commissionFen: bpsOf(fen(grossFen), m.commissionBps) };
}

/**
 * Settlement: escrow (and the platform-funded discounts of the kept units) → merchant payable,
 * less commission (`commission_bps` of the merchant's gross) → platform revenue.
 */
export function settlementEntries(m: SettlementMoney): LedgerEntry[] {
  const { grossFen, commissionFen } = settlementSplit(m);
  return compact([
    { account: ACCOUNTS.orderEscrow, amountFen: m.escrowFen },
    ...m.platformFunded.map((p) => ({ account: ACCOUNTS.platformExpense(p.expense), amountFen: p.fen })),
    { account: ACCOUNTS.merchantPayable(m.storeId), amountFen: -(grossFen - commissionFen) },
    { account: ACCOUNTS.platformRevenue, amountFen: -commissionFen },
  ]);
}

export interface RefundMoney {
  amountFen: number;
  buyerSide: BuyerSide;
  funder: Funder;
  /** For a platform-funded refund: `platform_expense:<expense>`. */
  expense: string;
  /** Whether the merchant was already paid for the order (a merchant-funded refund is a clawback). */
  settled: boolean;
  storeId: string;
  commissionBps: number;
  /**
   * Merchant-funded after settlement, units given back: the platform-funded discounts the merchant
   * was paid for those units go back to their expenses (the merchant no longer sold them).
   */
  discountsBack: ExpenseShare[];
}

/** The ledger kind a refund is posted as. */
export function refundKind(r: Pick<RefundMoney, 'funder' | 'settled'>, platformKind: LedgerKind): LedgerKind {
  if (r.funder === 'platform') return platformKind;
  return r.settled ? 'clawback' : 'refund';
}

/**
 * Money back to the buyer (provider refund queued, or the pay-later bill shrinks):
 * - platform-funded: out of `platform_expense:<expense>`;
 * - merchant-funded before settlement: out of the order's escrow;
 * - merchant-funded after settlement (clawback): out of the merchant's payable, with the
 *   commission share of what is clawed back returned from platform revenue.
 */
export function refundEntries(r: RefundMoney): LedgerEntry[] {
  const amount = fen(r.amountFen);
  const buyer = { account: buyerAccount(r.buyerSide), amountFen: -amount };
  if (r.funder === 'platform') {
    return compact([{ account: ACCOUNTS.platformExpense(r.expense), amountFen: amount }, buyer]);
  }
  if (!r.settled) return compact([{ account: ACCOUNTS.orderEscrow, amountFen: amount }, buyer]);
  const back = r.discountsBack.reduce((s, d) => s + d.fen, 0);
  const clawed = fen(amount + back);
  const commission = bpsOf(clawed, r.commissionBps);
  return compact([
    { account: ACCOUNTS.merchantPayable(r.storeId), amountFen: clawed - commission },
    { account: ACCOUNTS.platformRevenue, amountFen: commission },
    ...r.discountsBack.map((d) => ({ account: ACCOUNTS.platformExpense(d.expense), amountFen: -d.fen })),
    buyer,
  ]);
}

/**
 * Money to the buyer not against a line (return shipping, …): charged to the merchant's payable
 * (merchant-funded, whether settled or not: netted at settlement) or to `platform_expense:<expense>`.
 */
export function compensationEntries(c: {
  amountFen: number;
  buyerSide: BuyerSide;
  funder: Funder;
  expense: string;
  storeId: string;
}): LedgerEntry[] {
  const amount = fen(c.amountFen);
  const from =
    c.funder === 'platform' ? ACCOUNTS.platformExpense(c.expense) : ACCOUNTS.merchantPayable(c.storeId);
  return compact([
    { account: from, amountFen: amount },
    { account: buyerAccount(c.buyerSide), amountFen: -amount },
  ]);
}

/**
 * An order refunded in full: the platform-funded money it gave back against its lines is
 * recovered from the merchant side (escrow before settlement; after it, the merchant's payable
 * with the commission share from platform revenue), so that neither merchant nor platform keeps
 * anything of an order the buyer got back in full.
 */
export function recoveryEntries(r: {
  shares: ExpenseShare[];
  settled: boolean;
  storeId: string;
  commissionBps: number;
}): LedgerEntry[] {
  const total = fen(r.shares.reduce((s, e) => s + e.fen, 0));
  const back = r.shares.map((e) => ({ account: ACCOUNTS.platformExpense(e.expense), amountFen: -e.fen }));
  if (!r.settled) return compact([{ account: ACCOUNTS.orderEscrow, amountFen: total }, ...back]);
  const commission = bpsOf(total, r.commissionBps);
  return compact([
    { account: ACCOUNTS.merchantPayable(r.storeId), amountFen: total - commission },
    { account: ACCOUNTS.platformRevenue, amountFen: commission },
    ...back,
  ]);
}
