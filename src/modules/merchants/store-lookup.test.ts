import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/test-db.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db.ts';
import { accountsWithPhones, IdentityService } from '../identity/index.ts';
import { MerchantsService } from './service.ts';
import { storesOwnedBy } from './store-lookup.ts';

describe('lookups other code uses instead of reading accounts and stores', () => {
  let database: Database;
  let owner: string;
  let buyer: string;
  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    const identity = new IdentityService({
      db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      exposeSandboxSmsCode: false,
    });
    owner = await identity.provision('13700000077', 'merchant', 'owner');
    buyer = await identity.provision('13600000077', 'buyer', 'buyer');
    const merchants = new MerchantsService({ db, clock: systemClock, productCounts: async () => new Map() });
    await merchants.openStore(
      { accountId: owner, role: 'merchant', phone: '13700000077', storeId: null },
      { name: '查找小店', description: '', businessType: 'food' },
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('finds the accounts of the phones that have one, with their role', async () => {
    const found = await accountsWithPhones(database.db, ['13700000077', '13600000077', '13500000000']);
    expect(found.sort((a, b) => a.phone.localeCompare(b.phone))).toEqual([
      { id: buyer, phone: '13600000077', role: 'buyer' },
      { id: owner, phone: '13700000077', role: 'merchant' },
    ]);
    expect(await accountsWithPhones(database.db, [])).toEqual([]);
  });

  it('finds the store an account owns, and none for an account that owns none', async () => {
    const stores = await storesOwnedBy(database.db, [owner, buyer]);
    expect([...stores.keys()]).toEqual([owner]);
    expect(stores.get(owner)).toMatchObject({ name: '查找小店', businessType: 'food' });
  });
});
