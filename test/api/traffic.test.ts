import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedCard, feedPage } from '../../src/modules/traffic/api-schema.ts';
import { apiOf } from '../support/api.ts';
import { createProduct, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('traffic: the feed, impressions and events', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let buyer: string;
  let otherBuyer: string;
  const products: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    buyer = await t.signIn('13600000101');
    otherBuyer = await t.signIn('13600000102');
    for (let s = 0; s < 4; s++) {
      const { storeId } = await createStore(t.db, { name: `Feed store ${s}` });
      for (let p = 0; p < 5; p++) {
        const { productId } = await createProduct(t.db, storeId, {
          title: `Item ${s}-${p}`,
          skus: [{ priceFen: 1000 + 100 * p, stock: 10 }],
        });
        products.push(productId);
      }
    }
  });
  afterAll(async () => t?.close());

  it('answers a page for an anonymous viewer with cards, impression ids and positions, and no source', async () => {
    const res = await api('GET', '/feed?limit=8');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.items).toHaveLength(8);
    expect(page.items.map((i: { position: number }) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const item of page.items) {
      expect(item.kind).toBe('product');
      expect(products).toContain(item.id);
      expect(item.link).toBe(`/product/${item.id}?from=feed&imp=${item.impressionId}`);
      expect(item).not.toHaveProperty('source');
    }
    expect(res.headers['set-cookie']).toBeDefined();
    // The route writes its answer without zod (the hot path): the answer is exactly what the schema allows.
    expect(feedPage.strict().parse(page)).toEqual(page);
    for (const item of page.items) expect(feedCard.strict().parse(item)).toEqual(item);
  });

  it('logs a page as one row; each card is an impression of the view, its id naming page and slot', async () => {
    const res = await api('GET', '/feed?limit=6', buyer);
    const items = res.json().items as Array<{
      impressionId: string;
      storeId: string;
      id: string;
      position: number;
    }>;
    await t.services.traffic.flush();
    const pageId = `${items[0]?.impressionId.slice(0, 32)}0000`;
    const page = await sql<{ n: number; item_ids: string[] }>`
      select cardinality(item_ids)::int as n, item_ids::text[] as item_ids from traffic_pages where id = ${pageId}`.execute(
      t.db,
    );
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]?.item_ids).toEqual(items.map((i) => i.id));
    const view = await sql<{ id: string; item_id: string; store_id: string; position: number }>`
      select id, item_id, store_id, position from traffic_impressions
      where id = any(${items.map((i) => i.impressionId)}::uuid[]) order by position`.execute(t.db);
    expect(view.rows).toEqual(
      items.map((i) => ({ id: i.impressionId, item_id: i.id, store_id: i.storeId, position: i.position })),
    );
  });

  it('logs each shown item as an impression with its viewer, store, source and day', async () => {
    const res = await api('GET', '/feed?limit=5', buyer);
    const items = res.json().items as Array<{ impressionId: string; storeId: string; id: string }>;
    await t.services.traffic.flush();
    const rows = await sql<{ id: string; buyer_id: string; store_id: string; source: string; day: string }>`
      select id, buyer_id, store_id, source, day::text as day from traffic_impressions
      where id = any(${items.map((i) => i.impressionId)}::uuid[])`.execute(t.db);
    expect(rows.rows).toHaveLength(5);
    for (const r of rows.rows) {
      expect(r.buyer_id).not.toBeNull();
      expect(['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth']).toContain(r.source);
      expect(r.day).toBe('2026-03-01');
    }
  });

  it('counts a click once per impression and kind; another viewer gets 404', async () => {
    const res = await api('GET', '/feed?limit=3', buyer);
    const imp = res.json().items[0].impressionId as string;
    const first = await api('POST', '/feed/events', buyer, { impressionId: imp, kind: 'click' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ counted: true });
    const again = await api('POST', '/feed/events', buyer, { impressionId: imp, kind: 'click' });
    expect(again.json()).toEqual({ counted: false });
    const cart = await api('POST', '/feed/events', buyer, { impressionId: imp, kind: 'cart' });
    expect(cart.json()).toEqual({ counted: true });
    const other = await api('POST', '/feed/events', otherBuyer, { impressionId: imp, kind: 'click' });
    expect(other.statusCode).toBe(404);
  });

  it('an anonymous viewer clicks with its cookie; without it the impression is not theirs', async () => {
    const res = await api('GET', '/feed?limit=2');
    const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
    const imp = res.json().items[0].impressionId as string;
    const other = await api('POST', '/feed/events', undefined, { impressionId: imp, kind: 'click' });
    expect(other.statusCode).toBe(404);
    const mine = await api('POST', '/feed/events', cookie, { impressionId: imp, kind: 'click' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toEqual({ counted: true });
    // Pages of one session do not repeat items.
    const next = await api('GET', `/feed?limit=5&cursor=${res.json().nextCursor}`, cookie);
    expect(next.statusCode, next.body).toBe(200);
    const first = res.json().items.map((i: { id: string }) => i.id);
    for (const item of next.json().items) expect(first).not.toContain(item.id);
    expect(next.json().items[0].position).toBe(2);
  });

  it('refuses bad input with a 4xx', async () => {
    for (const q of ['limit=0', 'limit=51', 'limit=x', 'cursor=%00', 'cursor=abc', 'other=1']) {
      const res = await api('GET', `/feed?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    const bodies: unknown[] = [
      {},
      { impressionId: 'nope', kind: 'click' },
      { impressionId: '00000000-0000-4000-8000-000000000000', kind: 'order' },
      { impressionId: '00000000-0000-4000-8000-000000000000', kind: 'click', extra: 1 },
    ];
    for (const body of bodies) {
      const res = await api('POST', '/feed/events', buyer, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const unknown = await api('POST', '/feed/events', buyer, {
      impressionId: '00000000-0000-4000-8000-000000000000',
      kind: 'click',
    });
    expect(unknown.statusCode).toBe(404);
  });
});
