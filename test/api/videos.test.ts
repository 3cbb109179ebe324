import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveSessionSummary, VideosService } from '../../src/modules/videos/index.ts';
import type { Actor } from '../../src/platform/auth.ts';
import { createProduct } from '../support/fixtures.ts';
import { makeTestVideo, requireMediaTools, videoUpload } from '../support/media.ts';
import { apiOf, apparelMerchant } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const tools = requireMediaTools();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-videos-test-'));

/** A real 2-second 160×284 H.264 MP4 (or VP9 WebM) made by ffmpeg. */
const makeVideo = (name: string, format: 'mp4' | 'webm' = 'mp4', extra: string[] = []) =>
  makeTestVideo(path.join(scratch, name), { format, extra });

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const multipart = (file: Buffer | null, filename = 'clip.mp4', type = 'video/mp4') =>
  videoUpload(file, { filename, type });

describe('videos', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let storeId: string;
  let other: string;
  let otherStore: string;
  let buyer: string;
  let productId: string;
  let offSale: string;
  let foreignProduct: string;
  const mediaDir = path.join(scratch, 'media');
  let mp4: Buffer;

  const upload = (cookie: string, body: ReturnType<typeof multipart>, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/videos${query}`,
      headers: { cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
  const rows = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from videos`.execute(t.db)).rows[0]?.n ?? 0;
  const files = () => {
    const list = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);
    return [...list(path.join(mediaDir, 'videos')), ...list(path.join(mediaDir, 'tmp'))];
  };

  beforeAll(async () => {
    const base = await createTestApp();
    await base.close();
    t = await createTestApp({ media: { ...base.config.media, dir: mediaDir, maxUploadMb: 0.25 } });
    api = apiOf(t);
    ({ cookie: merchant, storeId } = await apparelMerchant(t, '13700002801', '视频小铺'));
    ({ cookie: other, storeId: otherStore } = await apparelMerchant(t, '13700002802', '别家小铺'));
    buyer = await t.signIn('13600002801');
    productId = (await createProduct(t.db, storeId, { title: '好物', skus: [{ priceFen: 1990, stock: 5 }] }))
      .productId;
    offSale = (
      await createProduct(t.db, storeId, { status: 'off_sale', skus: [{ priceFen: 990, stock: 5 }] })
    ).productId;
    foreignProduct = (await createProduct(t.db, otherStore, { skus: [{ priceFen: 990, stock: 5 }] }))
      .productId;
    mp4 = makeVideo('good.mp4');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('uploads an MP4: probed, postered, a draft; the file and poster are served', async () => {
    const res = await upload(
      merchant,
      multipart(mp4),
      `?title=${encodeURIComponent('新品种草')}&productIds=${productId}`,
    );
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({
      status: 'draft',
      kind: 'seeding',
      title: '新品种草',
      contentType: 'video/mp4',
      width: 160,
      height: 284,
      productIds: [productId],
    });
    expect(v.durationMs).toBeGreaterThan(1500);
    expect(v.durationMs).toBeLessThan(2500);
    // A draft is the owner's only.
    expect((await api('GET', `/videos/${v.id}`, buyer)).statusCode).toBe(404);
    expect((await api('GET', `/videos/${v.id}/file`)).statusCode).toBe(404);
    const own = await api('GET', `/videos/${v.id}/poster.jpg`, merchant);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/jpeg');
    expect(own.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    const listed = await api('GET', '/merchant/videos', merchant);
    expect(listed.json().items.map((x: { id: string }) => x.id)).toContain(v.id);
    expect((await api('GET', '/merchant/videos', other)).json().items).toEqual([]);
  });

  it('accepts WebM too', async () => {
    const res = await upload(merchant, multipart(makeVideo('good.webm', 'webm'), 'clip.webm', 'video/webm'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().contentType).toBe('video/webm');
  });

  it('refuses wrong types, too large, empty and missing files, keeping nothing', async () => {
    const before = await rows();
    const kept = files().length;
    const png = await upload(merchant, multipart(PNG, 'photo.mp4'));
    expect(png.statusCode).toBe(415);
    expect(png.json().error.code).toBe('unsupported_video');
    const text = await upload(merchant, multipart(Buffer.from('not a video at all\n'.repeat(50)), 'x.mp4'));
    expect(text.statusCode).toBe(415);
    // Audio only: no video stream.
    const audioFile = path.join(scratch, 'audio.mp4');
    execFileSync(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=1',
      '-c:a',
      'aac',
      audioFile,
    ]);
    expect((await upload(merchant, multipart(fs.readFileSync(audioFile)))).statusCode).toBe(415);
    // Over the configured 0.25 MB: a larger real video is cut off at the limit.
    const big = makeVideo('big.mp4', 'mp4', ['-b:v', '4M', '-x264-params', 'keyint=1']);
    expect(big.length).toBeGreaterThan(0.25 * 1024 * 1024);
    const large = await upload(merchant, multipart(big));
    expect(large.statusCode, large.body).toBe(413);
    expect(large.json().error.code).toBe('video_too_large');
    const empty = await upload(merchant, multipart(Buffer.alloc(0)));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('video_empty');
    const none = await upload(merchant, multipart(null));
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('video_missing');
    // A body cut off in the middle of the file part.
    const whole = multipart(mp4);
    const cut = await upload(merchant, { ...whole, payload: whole.payload.subarray(0, 2000) });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.code).toBe('upload_incomplete');
    const json = await api('POST', '/merchant/videos', merchant, { file: 'x' });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    expect(await rows()).toBe(before);
    expect(files().length).toBe(kept);
  });

  it('checks the links and who may upload', async () => {
    const before = await rows();
    for (const q of [`?productIds=${offSale}`, `?productIds=${foreignProduct}`, '?productIds=nope']) {
      const res = await upload(merchant, multipart(mp4), q);
      expect(res.statusCode, q).toBe(400);
    }
    const s = await upload(merchant, multipart(mp4), `?kind=seeding&liveSessionId=${crypto.randomUUID()}`);
    expect(s.json().error.code).toBe('video_session_not_allowed');
    const r = await upload(
      merchant,
      multipart(mp4),
      `?kind=reservation&liveSessionId=${crypto.randomUUID()}`,
    );
    expect(r.json().error.code).toBe('invalid_live_session');
    expect((await upload(buyer, multipart(mp4))).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/merchant/videos',
          headers: { ...{ 'content-type': multipart(mp4).contentType } },
          payload: multipart(mp4).payload,
        })
      ).statusCode,
    ).toBe(401);
    // A write from another site is refused before anything is read.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/videos',
      headers: {
        cookie: merchant,
        origin: 'https://evil.example',
        'content-type': multipart(mp4).contentType,
      },
      payload: multipart(mp4).payload,
    });
    expect(forged.statusCode).toBe(403);
    const title = await upload(merchant, multipart(mp4), `?title=${encodeURIComponent('a\u0007b')}`);
    expect(title.statusCode).toBe(400);
    expect(await rows()).toBe(before);
  });

  it('publishes by the rules; hides; edits links', async () => {
    const untitled = (await upload(merchant, multipart(mp4))).json();
    const p = await api('POST', `/merchant/videos/${untitled.id}/publish`, merchant);
    expect(p.statusCode).toBe(400);
    expect(p.json().error.code).toBe('video_needs_title');
    expect(
      (await api('PATCH', `/merchant/videos/${untitled.id}`, merchant, { title: '上新' })).statusCode,
    ).toBe(200);
    // A reservation video needs its session.
    expect(
      (await api('PATCH', `/merchant/videos/${untitled.id}`, merchant, { kind: 'reservation' })).statusCode,
    ).toBe(200);
    const r = await api('POST', `/merchant/videos/${untitled.id}/publish`, merchant);
    expect(r.json().error.code).toBe('reservation_needs_session');
    expect(
      (await api('PATCH', `/merchant/videos/${untitled.id}`, merchant, { kind: 'seeding' })).statusCode,
    ).toBe(200);
    // Not another store's video.
    expect((await api('POST', `/merchant/videos/${untitled.id}/publish`, other)).statusCode).toBe(404);
    expect((await api('PATCH', `/merchant/videos/${untitled.id}`, other, { title: 'x' })).statusCode).toBe(
      404,
    );
    expect(
      (await api('PATCH', `/merchant/videos/${untitled.id}`, merchant, { productIds: [foreignProduct] }))
        .statusCode,
    ).toBe(400);
    const ok = await api('POST', `/merchant/videos/${untitled.id}/publish`, merchant);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('published');
    // Published: a link edit must keep it publishable.
    expect((await api('PATCH', `/merchant/videos/${untitled.id}`, merchant, { title: '' })).statusCode).toBe(
      400,
    );
    expect((await api('GET', `/videos/${untitled.id}`, buyer)).statusCode).toBe(200);
    expect((await api('POST', `/merchant/videos/${untitled.id}/hide`, merchant)).json().status).toBe(
      'hidden',
    );
    expect((await api('GET', `/videos/${untitled.id}`, buyer)).statusCode).toBe(404);
    expect((await api('POST', `/merchant/videos/${untitled.id}/publish`, merchant)).statusCode).toBe(200);
  });

  it('pages the feed by cursor, with products at their final price', async () => {
    // Five more published videos.
    for (let i = 0; i < 5; i++) {
      const v = (await upload(merchant, multipart(mp4), `?title=v${i}&productIds=${productId}`)).json();
      expect((await api('POST', `/merchant/videos/${v.id}/publish`, merchant)).statusCode).toBe(200);
      t.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api('GET', `/videos/feed${cursor ? `?cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      seen.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    const published = (
      await sql<{ n: number }>`select count(*)::int as n from videos where status = 'published'`.execute(t.db)
    ).rows[0]?.n;
    expect(seen.length).toBe(published);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil((published ?? 0) / 10) || 1);
    const first = (await api('GET', '/videos/feed')).json().items[0];
    expect(first.title).toBe('v4');
    expect(first).toMatchObject({ storeId, storeName: '视频小铺' });
    expect(first.products).toEqual([expect.objectContaining({ id: productId, priceFen: 1990 })]);
    expect((await api('GET', '/videos/feed?cursor=garbage')).statusCode).toBe(400);
    // Cursors that look right to a loose check but that PostgreSQL cannot read: 400, never 500.
    const forged = (s: string) => Buffer.from(s).toString('base64url');
    for (const c of [
      `${new Date().toISOString()}|${'-'.repeat(36)}`,
      `1|${first.id}`,
      `+275760-09-13T00:00:00.000Z|${first.id}`,
    ]) {
      expect((await api('GET', `/videos/feed?cursor=${forged(c)}`)).statusCode, c).toBe(400);
      expect((await api('GET', `/videos/${first.id}/comments?cursor=${forged(c)}`)).statusCode, c).toBe(400);
    }
  });

  it('likes once per buyer; comments limited; views counted', async () => {
    const v = (await api('GET', '/videos/feed')).json().items[0];
    for (let i = 0; i < 3; i++)
      expect((await api('PUT', `/videos/${v.id}/like`, buyer)).json()).toEqual({ liked: true, likes: 1 });
    const buyer2 = await t.signIn('13600002802');
    expect((await api('PUT', `/videos/${v.id}/like`, buyer2)).json().likes).toBe(2);
    expect((await api('DELETE', `/videos/${v.id}/like`, buyer2)).json().likes).toBe(1);
    expect((await api('GET', `/videos/${v.id}`, buyer)).json().likedByMe).toBe(true);
    expect((await api('PUT', `/videos/${v.id}/like`)).statusCode).toBe(401);

    expect((await api('POST', `/videos/${v.id}/comments`, buyer, { body: 'x'.repeat(201) })).statusCode).toBe(
      400,
    );
    expect((await api('POST', `/videos/${v.id}/comments`, buyer, { body: '  ' })).statusCode).toBe(400);
    expect((await api('POST', `/videos/${v.id}/comments`, buyer, { body: 'a\nb' })).statusCode).toBe(400);
    expect((await api('POST', `/videos/${v.id}/comments`, buyer, { body: 'a\u202eb' })).statusCode).toBe(400);
    for (let i = 0; i < 5; i++) {
      const c = await api('POST', `/videos/${v.id}/comments`, buyer, { body: `好看 ${i}` });
      expect(c.statusCode, c.body).toBe(201);
      t.clock.advance(1000);
    }
    const limited = await api('POST', `/videos/${v.id}/comments`, buyer, { body: '再来' });
    expect(limited.statusCode).toBe(429);
    const list = (await api('GET', `/videos/${v.id}/comments`)).json();
    expect(list.items.map((c: { body: string }) => c.body)).toEqual([
      '好看 4',
      '好看 3',
      '好看 2',
      '好看 1',
      '好看 0',
    ]);
    expect(list.items[0].name).not.toContain('13600002801');
    t.clock.advance(61_000);
    expect((await api('POST', `/videos/${v.id}/comments`, buyer, { body: '再来' })).statusCode).toBe(201);
    expect((await api('GET', `/videos/${v.id}`)).json().comments).toBe(6);

    expect((await api('POST', `/videos/${v.id}/views`)).json().views).toBe(1);
    expect((await api('POST', `/videos/${v.id}/views`, buyer)).json().views).toBe(2);
    expect(await t.services.videos.viewCounts([v.id, '00000000-0000-4000-8000-000000000000'])).toEqual({
      [v.id]: 2,
      '00000000-0000-4000-8000-000000000000': 0,
    });
  });

  it('serves ranges so players can seek', async () => {
    const v = (await api('GET', '/videos/feed')).json().items[0];
    const whole = await api('GET', `/videos/${v.id}/file`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const size = whole.rawPayload.length;
    expect(size).toBe(v.sizeBytes);
    const part = await api('GET', `/videos/${v.id}/file`, undefined, undefined, { range: 'bytes=100-199' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(part.rawPayload).toEqual(whole.rawPayload.subarray(100, 200));
    const tail = await api('GET', `/videos/${v.id}/file`, undefined, undefined, { range: 'bytes=-10' });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload).toEqual(whole.rawPayload.subarray(size - 10));
    const open = await api('GET', `/videos/${v.id}/file`, undefined, undefined, {
      range: `bytes=${size - 5}-`,
    });
    expect(open.rawPayload.length).toBe(5);
    const past = await api('GET', `/videos/${v.id}/file`, undefined, undefined, { range: `bytes=${size}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    const junk = await api('GET', `/videos/${v.id}/file`, undefined, undefined, { range: 'bytes=a-b' });
    expect(junk.statusCode).toBe(200);
  });

  it('answers bad input with 4xx', async () => {
    expect((await api('GET', '/videos/not-a-uuid')).statusCode).toBe(400);
    expect((await api('GET', `/videos/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await api('PUT', `/videos/${crypto.randomUUID()}/like`, buyer)).statusCode).toBe(404);
    expect(
      (await api('PATCH', `/merchant/videos/${crypto.randomUUID()}`, merchant, { bogus: 1 })).statusCode,
    ).toBe(400);
    expect((await upload(merchant, multipart(mp4), '?kind=movie')).statusCode).toBe(400);
    expect((await api('GET', `/videos/feed?cursor=${'x'.repeat(300)}`)).statusCode).toBe(400);
  });

  it('a reservation video announces a scheduled or live session of its own store (the live module stubbed)', async () => {
    const sessions = new Map<string, LiveSessionSummary>();
    const session = (storeOf: string, status: LiveSessionSummary['status']) => {
      const s = {
        id: crypto.randomUUID(),
        storeId: storeOf,
        title: '新品直播',
        scheduledAt: new Date(),
        status,
      };
      sessions.set(s.id, s);
      return s.id;
    };
    const service = new VideosService({
      db: t.db,
      clock: t.clock,
      events: t.events,
      mediaDir,
      maxUploadBytes: 1024 * 1024,
      tools: () => tools,
      live: () => ({ getSession: async (id) => sessions.get(id) ?? null }),
    });
    const owner = (await t.services.identity.resolveSession(merchant.split('=')[1] as string)) as Actor & {
      storeId: string;
    };
    const draft = await service.importFile({
      storeId,
      kind: 'reservation',
      title: '预约',
      filePath: path.join(scratch, 'good.mp4'),
      productIds: [productId],
      liveSessionId: null,
      publish: false,
    });
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    expect(await code(service.publish(owner, draft.id))).toBe('reservation_needs_session');
    const foreign = session(otherStore, 'scheduled');
    expect(await code(service.update(owner, draft.id, { liveSessionId: foreign }))).toBe(
      'invalid_live_session',
    );
    const ended = session(storeId, 'ended');
    expect(await code(service.update(owner, draft.id, { liveSessionId: ended }))).toBe('live_session_over');
    const scheduled = session(storeId, 'scheduled');
    expect(await code(service.update(owner, draft.id, { liveSessionId: scheduled }))).toBe('ok');
    const published = await service.publish(owner, draft.id);
    expect(published).toMatchObject({ status: 'published', liveSessionId: scheduled });
    const item = await service.feedItem(null, draft.id);
    expect(item.session).toMatchObject({ id: scheduled, title: '新品直播', status: 'scheduled' });
    expect((await service.listBySession(scheduled)).map((v) => v.id)).toEqual([draft.id]);
    // A replay clip may name an ended session of its store.
    expect(await code(service.update(owner, draft.id, { kind: 'replay', liveSessionId: ended }))).toBe('ok');
  });

  it('lists by session and imports files (the replays module)', async () => {
    const file = path.join(scratch, 'good.mp4');
    const v = await t.services.videos.importFile({
      storeId,
      kind: 'replay',
      title: '返场',
      filePath: file,
      productIds: [productId],
      liveSessionId: null,
    });
    expect(v.status).toBe('published');
    expect(fs.existsSync(file)).toBe(true);
    expect(await t.services.videos.listBySession(crypto.randomUUID())).toEqual([]);
  });
});
