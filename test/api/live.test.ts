import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMENT_CHARS } from '../../src/modules/live/index.ts';
import { deliverEvents } from '../support/events.ts';
import { testAddress } from '../support/fixtures.ts';
import { placeAndPay } from '../support/payments.ts';
import { apiOf, apparelMerchant, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Live sessions (issue 14): scheduling, reservations once per buyer, the reservers' notices when the
 * session starts, pinning only the session's own products, comment rules, viewers over the room's
 * WebSocket, the sales ticker from paid orders bought in the room, and only the store's merchant
 * controls its session. Bad input is a 4xx and changes nothing.
 */
describe('live sessions', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let merchantStore: string;
  let otherMerchant: string;
  let products: string[];
  let skuOf: Map<string, string>;
  let foreignProduct: string;
  let phoneSeq = 0;
  const nextBuyer = async () => {
    phoneSeq += 1;
    return t.signIn(`1362000${String(1000 + phoneSeq).padStart(4, '0')}`);
  };
  const inAnHour = () => new Date(t.clock.now().getTime() + 3_600_000).toISOString();
  const schedule = async (productIds = products) => {
    const res = await api('POST', '/merchant/live/sessions', merchant, {
      title: '秋季新品直播',
      scheduledAt: inAnHour(),
      productIds,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().session.id as string;
  };
  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0]?.n;

  /** A video row (its file is not needed here) naming session `sessionId`. */
  const videoOf = async (
    sessionId: string | null,
    kind: 'reservation' | 'seeding' | 'replay' = 'reservation',
    status: 'published' | 'draft' = 'published',
  ) => {
    const id = randomUUID();
    await sql`
      insert into videos (id, store_id, kind, title, status, product_ids, live_session_id, file_name,
        content_type, size_bytes, duration_ms, width, height, created_at, published_at)
      values (${id}, ${merchantStore}, ${kind}, '预约视频', ${status}, ${[]}::uuid[], ${sessionId},
        ${`${id}.mp4`}, 'video/mp4', 1000, 3000, 720, 1280, now(), now())`.execute(t.db);
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId: merchantStore } = await apparelMerchant(t, '13620009001', '直播小店'));
    ({ cookie: otherMerchant } = await apparelMerchant(t, '13620009002', '隔壁小店'));
    products = [];
    skuOf = new Map();
    for (const title of ['直播T恤', '直播卫衣', '直播长裤']) {
      const p = await createApparel(t, merchant, { title, sizes: ['M'] });
      products.push(p.productId);
      skuOf.set(p.productId, p.skus.get('M|黑色') as string);
    }
    foreignProduct = (await createApparel(t, otherMerchant, { title: '别家T恤', sizes: ['M'] })).productId;
  });
  afterAll(async () => t.close());

  it('schedules a session with its own products only; bad input is a 4xx and stores nothing', async () => {
    const before = await count('live_sessions');
    const foreign = await api('POST', '/merchant/live/sessions', merchant, {
      title: '混入别家商品',
      scheduledAt: inAnHour(),
      productIds: [products[0], foreignProduct],
    });
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.code).toBe('product_not_in_store');
    for (const body of [
      { title: '', scheduledAt: inAnHour(), productIds: products },
      { title: 'a\u0000b', scheduledAt: inAnHour(), productIds: products },
      { title: '换行\n标题', scheduledAt: inAnHour(), productIds: products },
      { title: '好', scheduledAt: 'tomorrow', productIds: products },
      { title: '好', scheduledAt: inAnHour(), productIds: [] },
      { title: '好', scheduledAt: inAnHour(), productIds: ['not-a-uuid'] },
      { title: 'x'.repeat(61), scheduledAt: inAnHour(), productIds: products },
    ]) {
      const res = await api('POST', '/merchant/live/sessions', merchant, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const buyer = await nextBuyer();
    const asBuyer = await api('POST', '/merchant/live/sessions', buyer, {
      title: '买家不能开播',
      scheduledAt: inAnHour(),
      productIds: products,
    });
    expect(asBuyer.statusCode).toBe(403);
    expect(await count('live_sessions')).toBe(before);

    const id = await schedule();
    const listed = await api('GET', '/merchant/live/sessions', merchant);
    expect(listed.json().items.map((s: { id: string }) => s.id)).toContain(id);
    const detail = await api('GET', `/merchant/live/sessions/${id}`, merchant);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().session.streamKey).toMatch(/^[\w-]{20,}$/);
    expect(detail.json().session.products.map((p: { id: string }) => p.id)).toEqual(products);
    // The public view has the products with final prices and never the stream key.
    const pub = await api('GET', `/live/sessions/${id}`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.body).not.toContain(detail.json().session.streamKey);
    expect(pub.json().session.products[0].priceFen).toBe(9900);
    expect((await t.services.live.sessionByStreamKey(detail.json().session.streamKey))?.id).toBe(id);
    expect((await t.services.live.getSession(id))?.status).toBe('scheduled');
  });

  it('a cover is an https: URL or a path of ours, never javascript: or data:', async () => {
    const make = (cover: unknown) =>
      api('POST', '/merchant/live/sessions', merchant, {
        title: '封面测试',
        scheduledAt: inAnHour(),
        productIds: products,
        cover,
      });
    const before = await count('live_sessions');
    for (const cover of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:image/png;base64,AAAA',
      'http://cdn.example/cover.jpg',
      'ftp://cdn.example/cover.jpg',
      '//evil.example/cover.jpg',
      '/other/cover.jpg',
      '/api/v1//evil.example/x',
      'https://cdn.example/a b.jpg',
      'not a url',
    ]) {
      const res = await make(cover);
      expect(res.statusCode, `${cover}: ${res.body}`).toBe(400);
    }
    expect(await count('live_sessions')).toBe(before);
    for (const cover of ['https://cdn.example/cover.jpg', '/api/v1/videos/abc/poster.jpg', null]) {
      const res = await make(cover);
      expect(res.statusCode, `${cover}: ${res.body}`).toBe(201);
      expect(res.json().session.cover ?? null).toBe(cover);
    }
  });

  it('stopping a session tells the ingest to close its publisher', async () => {
    const closed: string[] = [];
    const original = t.services.ingest.sessionOver.bind(t.services.ingest);
    t.services.ingest.sessionOver = (sessionId) => {
      closed.push(sessionId);
      return original(sessionId);
    };
    try {
      const live = await schedule();
      expect((await api('POST', `/merchant/live/sessions/${live}/start`, merchant)).statusCode).toBe(200);
      expect((await api('POST', `/merchant/live/sessions/${live}/stop`, merchant)).statusCode).toBe(200);
      const cancelled = await schedule();
      expect((await api('POST', `/merchant/live/sessions/${cancelled}/stop`, merchant)).statusCode).toBe(200);
      expect(closed).toEqual([live, cancelled]);
    } finally {
      t.services.ingest.sessionOver = original;
    }
  });

  it('only the store’s merchant controls its session (404 for another store, 403 for a buyer)', async () => {
    const id = await schedule();
    const buyer = await nextBuyer();
    for (const [method, path, body] of [
      ['GET', `/merchant/live/sessions/${id}`, undefined],
      ['POST', `/merchant/live/sessions/${id}/start`, undefined],
      ['POST', `/merchant/live/sessions/${id}/stop`, undefined],
      ['PUT', `/merchant/live/sessions/${id}/pin`, { productId: products[0] }],
    ] as const) {
      const other = await api(method, path, otherMerchant, body);
      expect(other.statusCode, `${method} ${path}: ${other.body}`).toBe(404);
      const asBuyer = await api(method, path, buyer, body);
      expect(asBuyer.statusCode).toBe(403);
    }
    expect((await t.services.live.getSession(id))?.status).toBe('scheduled');
    const unknown = await api('GET', `/live/sessions/${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
  });

  it('reservations are once per buyer; reservers are notified once when the session starts', async () => {
    const id = await schedule();
    const [a, b] = [await nextBuyer(), await nextBuyer()];
    const video = await videoOf(id);
    // Credited only to a published reservation video of this very session (422 otherwise, nothing stored).
    const otherSession = await schedule();
    for (const wrong of [
      randomUUID(),
      await videoOf(otherSession),
      await videoOf(id, 'seeding'),
      await videoOf(id, 'reservation', 'draft'),
    ]) {
      const res = await api('POST', `/live/sessions/${id}/reservations`, a, { sourceVideoId: wrong });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('video_not_for_session');
    }
    expect((await t.services.live.sessionStats(id)).reservations).toBe(0);
    const first = await api('POST', `/live/sessions/${id}/reservations`, a, { sourceVideoId: video });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ reserved: true, reservations: 1 });
    const again = await api('POST', `/live/sessions/${id}/reservations`, a, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().reservations).toBe(1);
    expect((await api('POST', `/live/sessions/${id}/reservations`, b, {})).statusCode).toBe(201);
    expect((await api('POST', `/live/sessions/${id}/reservations`, merchant, {})).statusCode).toBe(403);
    expect(
      (await api('POST', `/live/sessions/${id}/reservations`, a, { sourceVideoId: 'x' })).statusCode,
    ).toBe(400);
    const stats = await t.services.live.sessionStats(id);
    expect(stats.reservations).toBe(2);
    expect(stats.reservationsByVideo).toEqual({ [video]: 1 });
    const list = await api('GET', '/live/sessions', a);
    expect(list.json().items.find((s: { id: string }) => s.id === id)).toMatchObject({
      reservedByMe: true,
      reservations: 2,
    });

    // b cancels and reserves again: still once.
    expect((await api('DELETE', `/live/sessions/${id}/reservations`, b)).json().reservations).toBe(1);
    expect((await api('POST', `/live/sessions/${id}/reservations`, b, {})).json().reservations).toBe(2);

    // a listens on the notices socket.
    const socket = await t.app.injectWS('/api/v1/me/notices/stream', { headers: { cookie: a } });
    const received: Array<{ type: string; notice?: { kind: string; link: string } }> = [];
    socket.on('message', (d: Buffer) => received.push(JSON.parse(String(d))));

    const started = await api('POST', `/merchant/live/sessions/${id}/start`, merchant);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().session.status).toBe('live');
    await deliverEvents(t);
    // Delivered again: still one notice each.
    await sql`update outbox set done_at = null, run_at = now() - interval '1 day', attempts = 0
              where topic = 'live.started' and payload->>'sessionId' = ${id}`.execute(t.db);
    await deliverEvents(t);
    for (const buyer of [a, b]) {
      const notices = await api('GET', '/me/notices', buyer);
      const mine = notices.json().items.filter((n: { link: string }) => n.link === `/live/${id}`);
      expect(mine).toHaveLength(1);
      expect(mine[0].kind).toBe('live.started');
    }
    await waitFor(() => received.some((m) => m.type === 'notice' && m.notice?.link === `/live/${id}`));
    socket.terminate();
    const read = await api('POST', '/me/notices/read', a, {});
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().unread).toBe(0);
    expect((await api('POST', '/me/notices/read', a, { ids: ['x'] })).statusCode).toBe(400);
    // Starting twice is refused.
    expect((await api('POST', `/merchant/live/sessions/${id}/start`, merchant)).statusCode).toBe(409);
    // After it ends: no more reservations.
    expect((await api('POST', `/merchant/live/sessions/${id}/stop`, merchant)).json().session.status).toBe(
      'ended',
    );
    expect((await api('POST', `/live/sessions/${id}/reservations`, await nextBuyer(), {})).statusCode).toBe(
      409,
    );
  });

  it("pins only the session's own products, while live; pins are recorded as intervals", async () => {
    const id = await schedule(products.slice(0, 2));
    const early = await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, { productId: products[0] });
    expect(early.statusCode).toBe(409);
    await api('POST', `/merchant/live/sessions/${id}/start`, merchant);
    for (const productId of [products[2], foreignProduct]) {
      const res = await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, { productId });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('product_not_in_session');
    }
    expect(
      (await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, { productId: 'x' })).statusCode,
    ).toBe(400);
    const watcher = await t.app.injectWS(`/api/v1/live/sessions/${id}/room`);
    const got: Array<Record<string, unknown>> = [];
    watcher.on('message', (d: Buffer) => got.push(JSON.parse(String(d))));
    const pinned = await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, {
      productId: products[0],
    });
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json().session.pinnedProductId).toBe(products[0]);
    t.clock.advance(60_000);
    await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, { productId: products[1] });
    t.clock.advance(60_000);
    await api('PUT', `/merchant/live/sessions/${id}/pin`, merchant, { productId: null });
    await waitFor(() => got.filter((m) => m.type === 'pinned').length === 3);
    expect(got.filter((m) => m.type === 'pinned').map((m) => m.productId)).toEqual([
      products[0],
      products[1],
      null,
    ]);
    watcher.terminate();
    const stats = await t.services.live.sessionStats(id);
    expect(stats.pins.map((p) => p.productId)).toEqual([products[0], products[1]]);
    expect(stats.pins.every((p) => p.unpinnedAt !== null)).toBe(true);
    expect((await api('GET', `/live/sessions/${id}`)).json().session.pinnedProductId).toBeNull();
  });

  it('comments: signed in, live, one line of at most 120 characters, 5 per 10 s; they reach the room', async () => {
    const id = await schedule();
    const buyer = await nextBuyer();
    expect((await api('POST', `/live/sessions/${id}/comments`, buyer, { text: '开播了吗' })).statusCode).toBe(
      409,
    );
    await api('POST', `/merchant/live/sessions/${id}/start`, merchant);
    const watcher = await t.app.injectWS(`/api/v1/live/sessions/${id}/room`);
    const got: Array<Record<string, unknown>> = [];
    watcher.on('message', (d: Buffer) => got.push(JSON.parse(String(d))));
    const before = await count('live_comments');
    for (const text of [
      '',
      '   ',
      'a\u0000b',
      '两行\n评论',
      'x'.repeat(MAX_COMMENT_CHARS + 1),
      '\u202e反转',
      42,
    ]) {
      const res = await api('POST', `/live/sessions/${id}/comments`, buyer, { text });
      expect(res.statusCode, JSON.stringify(text)).toBe(400);
    }
    expect((await api('POST', `/live/sessions/${id}/comments`, undefined, { text: '匿名' })).statusCode).toBe(
      401,
    );
    expect(await count('live_comments')).toBe(before);
    const ok = await api('POST', `/live/sessions/${id}/comments`, buyer, { text: '  <b>好看</b>  ' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().comment.text).toBe('<b>好看</b>'); // trimmed; escaping is the page's (React)
    expect(ok.json().comment.name).toMatch(/^136\*{4}\d{4}$/);
    for (let i = 0; i < 4; i += 1) {
      expect(
        (await api('POST', `/live/sessions/${id}/comments`, buyer, { text: `第${i}条` })).statusCode,
      ).toBe(201);
    }
    const limited = await api('POST', `/live/sessions/${id}/comments`, buyer, { text: '太快了' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await waitFor(() => got.filter((m) => m.type === 'comment').length === 5);
    expect(got.find((m) => m.type === 'comment')).toMatchObject({ text: '<b>好看</b>' });
    t.clock.advance(11_000);
    expect((await api('POST', `/live/sessions/${id}/comments`, buyer, { text: '又能发了' })).statusCode).toBe(
      201,
    );

    // On the socket: an anonymous socket may not comment; a signed-in one may, with the same rules.
    watcher.send(JSON.stringify({ type: 'comment', text: '匿名发言' }));
    await waitFor(() => got.some((m) => m.type === 'error' && m.code === 'unauthorized'));
    const other = await nextBuyer();
    const signed = await t.app.injectWS(`/api/v1/live/sessions/${id}/room`, { headers: { cookie: other } });
    const mine: Array<Record<string, unknown>> = [];
    signed.on('message', (d: Buffer) => mine.push(JSON.parse(String(d))));
    signed.send(JSON.stringify({ type: 'comment', text: 'x'.repeat(MAX_COMMENT_CHARS + 1) }));
    signed.send('not json');
    signed.send(JSON.stringify({ type: 'comment', text: '来自套接字' }));
    await waitFor(() => got.some((m) => m.type === 'comment' && m.text === '来自套接字'));
    expect(mine.filter((m) => m.type === 'error').map((m) => m.code)).toEqual([
      'validation_failed',
      'validation_failed',
    ]);
    signed.terminate();
    watcher.terminate();
  });

  it('a signed-in socket from another origin is refused; the viewer count follows the sockets', async () => {
    const id = await schedule();
    await api('POST', `/merchant/live/sessions/${id}/start`, merchant);
    const buyer = await nextBuyer();
    await expect(
      t.app.injectWS(`/api/v1/live/sessions/${id}/room`, {
        headers: { cookie: buyer, origin: 'https://evil.example' },
      }),
    ).rejects.toThrow();
    await expect(
      t.app.injectWS('/api/v1/me/notices/stream', {
        headers: { cookie: buyer, origin: 'https://evil.example' },
      }),
    ).rejects.toThrow();
    await expect(t.app.injectWS('/api/v1/me/notices/stream')).rejects.toThrow(); // signed out
    await expect(t.app.injectWS(`/api/v1/live/sessions/${randomUUID()}/room`)).rejects.toThrow();

    const sockets = [];
    for (let i = 0; i < 3; i += 1) {
      sockets.push(await t.app.injectWS(`/api/v1/live/sessions/${id}/room?viewer=${randomUUID()}`));
    }
    const same = await t.app.injectWS(`/api/v1/live/sessions/${id}/room`, { headers: { cookie: buyer } });
    const counts: number[] = [];
    same.on('message', (d: Buffer) => {
      const m = JSON.parse(String(d));
      if (m.type === 'viewers') counts.push(m.count);
    });
    await waitFor(() => counts.at(-1) === 4);
    expect(t.services.live.viewersNow(id)).toBe(4);
    (sockets[0] as { terminate(): void }).terminate();
    await waitFor(() => counts.at(-1) === 3);
    const detail = await api('GET', `/merchant/live/sessions/${id}`, merchant);
    expect(detail.json().session.viewers).toBe(3);
    expect(detail.json().session.uniqueViewers).toBe(4);
    expect(detail.json().session.peakViewers).toBe(4);
    for (const s of [...sockets.slice(1), same]) (s as { terminate(): void }).terminate();
  });

  it('orders bought in the room feed its sales ticker, orders and GMV, once', async () => {
    const id = await schedule();
    await api('POST', `/merchant/live/sessions/${id}/start`, merchant);
    const watcher = await t.app.injectWS(`/api/v1/live/sessions/${id}/room`);
    const got: Array<Record<string, unknown>> = [];
    watcher.on('message', (d: Buffer) => got.push(JSON.parse(String(d))));
    const buyer = await nextBuyer();
    const sku = skuOf.get(products[0] as string) as string;
    const attribution = { channel: 'live', impressionId: null, contentId: id };
    expect((await api('PUT', `/cart/items/${sku}`, buyer, { quantity: 2, attribution })).statusCode).toBe(
      200,
    );
    const checkout = await placeAndPay(t, buyer, { address: testAddress }, `live-${randomUUID()}`);
    await waitFor(() => got.some((m) => m.type === 'sale'));
    expect(got.find((m) => m.type === 'sale')).toMatchObject({ productTitle: '直播T恤', quantity: 2 });
    await sql`update outbox set done_at = null, run_at = now() - interval '1 day', attempts = 0
              where topic = 'order.paid' and subscriber = 'live.sales-ticker'`.execute(t.db);
    await deliverEvents(t);
    const detail = (await api('GET', `/merchant/live/sessions/${id}`, merchant)).json().session;
    expect(detail.orders).toBe(1);
    expect(detail.gmvFen).toBe(checkout.orders[0].lines[0].amountFen ?? detail.gmvFen);
    expect(detail.gmvFen).toBeGreaterThan(0);
    expect((await api('GET', `/live/sessions/${id}`)).json().session.sales).toHaveLength(1);
    watcher.terminate();
  });
});

async function waitFor(check: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the condition never held');
}
