import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP, cappedCount } from '../../src/platform/keyset.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The ops lists (merchants, products, orders) page by keyset: walking every page by `nextCursor`
 * sees each row once, newest first, also when rows share a timestamp (the id breaks the tie).
 */
describe('ops lists: keyset paging with a capped count', () => {
  let t: TestApp;
  let operator: string;
  let api: ReturnType<typeof apiOf>;

  /** Every page of a list, following the cursors; the pages' ids in order. */
  async function walk(path: string, pageSize: number, query = '') {
    const ids: string[] = [];
    let cursor: string | null = null;
    let totals: Array<{ total: number; totalCapped: boolean }> = [];
    for (let pages = 0; pages < 50; pages++) {
      const res = await api(
        'GET',
        `${path}?pageSize=${pageSize}${query}${cursor ? `&cursor=${cursor}` : ''}`,
        operator,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(pageSize);
      ids.push(...body.items.map((i: { id: string }) => i.id));
      totals = [...totals, { total: body.total, totalCapped: body.totalCapped }];
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return { ids, totals };
  }

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    await t.services.identity.provision('13900000000', 'operator', 'ops');
    api = apiOf(t);
    operator = await t.signIn('13900000000', 'operator');
  });
  afterAll(() => t.close());

  it('walks merchants and products page by page, each once, newest first', async () => {
    // Three stores opened at the same instant (the manual clock stands still), two later.
    const stores: string[] = [];
    for (let i = 0; i < 5; i++) {
      if (i >= 3) t.clock.advance(60_000);
      stores.push((await apparelMerchant(t, `1370020000${i}`, `店铺${i}`)).storeId);
    }
    const merchants = await walk('/ops/merchants', 2);
    expect(new Set(merchants.ids)).toEqual(new Set(stores));
    expect(merchants.ids).toHaveLength(5);
    expect(merchants.ids.slice(0, 2)).toEqual([stores[4], stores[3]]);
    expect(merchants.totals.every((c) => c.total === 5 && !c.totalCapped)).toBe(true);

    const seller = await apparelMerchant(t, '13700200009', '商品店');
    const products: string[] = [];
    for (let i = 0; i < 7; i++)
      products.push((await createApparel(t, seller.cookie, { sizes: ['M'] })).productId);
    const all = await walk('/ops/products', 3);
    expect(all.ids).toHaveLength(7);
    expect(new Set(all.ids)).toEqual(new Set(products));
    const onSale = await walk('/ops/products', 2, '&status=on_sale');
    expect(onSale.ids.sort()).toEqual([...all.ids].sort());
  });

  it('walks orders, with and without a status filter', async () => {
    const seller = await apparelMerchant(t, '13700200010', '订单店');
    const { skus } = await createApparel(t, seller.cookie, { sizes: ['S', 'M', 'L'] });
    const buyer = await t.signIn('13800200001', 'buyer');
    const orders: string[] = [];
    for (const size of ['S', 'M', 'L']) {
      t.clock.advance(1000);
      orders.push(await buyOrder(t, buyer, seller.cookie, [skus.get(`${size}|黑色`) as string], 'paid'));
    }
    const every = await walk('/ops/orders', 2);
    expect(every.ids).toEqual([...orders].reverse());
    const paid = await walk('/ops/orders', 1, '&status=paid');
    expect(paid.ids).toEqual([...orders].reverse());
    expect(paid.totals[0]).toEqual({ total: 3, totalCapped: false });
    expect((await walk('/ops/orders', 5, '&status=completed')).ids).toEqual([]);
  });

  it('refuses a cursor it did not give', async () => {
    for (const path of ['/ops/merchants', '/ops/products', '/ops/orders']) {
      const res = await api('GET', `${path}?cursor=page-2`, operator);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });

  it('stops counting at the cap', async () => {
    expect(await cappedCount(t.db, sql`from generate_series(1, ${COUNT_CAP + 5})`)).toEqual({
      total: COUNT_CAP,
      totalCapped: true,
    });
    expect(await cappedCount(t.db, sql`from generate_series(1, 42)`)).toEqual({
      total: 42,
      totalCapped: false,
    });
  });
});
