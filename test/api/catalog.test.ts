import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSales } from '../../src/modules/catalog/index.ts';
import { priceHistory } from '../../src/modules/pricing/index.ts';
import { apiOf, refusedOf } from '../support/api.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const tee = {
  title: '纯棉宽松短袖T恤 夏季百搭_100%棉',
  description: '精梳棉面料，亲肤透气，宽松版型。',
  categoryId: 'women-tshirt',
  images: ['data:image/svg+xml;base64,PHN2Zy8+'],
  brand: '棉知道',
  fitType: 'loose',
  sizeChart: {
    S: { chest: 96, length: 62, shoulder: 40 },
    M: { chest: 100, length: 64, shoulder: 41 },
    L: { chest: 104, length: 66, shoulder: 42 },
  },
  skus: ['S', 'M', 'L'].flatMap((size, i) =>
    ['白色', '黑色'].map((color) => ({ size, color, priceFen: 5900 + i * 500, stock: 50 })),
  ),
};

const rice = {
  title: '盘锦大米 蟹田稻 5kg',
  description: '当季新米',
  categoryId: 'food-rice',
  images: ['https://img.example.com/rice.jpg'],
  skus: [
    { size: '5kg', priceFen: 4990, stock: 200 },
    { size: '10kg', priceFen: 8990, stock: 100 },
  ],
};

