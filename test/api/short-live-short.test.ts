import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attribution } from '../../src/platform/attribution.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { apiOf } from '../support/api.ts';
import { deliverEvents } from '../support/events.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { makeTestVideo, videoUpload } from '../support/media.ts';
import { placeAndPay } from '../support/payments.ts';
import { makeFlv } from '../support/replays.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Short – live – short (issue 14) on the real services, no fakes: a reservation video announces a
 * session, a buyer reserves from it, is told when it starts, buys the pinned product in the room and
 * pays; the session ends (live.ended through the event bus reaches replays), the report shows the
 * loop; a clip is cut from the session's recording, published as a replay video, and a buyer who buys
 * from it counts as a replay order.
 */
describe('short – live – short, end to end on the services', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchant: string;
  let buyer: string;
  let storeId: string;
  let tee: { productId: string; sku: string };
  let hoodie: { productId: string; sku: string };
  let sessionId: string;
  let reservationVideo: string;
  let keySeq = 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'short-live-short-'));
  const mediaDir = path.join(tmp, 'media');

  /** Buys one unit now with its attribution (buy now) and pays through the sandbox. */
  async function buyOne(cookie: string, sku: string, attribution: Attribution): Promise<string> {
    keySeq += 1;
    const co = await placeAndPay(
      t,
      cookie,
      { address: testAddress, lines: [{ skuId: sku, quantity: 1, attribution }], couponIds: [] },
      `short-live-short-${keySeq}`,
    );
    await deliverEvents(t);
    const orderId = co.orders[0].id as string;
    expect((await api('GET', `/orders/${orderId}`, cookie)).json().order.status).toBe('paid');
    return orderId;
  }

  const report = async () => {
    const res = await api('GET', `/merchant/live/sessions/${sessionId}/report`, merchant);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    const base = loadConfig({ NODE_ENV: 'test' });
    t = await createTestApp({
      sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 },
      media: { ...base.media, dir: mediaDir },
    });
    api = apiOf(t);
    merchant = await t.signIn('13720001401', 'merchant');
    ({ storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13720001401') }));
    buyer = await t.signIn('13620001401');
    const product = async (title: string, priceFen: number) => {
      const p = await createProduct(t.db, storeId, { title, skus: [{ priceFen, stock: 20 }] });
      return { productId: p.productId, sku: p.skuIds[0] as string };
    };
    tee = await product('直播T恤', 4900);
    hoodie = await product('直播卫衣', 12900);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reservation video → reservation → notice → live order → live.ended → report', async () => {
    const scheduled = await api('POST', '/merchant/live/sessions', merchant, {
      title: '周末上新直播',
      scheduledAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      productIds: [tee.productId, hoodie.productId],
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    sessionId = scheduled.json().session.id;

    // The merchant publishes a reservation video announcing the session.
    const body = videoUpload(makeTestVideo(path.join(tmp, 'teaser.mp4')), { filename: 'teaser.mp4' });
    const uploaded = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/videos?kind=reservation&liveSessionId=${sessionId}&productIds=${hoodie.productId}&title=${encodeURIComponent('周末直播预告')}`,
      headers: { cookie: merchant, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    reservationVideo = uploaded.json().id;
    const published = await api('POST', `/merchant/videos/${reservationVideo}/publish`, merchant);
    expect(published.statusCode, published.body).toBe(200);
    expect((await api('GET', `/videos/${reservationVideo}`, buyer)).statusCode).toBe(200);

    // The buyer reserves from the video.
    const reserved = await api('POST', `/live/sessions/${sessionId}/reservations`, buyer, {
      sourceVideoId: reservationVideo,
    });
    expect(reserved.statusCode, reserved.body).toBeLessThan(300);
    expect((await t.services.live.sessionStats(sessionId)).reservationsByVideo).toEqual({
      [reservationVideo]: 1,
    });

    // The session starts: the buyer who reserved gets a notice.
    const started = await api('POST', `/merchant/live/sessions/${sessionId}/start`, merchant);
    expect(started.statusCode, started.body).toBe(200);
    await deliverEvents(t);
    const notices = (await api('GET', '/me/notices', buyer)).json().items as Array<{
      kind: string;
      link: string;
    }>;
    expect(notices.filter((n) => n.link === `/live/${sessionId}`).map((n) => n.kind)).toEqual([
      'live.started',
    ]);

    // The merchant pins the hoodie; the buyer buys it in the room and pays.
    const pinned = await api('PUT', `/merchant/live/sessions/${sessionId}/pin`, merchant, {
      productId: hoodie.productId,
    });
    expect(pinned.statusCode, pinned.body).toBe(200);
    t.clock.advance(5_000);
    await buyOne(buyer, hoodie.sku, { channel: 'live', impressionId: null, contentId: sessionId });

    // The session ends: live.ended goes through the event bus to replays.
    t.clock.advance(60_000);
    const stopped = await api('POST', `/merchant/live/sessions/${sessionId}/stop`, merchant);
    expect(stopped.statusCode, stopped.body).toBe(200);
    await deliverEvents(t);
    const delivered = await sql<{ n: number }>`
      select count(*)::int as n from outbox
      where subscriber = 'replays.session-ended' and payload->>'sessionId' = ${sessionId} and done_at is not null`.execute(
      t.db,
    );
    expect(delivered.rows[0]?.n).toBe(1);
    const kept = await sql<{ hits: Array<{ productId: string }> }>`
      select hits from replay_reports where session_id = ${sessionId}`.execute(t.db);
    expect(kept.rows[0]?.hits.map((h) => h.productId)).toEqual([hoodie.productId]);

    const r = await report();
    expect(r.loop).toMatchObject({
      reservationVideos: 1,
      reservations: 1,
      liveOrders: 1,
      liveUnits: 1,
      liveGmvFen: 12900,
      replayClips: 0,
      replayOrders: 0,
    });
    expect(
      r.hits.map((h: { productId: string; units: number; gmvFen: number }) => [
        h.productId,
        h.units,
        h.gmvFen,
      ]),
    ).toEqual([[hoodie.productId, 1, 12900]]);
  });

  it('a clip cut from the recording becomes a replay video, and a buyer buys from it', async () => {
    // Where the ingest module records the session (`<MEDIA_DIR>/recordings/live/<id>/<ms>.flv`).
    makeFlv(path.join(mediaDir, 'recordings', 'live', sessionId, `${t.clock.now().getTime()}.flv`), 6);
    const recording = await t.services.ingest.recordingOf(sessionId);
    expect(recording).not.toBeNull();
    expect((await report()).canCut).toBe(true);

    const cut = await api('POST', `/merchant/live/sessions/${sessionId}/replay-clips`, merchant, {
      productId: hoodie.productId,
      fromMs: 1000,
      toMs: 4000,
      title: '卫衣返场',
    });
    expect(cut.statusCode, cut.body).toBe(202);
    expect(await t.services.replays.runDueJobs()).toBe(1);
    const jobs = (await api('GET', `/merchant/live/sessions/${sessionId}/replay-clips`, merchant)).json()
      .jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'done', error: null });
    const clipId = jobs[0].videoId as string;
    const replays = (await t.services.videos.listBySession(sessionId)).filter((v) => v.kind === 'replay');
    expect(replays.map((v) => v.id)).toEqual([clipId]);
    expect(replays[0]).toMatchObject({ storeId, liveSessionId: sessionId, productIds: [hoodie.productId] });

    // Another buyer buys the hoodie from the replay clip.
    const later = await t.signIn('13620001402');
    await buyOne(later, hoodie.sku, { channel: 'replay', impressionId: null, contentId: clipId });
    const r = await report();
    expect(r.loop).toMatchObject({
      liveOrders: 1,
      liveGmvFen: 12900,
      replayClips: 1,
      replayOrders: 1,
      replayGmvFen: 12900,
    });
  });
});
