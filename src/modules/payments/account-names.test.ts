import { describe, expect, it } from 'vitest';
import { accountType } from './account-names.ts';
import { ACCOUNTS } from './ledger.ts';

describe('account types', () => {
  it('tells the platform accounts and a store payable apart', () => {
    const store = '1f5d2c3a-0b4e-4f6a-9c8d-7e6f5a4b3c2d';
    expect(accountType(ACCOUNTS.providerClearing)).toEqual({ type: 'provider_clearing', storeId: null });
    expect(accountType(ACCOUNTS.orderEscrow)).toEqual({ type: 'order_escrow', storeId: null });
    expect(accountType(ACCOUNTS.platformRevenue)).toEqual({ type: 'platform_revenue', storeId: null });
    expect(accountType(ACCOUNTS.merchantPayable(store))).toEqual({
      type: 'merchant_payable',
      storeId: store,
    });
  });

  it('does not take a malformed store id to the database, nor name an unknown account', () => {
    expect(accountType('merchant_payable:not-a-uuid')).toEqual({ type: 'merchant_payable', storeId: null });
    expect(accountType('suspense')).toEqual({ type: 'other', storeId: null });
  });
});
