import type { Db } from '../../platform/db.ts';
import { ACCOUNTS, postTransaction } from './ledger.ts';

// TEMPORARY (until h-ledger's FOUNDATION is merged): advanceCredit and collectCredit are the
// ledger helper's named operations; these stand-ins post the same entries under kind 'payment'.
const CREDIT_RECEIVABLE = 'credit_receivable';

/** A pay-later order treated as paid: credit_receivable → order escrow. */
export async function advanceCredit(trx: Db, input: { orderId: string; amountFen: number; at: Date }) {
  return postTransaction(
    trx,
    'payment',
    `credit:${input.orderId}`,
    [
      { account: CREDIT_RECEIVABLE, amountFen: input.amountFen },
      { account: ACCOUNTS.orderEscrow, amountFen: -input.amountFen },
    ],
    input.at,
  );
}

/** A bill charged: the money is at the provider, the receivable is collected. */
export async function collectCredit(trx: Db, input: { reference: string; amountFen: number; at: Date }) {
  return postTransaction(
    trx,
    'payment',
    `collect:${input.reference}`,
    [
      { account: ACCOUNTS.providerClearing, amountFen: input.amountFen },
      { account: CREDIT_RECEIVABLE, amountFen: -input.amountFen },
    ],
    input.at,
  );
}

/**
 * The pay-later fee (module credit): charged to the merchant's payable, earned by the platform,
 * once per bill when the bill is collected (`reference` = the bill). Zero during the operator's
 * fee-free promotion (nothing is posted then).
 */
export async function chargePayLaterFee(
  trx: Db,
  input: { reference: string; storeId: string; amountFen: number; at: Date },
): Promise<boolean> {
  if (input.amountFen <= 0) return false;
  return postTransaction(
    trx,
    'payment',
    `fee:${input.reference}`,
    [
      { account: ACCOUNTS.merchantPayable(input.storeId), amountFen: input.amountFen },
      { account: ACCOUNTS.platformRevenue, amountFen: -input.amountFen },
    ],
    input.at,
  );
}
