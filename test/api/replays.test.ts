import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributedProductSales, attributedTotals } from '../../src/modules/orders/index.ts';
import type { Attribution } from '../../src/platform/attribution.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { placeAndPay, settlePayments } from '../support/payments.ts';
import { type FakeSession, fakeLive, fakeVideos, makeFlv } from '../support/replays.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Replays (返场, issue 14): a session's hit products from the orders attributed to its live room,
 * suggested clips from its pins, a clip cut from a real FLV recording by a background job and
 * published through the videos module, the session's loop, and the store's GMV share by channel. the live module, the ingest module
 * and the videos module are fakes behind replays' ports (tests choose what each returns); the
 * orders are real, placed and paid through the checkout routes with their attribution.
 */
describe('replays: hits, clips cut from the recording, the loop and the channel share', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let merchantA: string;
  let merchantB: string;
  let storeA: string;
  let storeB: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replays-test-'));
  const recordingFile = path.join(tmp, 'recordings', 'session.flv');
  let recording: string | null = null;
  const sessions = new Map<string, FakeSession>();
  const videos = fakeVideos(path.join(tmp, 'videos'));
  const S = '7a1e0000-0000-4000-8000-000000000001';
  const OTHER = '7a1e0000-0000-4000-8000-000000000002';
  const B_SESSION = '7a1e0000-0000-4000-8000-000000000003';
  const RESERVATION_VIDEO = '7a1e0000-0000-4000-8000-0000000000aa';
  let pA: { productId: string; sku: string };
  let pB: { productId: string; sku: string };
  let pC: { productId: string; sku: string };
  let pX: { productId: string; sku: string };
  let phoneSeq = 0;
  let keySeq = 0;

  const live = (contentId: string): Attribution => ({ channel: 'live', impressionId: null, contentId });

  /** A new buyer buys these lines now (buy now, with their attribution); paid unless told. */
  async function buy(
    lines: Array<{ sku: string; quantity: number; attribution: Attribution }>,
    opts: { pay?: boolean } = {},
  ) {
    phoneSeq += 1;
    const buyer = await t.signIn(`1362000${String(1000 + phoneSeq).padStart(4, '0')}`);
    keySeq += 1;
    const co = await placeAndPay(
      t,
      buyer,
      {
        address: testAddress,
        lines: lines.map((l) => ({ skuId: l.sku, quantity: l.quantity, attribution: l.attribution })),
        couponIds: [],
      },
      `replays-${keySeq}`,
      opts,
    );
    return { buyer, orderId: co.orders[0].id as string };
  }

  beforeAll(async () => {
    const base = loadConfig({ NODE_ENV: 'test' });
    t = await createTestApp({
      sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 },
      media: { ...base.media, dir: path.join(tmp, 'media') },
    });
    api = apiOf(t);
    merchantA = await t.signIn('13720000001', 'merchant');
    merchantB = await t.signIn('13720000002', 'merchant');
    ({ storeId: storeA } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13720000001'),
    }));
    ({ storeId: storeB } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, '13720000002'),
    }));
    const product = async (storeId: string, title: string, priceFen: number) => {
      const p = await createProduct(t.db, storeId, { title, skus: [{ priceFen, stock: 50 }] });
      return { productId: p.productId, sku: p.skuIds[0] as string };
    };
    pA = await product(storeA, '直播T恤', 1000);
    pB = await product(storeA, '直播卫衣', 3000);
    pC = await product(storeA, '袜子', 500);
    pX = await product(storeB, '别家商品', 800);
    const start = t.clock.now();
    const at = (s: number) => new Date(start.getTime() + s * 1000);
    sessions.set(S, {
      id: S,
      storeId: storeA,
      title: '周末上新直播',
      status: 'live',
      startedAt: start,
      endedAt: null,
      productIds: [pA.productId, pB.productId, pC.productId],
      reservations: 12,
      uniqueViewers: 30,
      peakViewers: 9,
      pins: [
        { productId: pA.productId, pinnedAt: at(1), unpinnedAt: at(3) },
        { productId: pB.productId, pinnedAt: at(2), unpinnedAt: at(5) },
      ],
    });
    sessions.set(OTHER, { ...(sessions.get(S) as FakeSession), id: OTHER, pins: [] });
    sessions.set(B_SESSION, { ...(sessions.get(S) as FakeSession), id: B_SESSION, storeId: storeB });
    videos.videos.push({
      id: RESERVATION_VIDEO,
      kind: 'reservation',
      title: '预约直播',
      sessionId: S,
      storeId: storeA,
      file: null,
      productIds: [],
    });
    videos.views.set(RESERVATION_VIDEO, 40);
    t.services.replays.usePorts({
      live: fakeLive(sessions),
      videos: videos.port,
      ingest: { recordingOf: async (id) => (id === S ? recording : null) },
    });

    // Orders of the live room (S): pA ×2 + pB ×1 in one order, pB ×1 in another: 4 units, 8,000 fen.
    await buy([
      { sku: pA.sku, quantity: 2, attribution: live(S) },
      { sku: pB.sku, quantity: 1, attribution: live(S) },
    ]);
    await buy([{ sku: pB.sku, quantity: 1, attribution: live(S) }]);
    // Not counted for S: cancelled after paying, never paid, another session, a short video.
    const cancelled = await buy([{ sku: pA.sku, quantity: 1, attribution: live(S) }]);
    const cancel = await api(
      'POST',
      `/orders/${cancelled.orderId}/cancel`,
      cancelled.buyer,
      {},
      idempotent('replays-cancel'),
    );
    expect(cancel.statusCode, cancel.body).toBe(200);
    await settlePayments(t);
    await buy([{ sku: pC.sku, quantity: 1, attribution: live(S) }], { pay: false });
    await buy([{ sku: pA.sku, quantity: 1, attribution: live(OTHER) }]);
    await buy([
      {
        sku: pC.sku,
        quantity: 3,
        attribution: { channel: 'video', impressionId: null, contentId: RESERVATION_VIDEO },
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('attributed sales: units and GMV per product of sold lines with the channel and content', async () => {
    const sales = await attributedProductSales(t.db, { storeId: storeA, channel: 'live', contentIds: [S] });
    expect(sales.sort((a, b) => a.gmvFen - b.gmvFen)).toEqual([
      { productId: pA.productId, title: '直播T恤', units: 2, gmvFen: 2000, orders: 1 },
      { productId: pB.productId, title: '直播卫衣', units: 2, gmvFen: 6000, orders: 2 },
    ]);
    expect(await attributedTotals(t.db, { storeId: storeA, channel: 'live', contentIds: [S] })).toEqual({
      orders: 2,
      units: 4,
      gmvFen: 8000,
    });
    // Another store, another channel, or no content: nothing.
    expect(await attributedTotals(t.db, { storeId: storeB, channel: 'live', contentIds: [S] })).toEqual({
      orders: 0,
      units: 0,
      gmvFen: 0,
    });
    expect(
      await attributedProductSales(t.db, { storeId: storeA, channel: 'replay', contentIds: [S] }),
    ).toEqual([]);
    expect(await attributedProductSales(t.db, { storeId: storeA, channel: 'live', contentIds: [] })).toEqual(
      [],
    );
  });

  it('the report is the store merchant’s only: another merchant 404, a buyer 403, anonymous 401', async () => {
    const buyer = await t.signIn('13620009999');
    expect((await api('GET', `/merchant/live/sessions/${S}/report`, merchantB)).statusCode).toBe(404);
    expect((await api('GET', `/merchant/live/sessions/${B_SESSION}/report`, merchantA)).statusCode).toBe(404);
    expect((await api('GET', `/merchant/live/sessions/${S}/report`, buyer)).statusCode).toBe(403);
    expect((await api('GET', `/merchant/live/sessions/${S}/report`, undefined)).statusCode).toBe(401);
    expect((await api('GET', '/merchant/live/sessions/not-a-uuid/report', merchantA)).statusCode).toBe(400);
    expect((await api('GET', `/merchant/live/sessions/${S}/replay-clips`, merchantB)).statusCode).toBe(404);
    const before = await dbFingerprint(t.db);
    const cut = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantB, {
      productId: pB.productId,
      fromMs: 0,
      toMs: 2000,
    });
    expect(cut.statusCode, cut.body).toBe(404);
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('while live: hits and the loop so far; no clip can be cut yet', async () => {
    const res = await api('GET', `/merchant/live/sessions/${S}/report`, merchantA);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(
      r.hits.map((h: { productId: string; rank: number; units: number; gmvFen: number }) => [
        h.rank,
        h.productId,
        h.units,
        h.gmvFen,
      ]),
    ).toEqual([
      [1, pB.productId, 2, 6000],
      [2, pA.productId, 2, 2000],
    ]);
    expect(r.loop).toEqual({
      reservationVideos: 1,
      reservationVideoViews: 40,
      reservations: 12,
      uniqueViewers: 30,
      peakViewers: 9,
      liveOrders: 2,
      liveUnits: 4,
      liveGmvFen: 8000,
      replayClips: 0,
      replayClipViews: 0,
      replayOrders: 0,
      replayGmvFen: 0,
    });
    expect(r.canCut).toBe(false);
    const cut = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pB.productId,
      fromMs: 0,
      toMs: 2000,
    });
    expect(cut.statusCode, cut.body).toBe(409);
    expect(cut.json().error.code).toBe('replay_session_not_ended');
  });

  it('after the end: suggestions from the pins clamped to the recording; a clip is cut by a job from the real FLV and published', async () => {
    const s = sessions.get(S) as FakeSession;
    s.status = 'ended';
    s.endedAt = new Date((s.startedAt as Date).getTime() + 8_000);
    // No recording yet: nothing to cut.
    const none = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pB.productId,
      fromMs: 1000,
      toMs: 4000,
    });
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json().error.code).toBe('replay_no_recording');

    recording = makeFlv(recordingFile, 8);
    // live.ended's handler keeps the hits and suggestions.
    await t.services.replays.sessionEnded(S);
    const kept = await sql<{
      n: number;
    }>`select count(*)::int as n from replay_reports where session_id = ${S}`.execute(t.db);
    expect(kept.rows[0]?.n).toBe(1);

    const res = await api('GET', `/merchant/live/sessions/${S}/report`, merchantA);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.recording.available).toBe(true);
    expect(r.recording.durationMs).toBeGreaterThanOrEqual(7_500);
    expect(r.recording.durationMs).toBeLessThanOrEqual(8_500);
    expect(r.canCut).toBe(true);
    // pB pinned 2–5 s: 0 (3 s lead-in clamped) to 7 s; pA pinned 1–3 s: 0 to 5 s.
    expect(r.suggestions).toEqual([
      { productId: pB.productId, title: '直播卫衣', rank: 1, fromMs: 0, toMs: 7000 },
      { productId: pA.productId, title: '直播T恤', rank: 2, fromMs: 0, toMs: 5000 },
    ]);

    // Refusals change nothing.
    const before = await dbFingerprint(t.db);
    const notSold = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pX.productId,
      fromMs: 0,
      toMs: 2000,
    });
    expect(notSold.statusCode, notSold.body).toBe(422);
    expect(notSold.json().error.code).toBe('replay_product_not_in_session');
    const late = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pB.productId,
      fromMs: 9_000,
      toMs: 10_000,
    });
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json().error.code).toBe('replay_clip_out_of_range');
    for (const bad of [
      { productId: pB.productId, fromMs: 3000, toMs: 2000 },
      { productId: pB.productId, fromMs: 0, toMs: 200_000 },
      { productId: pB.productId, fromMs: 0, toMs: 2000, title: 'a\u0007b' },
      { productId: pB.productId, fromMs: 0, toMs: 2000, extra: 1 },
    ]) {
      const res400 = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, bad);
      expect(res400.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(await dbFingerprint(t.db)).toBe(before);

    // Queued, not cut in the request; asked again: the same job.
    const cut = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pB.productId,
      fromMs: 1000,
      toMs: 4000,
      title: '卫衣返场',
    });
    expect(cut.statusCode, cut.body).toBe(202);
    expect(cut.json()).toMatchObject({ status: 'queued', videoId: null, title: '卫衣返场' });
    const again = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pB.productId,
      fromMs: 1000,
      toMs: 4000,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(cut.json().id);
    expect(videos.videos.filter((v) => v.kind === 'replay')).toHaveLength(0);

    // The worker cuts it (one job per run) and publishes it through the videos module.
    expect(await t.services.replays.runDueJobs()).toBe(1);
    expect(await t.services.replays.runDueJobs()).toBe(0);
    const jobs = (await api('GET', `/merchant/live/sessions/${S}/replay-clips`, merchantA)).json().jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'done', error: null });
    const published = videos.videos.find((v) => v.id === jobs[0].videoId);
    expect(published).toMatchObject({
      kind: 'replay',
      title: '卫衣返场',
      sessionId: S,
      storeId: storeA,
      productIds: [pB.productId],
    });
    const probe = JSON.parse(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', published?.file as string],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(probe.format.format_name).toContain('mp4');
    expect(Number(probe.format.duration)).toBeGreaterThan(2.5);
    expect(Number(probe.format.duration)).toBeLessThan(3.5);
    expect(probe.streams.map((st: { codec_name: string }) => st.codec_name).sort()).toEqual(['aac', 'h264']);
    // The temporary cut is gone once the videos module has its copy.
    expect(fs.readdirSync(path.join(tmp, 'media', 'tmp'))).toEqual([]);

    // A buyer buys from the replay clip: the loop's last step.
    videos.views.set(published?.id as string, 5);
    await buy([
      {
        sku: pB.sku,
        quantity: 1,
        attribution: { channel: 'replay', impressionId: null, contentId: published?.id as string },
      },
    ]);
    const after = (await api('GET', `/merchant/live/sessions/${S}/report`, merchantA)).json();
    expect(after.loop).toMatchObject({
      replayClips: 1,
      replayClipViews: 5,
      replayOrders: 1,
      replayGmvFen: 3000,
    });
    expect(after.clipJobs[0].status).toBe('done');
  });

  it('a cut that cannot be published fails with its reason, and may be asked again', async () => {
    t.services.replays.usePorts({ videos: null });
    const cut = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pA.productId,
      fromMs: 0,
      toMs: 2000,
    });
    expect(cut.statusCode, cut.body).toBe(202);
    expect(await t.services.replays.runDueJobs()).toBe(1);
    const failed = (await api('GET', `/merchant/live/sessions/${S}/replay-clips`, merchantA)).json().jobs[0];
    expect(failed).toMatchObject({ id: cut.json().id, status: 'failed', videoId: null });
    expect(failed.error).toContain('videos');
    t.services.replays.usePorts({ videos: videos.port });
    const retry = await api('POST', `/merchant/live/sessions/${S}/replay-clips`, merchantA, {
      productId: pA.productId,
      fromMs: 0,
      toMs: 2000,
    });
    expect(retry.statusCode).toBe(202);
    expect(retry.json().id).not.toBe(cut.json().id);
    expect(await t.services.replays.runDueJobs()).toBe(1);
  });

  it('channel share: the store’s GMV of short videos, live, replays and the rest', async () => {
    const res = await api('GET', '/merchant/growth/channel-share?days=7', merchantA);
    expect(res.statusCode, res.body).toBe(200);
    const share = res.json();
    // live: 8,000 (S) + 1,000 (OTHER); video 1,500; replay 3,000; nothing else.
    expect(share.totalGmvFen).toBe(13_500);
    expect(share.channels).toEqual([
      { channel: 'video', gmvFen: 1500, orders: 1, share: 1500 / 13_500 },
      { channel: 'live', gmvFen: 9000, orders: 3, share: 9000 / 13_500 },
      { channel: 'replay', gmvFen: 3000, orders: 1, share: 3000 / 13_500 },
      { channel: 'other', gmvFen: 0, orders: 0, share: 0 },
    ]);
    const empty = (await api('GET', '/merchant/growth/channel-share', merchantB)).json();
    expect(empty.totalGmvFen).toBe(0);
    expect(empty.days).toBe(30);
    expect((await api('GET', '/merchant/growth/channel-share?days=0', merchantA)).statusCode).toBe(400);
  });
});
