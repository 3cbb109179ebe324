import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { CatalogService } from '../../src/modules/catalog/index.ts';
import { IdentityService } from '../../src/modules/identity/index.ts';
import { MerchantsService, staffStoreOf } from '../../src/modules/merchants/index.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Db } from '../../src/platform/db.ts';

/**
 * Accounts, stores and products for order and payment tests, made through the same services the
 * API uses (so a product gets its first price-history row, a store its owner, like in real use),
 * without the HTTP round trips of the merchants and catalog APIs.
 *
 * The services are those of the app built on `db` (registered by createTestApp, with its
 * ManualClock), or, for a bare database from freshDatabase(), services built on it here.
 */

export interface FixtureServices {
  identity: IdentityService;
  merchants: MerchantsService;
  catalog: CatalogService;
}

const registered = new WeakMap<Db, FixtureServices>();

/** Makes the fixtures on `db` use these services (createTestApp registers its app's). */
export function registerFixtureServices(db: Db, services: FixtureServices): void {
  registered.set(db, services);
}

function servicesFor(db: Db): FixtureServices {
  let services = registered.get(db);
  if (!services) {
    const clock = systemClock;
    const catalog = new CatalogService({ db, clock, dataDir: '/nonexistent-fixture-media' });
    const identity = new IdentityService({
      db,
      clock,
      log: pino({ level: 'silent' }),
      exposeSandboxSmsCode: false,
      storeOfAccount: (accountId) => staffStoreOf(db, accountId),
    });
    services = {
      identity,
      merchants: new MerchantsService({
        db,
        clock,
        productCounts: catalog.productCountsByStore,
        accountPhones: identity.accountPhones,
        // Apps over this database in this process drop their cached sessions of the owner.
        accountChanged: identity.accountChanged,
      }),
      catalog,
    };
    registered.set(db, services);
  }
  return services;
}

/** A leaf category that is not apparel: no size chart or sizes needed. */
export const FIXTURE_CATEGORY = 'home-storage';
let counter = 0;

export async function createAccount(
  db: Db,
  role: 'buyer' | 'merchant' | 'operator',
  phone?: string,
): Promise<string> {
  const number = phone ?? `1${randomInt(3, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
  return servicesFor(db).identity.provision(number, role, `fixture ${role}`);
}

/** Read-only: the id of the account with this phone. */
export async function accountIdOf(db: Db, phone: string): Promise<string> {
  const r = await sql<{ id: string }>`select id from accounts where phone = ${phone}`.execute(db);
  const id = r.rows[0]?.id;
  if (!id) throw new Error(`no account ${phone}`);
  return id;
}

/** The merchant actor of a store's owner, as a signed-in request would carry it. */
const storeOwners = new Map<string, Actor>();

async function ownerOf(db: Db, storeId: string): Promise<Actor> {
  const known = storeOwners.get(storeId);
  if (known) return known;
  // Read-only: a store made outside these fixtures (through the API).
  const r = await sql<{ account_id: string }>`
    select account_id from store_staff where store_id = ${storeId} and staff_role = 'owner'`.execute(db);
  const accountId = r.rows[0]?.account_id;
  if (!accountId) throw new Error(`no store ${storeId}`);
  const profile = await servicesFor(db).identity.profile(accountId);
  return { accountId, role: 'merchant', phone: profile.phone, storeId };
}

/** A store owned by `ownerAccountId` (a new merchant account when absent), opened by its owner. */
export async function createStore(
  db: Db,
  options: { ownerAccountId?: string; name?: string } = {},
): Promise<{ storeId: string; ownerAccountId: string }> {
  const { identity, merchants } = servicesFor(db);
  const ownerAccountId = options.ownerAccountId ?? (await createAccount(db, 'merchant'));
  const owner = await identity.profile(ownerAccountId);
  counter += 1;
  const store = await merchants.openStore(
    { accountId: ownerAccountId, role: 'merchant', phone: owner.phone, storeId: null },
    {
      name: options.name ?? `Fixture store ${counter} ${ownerAccountId.slice(0, 8)}`,
      businessType: 'general',
    },
  );
  storeOwners.set(store.id, {
    accountId: ownerAccountId,
    role: 'merchant',
    phone: owner.phone,
    storeId: store.id,
  });
  return { storeId: store.id, ownerAccountId };
}

export interface FixtureSku {
  priceFen: number;
  stock: number;
  size?: string;
  color?: string;
}

/** A product created by the store's owner through the catalog (price history included). */
export async function createProduct(
  db: Db,
  storeId: string,
  options: { title?: string; status?: 'on_sale' | 'off_sale'; categoryId?: string; skus: FixtureSku[] },
): Promise<{ productId: string; skuIds: string[] }> {
  const { catalog } = servicesFor(db);
  const owner = await ownerOf(db, storeId);
  const [created] = await catalog.createProducts(owner, [
    {
      title: options.title ?? 'Fixture tee',
      description: '',
      brand: '',
      categoryId: options.categoryId ?? FIXTURE_CATEGORY,
      images: ['https://example.com/tee.png'],
      skus: options.skus.map((sku, i) => ({
        size: sku.size ?? `S${i}`,
        color: sku.color ?? 'black',
        priceFen: sku.priceFen,
        stock: sku.stock,
      })),
    },
  ]);
  if (!created) throw new Error('product was not created');
  if (options.status === 'off_sale') await catalog.updateProduct(owner, created.id, { status: 'off_sale' });
  return { productId: created.id, skuIds: created.skuIds };
}

/** Read-only: a SKU's stock on hand. */
export async function stockOf(db: Db, skuId: string): Promise<number> {
  const r = await sql<{ stock: number }>`select stock from skus where id = ${skuId}`.execute(db);
  return r.rows[0]?.stock ?? Number.NaN;
}

/** Read-only: the number of rows in a table. */
export async function countRows(db: Db, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export const testAddress = {
  name: '张三',
  phone: '13812345678',
  province: '北京市',
  city: '北京市',
  district: '海淀区',
  detail: '中关村大街 1 号',
};
