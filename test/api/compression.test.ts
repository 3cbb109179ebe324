import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Listings carry their pictures inline, so API answers over 1 KB travel compressed when the client asks. */
describe('compressed API answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const { storeId } = await createStore(t.db);
    for (let i = 0; i < 12; i++)
      await createProduct(t.db, storeId, {
        title: `压缩测试 T恤 ${i}`,
        skus: [{ priceFen: 5900 + i, stock: 5 }],
      });
  });
  afterAll(() => t.close());

  const listing = (encoding?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/api/v1/products?pageSize=20',
      headers: encoding ? { 'accept-encoding': encoding } : {},
    });

  it('sends a listing in brotli or gzip, as asked, and it decodes to the same answer', async () => {
    const plain = await listing();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);

    const br = await listing('br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());

    const gz = await listing('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('leaves small answers as they are', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/products/00000000-0000-4000-8000-000000000000',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().error.code).toBe('not_found');
  });
});
