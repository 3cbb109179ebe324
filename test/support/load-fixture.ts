import pino from 'pino';
import { CatalogService } from '../../src/modules/catalog/index.ts';
import { IdentityService } from '../../src/modules/identity/index.ts';
import { MerchantsService, staffStoreOf } from '../../src/modules/merchants/index.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import type { Db } from '../../src/platform/db.ts';

export interface LoadFixture {
  storeId: string;
  skuIds: string[];
  /** Session tokens of buyers (cookie values). */
  buyerTokens: string[];
  initialStock: Map<string, number>;
}

/**
 * A store with `skuCount` SKUs of `stockPerSku` units and `buyers` signed-in buyers, made through
 * the identity, merchants and catalog services (no HTTP): the set-up of load, crash and benchmark
 * runs, not what they measure.
 */
export async function createLoadFixture(
  db: Db,
  options: { skuCount: number; stockPerSku: number; buyers: number; priceFen?: number; clock?: Clock },
): Promise<LoadFixture> {
  const clock = options.clock ?? systemClock;
  const identity = new IdentityService({
    db,
    clock,
    log: pino({ level: 'silent' }),
    exposeSandboxSmsCode: false,
    storeOfAccount: (accountId) => staffStoreOf(db, accountId),
  });
  const catalog = new CatalogService({ db, clock, dataDir: '/nonexistent-fixture-media' });
  const merchants = new MerchantsService({
    db,
    clock,
    productCounts: catalog.productCountsByStore,
    accountPhones: identity.accountPhones,
  });
  const suffix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  const ownerPhone = `17${suffix}999`;
  const ownerId = await identity.provision(ownerPhone, 'merchant', 'load-merchant');
  const store = await merchants.openStore(
    { accountId: ownerId, role: 'merchant', phone: ownerPhone, storeId: null },
    { name: `压测小店-${suffix}`, businessType: 'general' },
  );
  const owner: Actor = { accountId: ownerId, role: 'merchant', phone: ownerPhone, storeId: store.id };
  const [product] = await catalog.createProducts(owner, [
    {
      title: '压测商品 load-test item',
      description: '',
      brand: '',
      categoryId: 'home-storage',
      images: ['https://example.com/load-test.png'],
      skus: Array.from({ length: options.skuCount }, (_, i) => ({
        size: `S${i}`,
        color: 'black',
        priceFen: options.priceFen ?? 1990,
        stock: options.stockPerSku,
      })),
    },
  ]);
  if (!product) throw new Error('load-test product was not created');
  const skuIds = product.skuIds;
  const initialStock = new Map(skuIds.map((id) => [id, options.stockPerSku]));
  const buyerTokens: string[] = [];
  for (let i = 0; i < options.buyers; i++) {
    const accountId = await identity.provision(
      `15${suffix}${String(i).padStart(3, '0')}`,
      'buyer',
      `buyer${i}`,
    );
    buyerTokens.push(await identity.openSession(accountId));
  }
  return { storeId: store.id, skuIds, buyerTokens, initialStock };
}