/** A 1×1 PNG. */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('catalog: categories, products, SKUs, listings, price history, uploads', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiOf>;
  let refused: ReturnType<typeof refusedOf>;
  let dataDir: string;
  let merchant: string;
  let rival: string;
  let buyer: string;
  let operator: string;
  let storeId: string;
  let productId: string;
  let skuIds: string[];

  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0]?.n;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-catalog-'));
    t = await createTestApp({ dataDir });
    call = apiOf(t);
    refused = refusedOf(t, { errorCode: true });
    merchant = await t.signIn('13700200001', 'merchant');
    rival = await t.signIn('13700200002', 'merchant');
    buyer = await t.signIn('13600200001', 'buyer');
    await t.services.identity.provision('13900200000', 'operator', '运营');
    operator = await t.signIn('13900200000', 'operator');
    const opened = await call('POST', '/stores', merchant, { name: '棉知道旗舰店', businessType: 'apparel' });
    storeId = opened.json().store.id;
    await call('POST', '/stores', rival, { name: '隔壁小店', businessType: 'general' });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the two-level category tree', async () => {
    const res = await call('GET', '/categories');
    const roots = res.json().categories as Array<{
      id: string;
      nameZh: string;
      isApparel: boolean;
      children: Array<{ id: string; nameZh: string; isApparel: boolean }>;
    }>;
    expect(roots.map((r) => r.nameZh)).toEqual(['女装', '男装', '童装', '食品', '家居']);
    const women = roots.find((r) => r.id === 'women');
    expect(women?.children.map((c) => c.nameZh)).toEqual(
      expect.arrayContaining(['T恤', '衬衫', '连衣裙', '牛仔裤']),
    );
    expect(women?.children.every((c) => c.isApparel)).toBe(true);
    const food = roots.find((r) => r.id === 'food');
    expect(food?.isApparel).toBe(false);
    expect(food?.children.map((c) => c.nameZh)).toEqual(expect.arrayContaining(['大米', '零食', '生鲜']));
  });

  it('creates a garment with SKUs and a size chart, each SKU with its first price-history row', async () => {
    const res = await call('POST', '/merchant/products', merchant, tee);
    expect(res.statusCode, res.body).toBe(201);
    const product = res.json().product;
    productId = product.id;
    skuIds = product.skus.map((s: { id: string }) => s.id);
    expect(product).toMatchObject({
      title: tee.title,
      storeId,
      storeName: '棉知道旗舰店',
      fitType: 'loose',
      status: 'on_sale',
      sizes: ['S', 'M', 'L'],
      colors: ['白色', '黑色'],
      sizeChart: tee.sizeChart,
    });
    expect(product.skus).toHaveLength(6);
    for (const id of skuIds) {
      const history = await priceHistory(t.db, id);
      expect(history).toHaveLength(1);
    }
    t.clock.advance(60_000);
    const food = await call('POST', '/merchant/products', merchant, rice);
    expect(food.statusCode, food.body).toBe(201);
    expect(food.json().product.sizeChart).toBeNull();
  });

  it('shows the product page with the final price per SKU', async () => {
    const res = await call('GET', `/products/${productId}`);
    expect(res.statusCode).toBe(200);
    const { product } = res.json();
    const l = product.skus.find((s: { size: string; color: string }) => s.size === 'L' && s.color === '黑色');
    expect(l).toMatchObject({ priceFen: 6900, stock: 50 });
    expect(l.finalPrice.unitFen).toBe(6900);
    expect(l.finalPrice.breakdown.reduce((sum: number, b: { fen: number }) => sum + b.fen, 0)).toBe(6900);
    // The chart's rows come in the order the product sells its sizes (jsonb alone gives L, M, S).
    expect(Object.keys(product.sizeChart)).toEqual(['S', 'M', 'L']);
    const mine = (await call('GET', `/merchant/products/${productId}`, merchant)).json().product;
    expect(Object.keys(mine.sizeChart)).toEqual(['S', 'M', 'L']);
    await refused(404, 'GET', '/products/7f1d2c3e-0000-4000-8000-000000000000');
    await refused(400, 'GET', '/products/nope');
  });

  it('lists it on the home feed, by leaf and root category, by store and by keyword', async () => {
    const ids = async (query: string) => {
      const res = await call('GET', `/products${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Array<{ id: string }>).map((i) => i.id);
    };
    const home = await call('GET', '/products');
    const card = home.json().items.find((i: { id: string }) => i.id === productId);
    expect(card).toMatchObject({
      title: tee.title,
      storeId,
      storeName: '棉知道旗舰店',
      priceFen: 5900,
      sales: 0,
    });
    expect(card.image).toBe(tee.images[0]);
    expect(home.json().total).toBe(2);
    expect(await ids('?categoryId=women-tshirt')).toEqual([productId]);
    expect(await ids('?categoryId=women')).toEqual([productId]);
    expect(await ids('?categoryId=men')).toEqual([]);
    expect(await ids('?categoryId=food')).toHaveLength(1);
    expect(await ids(`?storeId=${storeId}`)).toHaveLength(2);
    expect(await ids(`?q=${encodeURIComponent('短袖')}`)).toEqual([productId]);
    expect(await ids(`?q=${encodeURIComponent('棉知道')}`)).toEqual([productId]); // brand
    expect(await ids(`?q=${encodeURIComponent('新米')}`)).toHaveLength(1); // description
    // Wildcards in the keyword are literal characters.
    expect(await ids(`?q=${encodeURIComponent('%')}`)).toEqual([productId]);
    expect(await ids(`?q=${encodeURIComponent('_100%')}`)).toEqual([productId]);
    expect(await ids(`?q=${encodeURIComponent('米_5')}`)).toEqual([]);
    const [riceId] = await ids('?categoryId=food');
    expect(await ids('?sort=price_asc')).toEqual([riceId, productId]);
    expect((await ids('?sort=price_desc'))[0]).toBe(productId);
    const page2 = await call('GET', '/products?page=2&pageSize=1');
    expect(page2.json()).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.json().items).toHaveLength(1);
    const store = await call('GET', `/stores/${storeId}`);
    expect(store.json().store.productCount).toBe(2);
  });

  it('counts units sold on the product, which the sales sort follows', async () => {
    const bySales = async () =>
      (await call('GET', '/products?sort=sales')).json().items.map((i: { id: string }) => i.id);
    // No sales yet: ties fall back to newest first, so the rice (created later) leads.
    expect((await bySales())[0]).not.toBe(productId);
    const sku = skuIds[3] as string;
    await t.db.transaction().execute((trx) =>
      recordSales(trx, [
        { skuId: sku, quantity: 2 },
        { skuId: sku, quantity: 1 },
      ]),
    );
    expect((await bySales())[0]).toBe(productId);
    expect((await call('GET', `/products/${productId}`)).json().product.sales).toBe(3);
    await t.db.transaction().execute((trx) => recordSales(trx, [{ skuId: sku, quantity: -3 }]));
    expect((await call('GET', `/products/${productId}`)).json().product.sales).toBe(0);
  });

  it('records a SKU price change in price history, in the same change', async () => {
    const skuId = skuIds[0] as string;
    const before = await count('price_history');
    const res = await call('PATCH', `/merchant/products/${productId}/skus/${skuId}`, merchant, {
      priceFen: 4900,
    });
    expect(res.statusCode, res.body).toBe(200);
    const sku = res.json().product.skus.find((s: { id: string }) => s.id === skuId);
    expect(sku.priceFen).toBe(4900);
    expect(sku.finalPrice.unitFen).toBe(4900);
    const history = await priceHistory(t.db, skuId);
    expect(history.map((h) => h.priceFen)).toEqual([4900, 5900]);
    // A stock change, or the same price again, adds no history.
    const stock = await call('PATCH', `/merchant/products/${productId}/skus/${skuId}/stock`, merchant, {
      adjust: -43,
      reason: '盘点',
    });
    expect(stock.json().stock).toMatchObject({ onHand: 7, sellable: 7 });
    const mine = (await call('GET', `/merchant/products/${productId}`, merchant)).json().product;
    expect(mine.skus.find((s: { id: string }) => s.id === skuId).stock).toBe(7);
    await call('PATCH', `/merchant/products/${productId}/skus/${skuId}`, merchant, { priceFen: 4900 });
    expect(await count('price_history')).toBe(before + 1);
    const card = (await call('GET', `/products?storeId=${storeId}&categoryId=women`)).json().items[0];
    expect(card.priceFen).toBe(4900);
  });

  it('edits the product; off-sale products leave the listings', async () => {
    const res = await call('PATCH', `/merchant/products/${productId}`, merchant, {
      title: '纯棉宽松短袖T恤',
      fitType: 'regular',
      sizeChart: { S: { chest: 94 }, M: { chest: 98 }, L: { chest: 102 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().product).toMatchObject({ title: '纯棉宽松短袖T恤', fitType: 'regular' });
    expect(Object.keys(res.json().product.sizeChart)).toEqual(['S', 'M', 'L']);
    // The brand is saved, trimmed, and can be cleared again.
    const branded = await call('PATCH', `/merchant/products/${productId}`, merchant, {
      brand: ' 棉知道Pro ',
    });
    expect(branded.statusCode, branded.body).toBe(200);
    expect(branded.json().product.brand).toBe('棉知道Pro');
    expect((await call('GET', `/products/${productId}`)).json().product.brand).toBe('棉知道Pro');
    await call('PATCH', `/merchant/products/${productId}`, merchant, { brand: '' });
    expect((await call('GET', `/merchant/products/${productId}`, merchant)).json().product.brand).toBe('');
    await call('PATCH', `/merchant/products/${productId}`, merchant, { brand: tee.brand });
    await call('PATCH', `/merchant/products/${productId}`, merchant, { status: 'off_sale' });
    const listed = (await call('GET', '/products?categoryId=women')).json();
    expect(listed.total).toBe(0);
    expect((await call('GET', `/products/${productId}`)).json().product.status).toBe('off_sale');
    const mine = (await call('GET', '/merchant/products?status=off_sale', merchant)).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([productId]);
    await call('PATCH', `/merchant/products/${productId}`, merchant, { status: 'on_sale' });
    expect((await call('GET', '/products?categoryId=women')).json().total).toBe(1);
  });

  it('never lets another merchant read or edit the product', async () => {
    await refused(404, 'GET', `/merchant/products/${productId}`, rival);
    await refused(404, 'PATCH', `/merchant/products/${productId}`, rival, { title: '偷改' });
    await refused(404, 'PATCH', `/merchant/products/${productId}/skus/${skuIds[1]}`, rival, { priceFen: 1 });
    const theirs = (await call('GET', '/merchant/products', rival)).json();
    expect(theirs.total).toBe(0);
    // A SKU of one product addressed through another product is not found either.
    const food = (await call('GET', `/products?storeId=${storeId}&categoryId=food`)).json().items[0];
    await refused(404, 'PATCH', `/merchant/products/${food.id}/skus/${skuIds[1]}`, merchant, { priceFen: 1 });
    await refused(404, 'PATCH', `/merchant/products/${food.id}/skus/${skuIds[1]}/stock`, merchant, {
      adjust: 1,
      reason: 'x',
    });
  });

  it('refuses buyers and operators on merchant routes', async () => {
    for (const who of [buyer, operator]) {
      await refused(403, 'GET', '/merchant/products', who);
      await refused(403, 'GET', `/merchant/products/${productId}`, who);
      await refused(403, 'POST', '/merchant/products', who, tee);
      await refused(403, 'PATCH', `/merchant/products/${productId}`, who, { title: 'x' });
      await refused(403, 'PATCH', `/merchant/products/${productId}/skus/${skuIds[0]}`, who, { priceFen: 1 });
      await refused(403, 'POST', '/merchant/uploads', who, {
        dataUrl: `data:image/png;base64,${PNG_1PX.toString('base64')}`,
      });
    }
    await refused(401, 'POST', '/merchant/products', undefined, tee);
    const noStore = await t.signIn('13700200003', 'merchant');
    await refused(403, 'POST', '/merchant/products', noStore, tee);
  });

  it('answers 4xx in the error format to bad product input, changing nothing', async () => {
    const cases: Array<[number, string, unknown]> = [
      [422, 'size_chart_mismatch', { ...tee, sizeChart: { S: { chest: 96 }, M: { chest: 100 } } }],
      [422, 'size_chart_mismatch', { ...tee, sizeChart: { ...tee.sizeChart, XL: { chest: 108 } } }],
      [422, 'category_not_leaf', { ...tee, categoryId: 'women' }],
      [422, 'unknown_category', { ...tee, categoryId: 'cars' }],
      [422, 'size_chart_not_apparel', { ...rice, sizeChart: { '5kg': { length: 40 } } }],
      [422, 'fit_type_not_apparel', { ...rice, fitType: 'slim' }],
      [
        422,
        'size_required',
        { ...tee, sizeChart: null, skus: [{ size: '', color: '白', priceFen: 100, stock: 1 }] },
      ],
      [400, 'duplicate_sku', { ...tee, skus: [...tee.skus, tee.skus[0]] }],
      [400, 'validation_failed', { ...tee, sizeChart: { S: { chest: 0 } } }],
      [400, 'validation_failed', { ...tee, sizeChart: { S: { chest: 301 } } }],
      [400, 'validation_failed', { ...tee, sizeChart: { S: { neck: 40 } } }],
      [400, 'validation_failed', { ...tee, sizeChart: {} }],
      [400, 'validation_failed', { ...tee, sizeChart: { S: {} } }],
      [400, 'validation_failed', { ...tee, fitType: 'baggy' }],
      [400, 'validation_failed', { ...tee, images: [] }],
      [400, 'validation_failed', { ...tee, images: Array(10).fill(tee.images[0]) }],
      [400, 'validation_failed', { ...tee, images: ['javascript:alert(1)'] }],
      [400, 'validation_failed', { ...tee, skus: [] }],
      [400, 'validation_failed', { ...tee, skus: [{ size: 'S', color: '白', priceFen: 0, stock: 1 }] }],
      [400, 'validation_failed', { ...tee, skus: [{ size: 'S', color: '白', priceFen: 12.5, stock: 1 }] }],
      [400, 'validation_failed', { ...tee, skus: [{ size: 'S', color: '白', priceFen: 100, stock: -1 }] }],
      [400, 'validation_failed', { ...tee, title: '' }],
      [400, 'validation_failed', { ...tee, title: 'a\u0000b' }],
      [400, 'validation_failed', { ...tee, storeId: '7f1d2c3e-0000-4000-8000-000000000000' }],
    ];
    const products = await count('products');
    for (const [status, code, body] of cases) {
      const error = await refused(status, 'POST', '/merchant/products', merchant, body);
      expect(error.code, JSON.stringify(body).slice(0, 200)).toBe(code);
    }
    expect(await count('products')).toBe(products);

    const url = `/merchant/products/${productId}`;
    await refused(400, 'PATCH', url, merchant, { status: 'deleted' });
    await refused(400, 'PATCH', url, merchant, { title: '' });
    await refused(400, 'PATCH', url, merchant, { categoryId: 'men-tshirt' });
    expect((await refused(422, 'PATCH', url, merchant, { sizeChart: { XS: { chest: 80 } } })).code).toBe(
      'size_chart_mismatch',
    );
    const riceId = (await call('GET', `/products?storeId=${storeId}&categoryId=food`)).json().items[0].id;
    await refused(422, 'PATCH', `/merchant/products/${riceId}`, merchant, { fitType: 'slim' });
    await refused(400, 'PATCH', '/merchant/products/nope', merchant, { title: 'x' });
    await refused(404, 'PATCH', '/merchant/products/7f1d2c3e-0000-4000-8000-000000000000', merchant, {
      title: 'x',
    });

    const skuUrl = `/merchant/products/${productId}/skus/${skuIds[2]}`;
    await refused(400, 'PATCH', skuUrl, merchant, {});
    await refused(400, 'PATCH', skuUrl, merchant, { priceFen: 0 });
    await refused(400, 'PATCH', skuUrl, merchant, { priceFen: -100 });
    // Stock is never set blind through the SKU edit.
    await refused(400, 'PATCH', skuUrl, merchant, { stock: 1 });
    await refused(400, 'PATCH', skuUrl, merchant, { priceFen: 2 ** 63 });
    await refused(
      404,
      'PATCH',
      `/merchant/products/${productId}/skus/7f1d2c3e-0000-4000-8000-000000000000`,
      merchant,
      {
        priceFen: 1,
      },
    );

    await refused(400, 'GET', '/products?sort=cheapest');
    await refused(400, 'GET', '/products?pageSize=0');
    await refused(400, 'GET', '/products?storeId=abc');
    await refused(400, 'GET', '/products?categoryId=%27%20or%201%3D1');
    await refused(400, 'GET', '/merchant/products?status=gone', merchant);
    await refused(400, 'GET', '/ops/products?cursor=0', operator);
  });

  it('stores an uploaded image and serves it at /media/<file>', async () => {
    const res = await call('POST', '/merchant/uploads', merchant, {
      dataUrl: `data:image/png;base64,${PNG_1PX.toString('base64')}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const url = res.json().url as string;
    expect(url).toMatch(/^\/media\/[0-9a-f-]{36}\.png$/);
    const got = await t.app.inject({ method: 'GET', url });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG_1PX)).toBe(true);
    // The uploaded URL is accepted as a product image.
    const patched = await call('PATCH', `/merchant/products/${productId}`, merchant, { images: [url] });
    expect(patched.json().product.images).toEqual([url]);

    const files = () => fs.readdirSync(path.join(dataDir, 'media')).length;
    const before = files();
    const jpegClaim = `data:image/jpeg;base64,${PNG_1PX.toString('base64')}`;
    expect((await refused(400, 'POST', '/merchant/uploads', merchant, { dataUrl: jpegClaim })).code).toBe(
      'unsupported_image',
    );
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`;
    await refused(400, 'POST', '/merchant/uploads', merchant, { dataUrl: svg });
    await refused(400, 'POST', '/merchant/uploads', merchant, { dataUrl: 'data:image/png;base64,' });
    await refused(400, 'POST', '/merchant/uploads', merchant, { url: 'x' });
    const big = Buffer.concat([PNG_1PX, Buffer.alloc(2 * 1024 * 1024)]);
    expect(
      (
        await refused(413, 'POST', '/merchant/uploads', merchant, {
          dataUrl: `data:image/png;base64,${big.toString('base64')}`,
        })
      ).code,
    ).toBe('image_too_large');
    expect(files()).toBe(before);

    for (const bad of [
      '/media/..%2F..%2Fetc%2Fpasswd',
      '/media/secret.txt',
      '/media/7f1d2c3e-0000-4000-8000-000000000000.png',
    ]) {
      const r = await t.app.inject({ method: 'GET', url: bad });
      expect(r.statusCode, bad).toBe(404);
      expect(r.json().error.code).toBe('not_found');
    }
  });

  it('lists every product with its store for operators only', async () => {
    await refused(403, 'GET', '/ops/products', merchant);
    await refused(403, 'GET', '/ops/products', buyer);
    const res = await call('GET', '/ops/products?pageSize=50', operator);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
    expect(res.json().items[0]).toMatchObject({ storeName: '棉知道旗舰店' });
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const p of [
      '/api/v1/products',
      '/api/v1/merchant/products/{id}/skus/{skuId}',
      '/api/v1/stores',
      '/media/{file}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/api/v1/merchant/products'].post.tags).toContain('catalog');
  });
});
