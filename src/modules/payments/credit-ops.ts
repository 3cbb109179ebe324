import type { Db } from '../../platform/db.ts';
import { ACCOUNTS, postTransaction } from './ledger.ts';

/**
 * The pay-later fee (module credit): charged to the merchant's payable, earned by the platform,
 * once per bill when the bill is collected (`reference` = the bill). Nothing is posted for 0
 * (the operator's fee-free promotion). Ledger kind `credit_fee`.
 */
export async function chargePayLaterFee(
  trx: Db,
  input: { reference: string; storeId: string; amountFen: number; at: Date },
): Promise<boolean> {
  if (input.amountFen <= 0) return false;
  return postTransaction(
    trx,
    'credit_fee',
    input.reference,
    [
      { account: ACCOUNTS.merchantPayable(input.storeId), amountFen: input.amountFen },
      { account: ACCOUNTS.platformRevenue, amountFen: -input.amountFen },
    ],
    input.at,
  );
}
