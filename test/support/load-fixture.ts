import { sql } from 'kysely';
import pino from 'pino';
import { IdentityService } from '../../src/modules/identity/index.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import type { Db } from '../../src/platform/db.ts';
import { newId } from '../../src/platform/ids.ts';

export interface LoadFixture {
  storeId: string;
  skuIds: string[];
  /** Session tokens of buyers (cookie values). */
  buyerTokens: string[];
  initialStock: Map<string, number>;
}

/**
 * A store with `skuCount` SKUs of `stockPerSku` units and `buyers` signed-in buyers, written
 * straight to the database: the set-up of load, crash and benchmark runs, not what they measure.
 */
export async function createLoadFixture(
  db: Db,
  options: { skuCount: number; stockPerSku: number; buyers: number; priceFen?: number; clock?: Clock },
): Promise<LoadFixture> {
  const clock = options.clock ?? systemClock;
  const now = clock.now();
  const identity = new IdentityService({
    db,
    clock,
    log: pino({ level: 'silent' }),
    exposeSandboxSmsCode: false,
  });
  const suffix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  const ownerId = await identity.provision(`17${suffix}999`, 'merchant', 'load-merchant');
  const storeId = newId();
  await sql`insert into stores (id, owner_account_id, name, business_type, opened_at)
            values (${storeId}, ${ownerId}, ${`压测小店-${suffix}`}, 'general', ${now})`.execute(db);
  await sql`insert into store_staff (store_id, account_id, staff_role) values (${storeId}, ${ownerId}, 'owner')`.execute(
    db,
  );
  await sql`insert into categories (id, name_zh, name_en) values ('load-test', '压测', 'Load test')
            on conflict (id) do nothing`.execute(db);
  const productId = newId();
  await sql`insert into products (id, store_id, category_id, title, created_at, updated_at)
            values (${productId}, ${storeId}, 'load-test', '压测商品 load-test item', ${now}, ${now})`.execute(
    db,
  );
  const skuIds: string[] = [];
  const initialStock = new Map<string, number>();
  for (let i = 0; i < options.skuCount; i++) {
    const id = newId();
    skuIds.push(id);
    initialStock.set(id, options.stockPerSku);
    await sql`insert into skus (id, product_id, size, color, price_fen, stock)
              values (${id}, ${productId}, ${`S${i}`}, 'black', ${options.priceFen ?? 1990}, ${options.stockPerSku})`.execute(
      db,
    );
  }
  const buyerTokens: string[] = [];
  for (let i = 0; i < options.buyers; i++) {
    const accountId = await identity.provision(
      `15${suffix}${String(i).padStart(3, '0')}`,
      'buyer',
      `buyer${i}`,
    );
    buyerTokens.push(await identity.openSession(accountId));
  }
  return { storeId, skuIds, buyerTokens, initialStock };
}
