import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.ts';
import { newId } from '../../src/platform/ids.ts';

/**
 * Small direct inserts for stores, products and SKUs, so order and payment tests do not depend
 * on the catalog and merchants APIs.
 */

const TEST_CATEGORY = 'test-fixture-leaf';
let counter = 0;

export async function createAccount(
  db: Db,
  role: 'buyer' | 'merchant' | 'operator',
  phone?: string,
): Promise<string> {
  const id = newId();
  const number = phone ?? `1${randomInt(3, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
  await sql`insert into accounts (id, phone, role, nickname, created_at)
    values (${id}, ${number}, ${role}, ${`fixture ${role}`}, now())`.execute(db);
  return id;
}

export async function accountIdOf(db: Db, phone: string): Promise<string> {
  const r = await sql<{ id: string }>`select id from accounts where phone = ${phone}`.execute(db);
  const id = r.rows[0]?.id;
  if (!id) throw new Error(`no account ${phone}`);
  return id;
}

/** A store owned by `ownerAccountId` (a new merchant account when absent), with its staff row. */
export async function createStore(
  db: Db,
  options: { ownerAccountId?: string; name?: string } = {},
): Promise<{ storeId: string; ownerAccountId: string }> {
  const ownerAccountId = options.ownerAccountId ?? (await createAccount(db, 'merchant'));
  const storeId = newId();
  counter += 1;
  await sql`insert into stores (id, owner_account_id, name, opened_at)
    values (${storeId}, ${ownerAccountId}, ${options.name ?? `Fixture store ${counter} ${storeId.slice(0, 8)}`}, now())`.execute(
    db,
  );
  await sql`insert into store_staff (store_id, account_id, staff_role) values (${storeId}, ${ownerAccountId}, 'owner')`.execute(
    db,
  );
  return { storeId, ownerAccountId };
}

export interface FixtureSku {
  priceFen: number;
  stock: number;
  size?: string;
  color?: string;
}

export async function createProduct(
  db: Db,
  storeId: string,
  options: { title?: string; status?: 'on_sale' | 'off_sale'; skus: FixtureSku[] },
): Promise<{ productId: string; skuIds: string[] }> {
  await sql`insert into categories (id, parent_id, name_zh, name_en) values (${TEST_CATEGORY}, null, '测试', 'Test')
    on conflict (id) do nothing`.execute(db);
  const productId = newId();
  await sql`insert into products (id, store_id, category_id, title, images, status, created_at, updated_at)
    values (${productId}, ${storeId}, ${TEST_CATEGORY}, ${options.title ?? 'Fixture tee'},
            ${JSON.stringify(['https://example.com/tee.png'])}::jsonb, ${options.status ?? 'on_sale'}, now(), now())`.execute(
    db,
  );
  const skuIds: string[] = [];
  for (const [i, sku] of options.skus.entries()) {
    const id = newId();
    skuIds.push(id);
    await sql`insert into skus (id, product_id, size, color, price_fen, stock)
      values (${id}, ${productId}, ${sku.size ?? `S${i}`}, ${sku.color ?? 'black'}, ${sku.priceFen}, ${sku.stock})`.execute(
      db,
    );
  }
  return { productId, skuIds };
}

export async function stockOf(db: Db, skuId: string): Promise<number> {
  const r = await sql<{ stock: number }>`select stock from skus where id = ${skuId}`.execute(db);
  return r.rows[0]?.stock ?? Number.NaN;
}

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
