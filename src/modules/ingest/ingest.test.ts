import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, apparelMerchant, createApparel } from '../../../test/support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { loadConfig } from '../../platform/config.ts';
import { mediaTools } from '../../platform/ffmpeg.ts';
import { nextDemoSession, pinnedLine } from './demo.ts';
import type { LiveLink, LiveSessionView } from './live-link.ts';
import { MediaServer } from './media-server.ts';
import { ingestUrls, keyOf } from './publish-url.ts';
import { IngestService } from './service.ts';
import { pushTestPattern, testPatternArgs } from './test-pattern.ts';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('publish URLs', () => {
  it('puts the key in the query of the stream name; viewers get the session id only', () => {
    const id = randomUUID();
    const info = ingestUrls({ sessionId: id, streamKey: 'k+y/=', rtmpBase: 'rtmp://h:1935/live' });
    expect(info.obsStreamKey).toBe(`${id}?key=k%2By%2F%3D`);
    expect(info.publishUrl).toBe(`rtmp://h:1935/live/${id}?key=k%2By%2F%3D`);
    expect(info.playUrl).toBe(`/api/v1/live/sessions/${id}/stream.flv`);
    expect(info.playUrl).not.toContain('k%2B');
    expect(keyOf({ key: 'abc' })).toBe('abc');
    expect(keyOf({ key: ['a', 'b'] })).toBeNull();
    expect(keyOf({})).toBeNull();
  });

  it('the demo pattern is bounded when asked and goes to the publish URL', () => {
    const args = testPatternArgs({ publishUrl: 'rtmp://x/live/s?key=k', seconds: 3 });
    expect(args.at(-1)).toBe('rtmp://x/live/s?key=k');
    expect(args[args.indexOf('-t') + 1]).toBe('3');
  });
});

describe('ingest routes without a stream', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
  });
  afterAll(async () => t?.close());

  it('the player route answers 404 while nothing is on air, and the status says so', async () => {
    const id = randomUUID();
    const play = await t.app.inject({ method: 'GET', url: `/api/v1/live/sessions/${id}/stream.flv` });
    expect(play.statusCode).toBe(404);
    expect(play.json().error.code).toBe('not_found');
    const status = await api('GET', `/live/sessions/${id}/ingest-status`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({
      publishing: false,
      since: null,
      bitrateKbps: null,
      recorded: false,
    });
    const bad = await api('GET', '/live/sessions/not-a-uuid/stream.flv');
    expect(bad.statusCode).toBe(400);
  });

  it("the merchant's ingest view: the URLs and key of my own session only", async () => {
    const { cookie: merchant } = await apparelMerchant(t, '13700000091', '推流测试店');
    const { cookie: other } = await apparelMerchant(t, '13700000092', '别人的店');
    const { productId } = await createApparel(t, merchant, { sizes: ['M'] });
    const made = await api('POST', '/merchant/live/sessions', merchant, {
      title: '推流测试',
      scheduledAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
      productIds: [productId],
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().session.id as string;

    expect((await api('GET', `/merchant/live/sessions/${id}/ingest`)).statusCode).toBe(401);
    const buyer = await t.signIn('13600000001');
    expect((await api('GET', `/merchant/live/sessions/${id}/ingest`, buyer)).statusCode).toBe(403);
    const theirs = await api('GET', `/merchant/live/sessions/${id}/ingest`, other);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain('key=');

    const mine = await api('GET', `/merchant/live/sessions/${id}/ingest`, merchant);
    expect(mine.statusCode, mine.body).toBe(200);
    const info = mine.json();
    expect(info.rtmpUrl).toMatch(/^rtmp:\/\/localhost:\d+\/live$/);
    expect(info.obsStreamKey).toBe(`${id}?key=${encodeURIComponent(info.streamKey)}`);
    expect(info.playUrl).toBe(`/api/v1/live/sessions/${id}/stream.flv`);
    expect(info.status).toMatchObject({ publishing: false, mode: 'none' });
    // The key opens that session only (the publisher check).
    expect(await t.services.ingest.authorize('live', id, { key: info.streamKey })).toBe(true);
    expect(await t.services.ingest.authorize('live', id, { key: 'nope' })).toBe(false);
    expect(await t.services.ingest.authorize('live', randomUUID(), { key: info.streamKey })).toBe(false);
    expect(await t.services.ingest.authorize('other', id, { key: info.streamKey })).toBe(false);
    // The live console's session view carries the same ingest URLs (live.setIngestInfo).
    const detail = await api('GET', `/merchant/live/sessions/${id}`, merchant);
    // (there from PUBLIC_URL's host, here from the Host the merchant reached us by).
    expect(detail.json().session.ingest?.rtmpUrl).toMatch(/^rtmp:\/\/[^/]+:\d+\/live$/);
    expect(detail.json().session.ingest?.streamKey).toBe(info.streamKey);
    // Buyers' view of the session has no key.
    const pub = await api('GET', `/live/sessions/${id}`);
    expect(pub.body).not.toContain(info.streamKey);
  });
});

/**
 * An external RTMP/HTTP-FLV service (LIVE_INGEST_URL, LIVE_PLAY_URL): a stand-in play server on
 * loopback answers `<sessionId>.flv` with FLV bytes while "on air" and 404 otherwise.
 */
describe('external ingest service', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let play: http.Server;
  const onAir = new Set<string>();
  const flv = Buffer.concat([Buffer.from('FLV\x01\x05\x00\x00\x00\x09', 'latin1'), Buffer.alloc(2048, 7)]);

  beforeAll(async () => {
    play = http.createServer((req, res) => {
      const id = /^\/play\/([0-9a-f-]+)\.flv$/.exec(req.url ?? '')?.[1];
      if (!id || !onAir.has(id)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'video/x-flv' }).end(flv);
    });
    play.listen(0, '127.0.0.1');
    await once(play, 'listening');
    const { port } = play.address() as net.AddressInfo;
    const base = loadConfig({ NODE_ENV: 'test' });
    t = await createTestApp({
      media: {
        ...base.media,
        externalIngestUrl: 'rtmp://ingest.example.com/live',
        externalPlayUrl: `http://127.0.0.1:${port}/play`,
      },
    });
    api = apiOf(t);
  });
  afterAll(async () => {
    await t?.close();
    play?.close();
  });

  it('gives the external ingest URL, reads on air from the play service, and plays it through our origin only while live', async () => {
    const { cookie: merchant } = await apparelMerchant(t, '13700000093', '外部推流店');
    const { productId } = await createApparel(t, merchant, { sizes: ['M'] });
    const made = await api('POST', '/merchant/live/sessions', merchant, {
      title: '外部推流',
      scheduledAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
      productIds: [productId],
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().session.id as string;

    const info = (await api('GET', `/merchant/live/sessions/${id}/ingest`, merchant)).json();
    expect(info.rtmpUrl).toBe('rtmp://ingest.example.com/live');
    expect(info.publishUrl).toBe(
      `rtmp://ingest.example.com/live/${id}?key=${encodeURIComponent(info.streamKey)}`,
    );
    expect(info.status).toMatchObject({ publishing: false, mode: 'external', recorded: false });
    // No embedded server in external mode.
    expect(
      await t.services.ingest.startMediaServer({ rtmpPort: await freePort(), httpPort: await freePort() }),
    ).toBe(false);

    onAir.add(id);
    const status = await api('GET', `/live/sessions/${id}/ingest-status`);
    expect(status.json()).toMatchObject({ publishing: true, mode: 'external' });
    // Scheduled, not live: buyers get nothing yet, even though the service has the stream.
    expect((await api('GET', `/live/sessions/${id}/stream.flv`)).statusCode).toBe(404);

    expect((await api('POST', `/merchant/live/sessions/${id}/start`, merchant, {})).statusCode).toBeLessThan(
      300,
    );
    const watching = await t.app.inject({ method: 'GET', url: `/api/v1/live/sessions/${id}/stream.flv` });
    expect(watching.statusCode).toBe(200);
    expect(watching.headers['content-type']).toBe('video/x-flv');
    expect(watching.headers['cache-control']).toBe('no-store');
    expect(watching.rawPayload.equals(flv)).toBe(true);

    // The service lost the stream: off air, and the player gets our 404.
    onAir.delete(id);
    expect((await api('GET', `/live/sessions/${id}/ingest-status`)).json().publishing).toBe(false);
    const gone = await api('GET', `/live/sessions/${id}/stream.flv`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });
});

const tools = mediaTools();

describe.runIf(tools)('the embedded RTMP ingest with ffmpeg', () => {
  const ffmpeg = tools?.ffmpeg ?? 'ffmpeg';
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-ingest-'));
  const session: LiveSessionView = {
    id: randomUUID(),
    storeId: randomUUID(),
    title: 'demo',
    status: 'live',
    streamKey: 'right-key-0123456789',
  };
  const ended: LiveSessionView = { ...session, id: randomUUID(), status: 'ended', streamKey: 'ended-key' };
  const lookups: string[] = [];
  const live: LiveLink = {
    getSession: async (id) => [session, ended].find((s) => s.id === id) ?? null,
    sessionByStreamKey: async (key) => {
      lookups.push(key);
      return [session, ended].find((s) => s.streamKey === key) ?? null;
    },
  };
  let ingest: IngestService;
  let rtmpPort: number;

  const push = (id: string, key: string, seconds: number) =>
    pushTestPattern(ffmpeg, {
      publishUrl: `rtmp://127.0.0.1:${rtmpPort}/live/${id}?key=${key}`,
      seconds,
      size: '320x240',
    });

  beforeAll(async () => {
    rtmpPort = await freePort();
    const httpPort = await freePort();
    const config = loadConfig({ NODE_ENV: 'test' });
    ingest = new IngestService({
      media: { ...config.media, dir: mediaDir, rtmpPort, mediaHttpPort: httpPort },
      publicUrl: 'http://shop.example:3000',
      log: pino({ level: 'silent' }),
      live: () => live,
    });
    expect(await ingest.startMediaServer()).toBe(true);
    // One per process: a second start is refused, not a crash.
    expect(await ingest.startMediaServer({ rtmpPort: await freePort(), httpPort: await freePort() })).toBe(
      false,
    );
  });
  afterAll(async () => {
    await ingest?.stop();
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  it('refuses a wrong key, a missing key and an ended session: nothing on air, nothing recorded', async () => {
    for (const [id, key] of [
      [session.id, 'wrong-key'],
      [session.id, ''],
      [ended.id, 'ended-key'],
      [randomUUID(), 'right-key-0123456789'],
    ] as const) {
      const proc = push(id, key, 20);
      const [code] = (await once(proc, 'exit')) as [number | null];
      expect(code, `${id} ${key}`).not.toBe(0);
      expect((await ingest.status(id)).publishing).toBe(false);
      expect(await ingest.openPlayback(id)).toBeNull();
    }
    expect(await ingest.recordingOf(session.id)).toBeNull();
    expect(lookups).toContain('wrong-key');
  });

  it('accepts the right key: on air with a bitrate, plays FLV through the proxy stream, records', async () => {
    const proc = push(session.id, session.streamKey as string, 30);
    try {
      let status = await ingest.status(session.id);
      for (let i = 0; i < 100 && !(status.publishing && status.bitrateKbps); i++) {
        await sleep(100);
        status = await ingest.status(session.id);
      }
      expect(status.publishing).toBe(true);
      expect(status.mode).toBe('embedded');
      expect(status.since).not.toBeNull();
      expect(status.bitrateKbps).toBeGreaterThan(50);

      const stream = (await ingest.openPlayback(session.id)) as Readable;
      expect(stream).not.toBeNull();
      let bytes = Buffer.alloc(0);
      for await (const chunk of stream) {
        bytes = Buffer.concat([bytes, chunk as Buffer]);
        if (bytes.length > 20_000) break;
      }
      stream.destroy();
      expect(bytes.subarray(0, 3).toString()).toBe('FLV');
      // Nobody plays it over RTMP (the port listens on every interface): only through our proxy.
      const probe = await new Promise<{ failed: boolean; out: string }>((resolve) => {
        execFile(
          tools?.ffprobe ?? 'ffprobe',
          [
            '-v',
            'error',
            '-rw_timeout',
            '5000000',
            '-show_streams',
            '-of',
            'json',
            `rtmp://127.0.0.1:${rtmpPort}/live/${session.id}`,
          ],
          { timeout: 20_000 },
          (err, stdout) => resolve({ failed: err !== null, out: stdout }),
        );
      });
      expect(probe.failed).toBe(true);
      expect(probe.out).not.toContain('codec_type');
      // The proxy's HTTP-FLV still plays afterwards.
      const again = (await ingest.openPlayback(session.id)) as Readable;
      expect(again).not.toBeNull();
      again.destroy();
      // Buyers play it only while the session is live (not the merchant's check before the start).
      const viewer = await ingest.openViewerPlayback(session.id);
      expect(viewer).not.toBeNull();
      viewer?.destroy();
      session.status = 'scheduled';
      expect(await ingest.openViewerPlayback(session.id)).toBeNull();
      session.status = 'live';

      const recording = await ingest.recordingOf(session.id);
      expect(recording).toMatch(new RegExp(`recordings/live/${session.id}/\\d+\\.flv$`));
      expect((await ingest.status(session.id)).recorded).toBe(true);
      expect(ingest.ingestInfo(session.id, 'k').rtmpUrl).toBe(`rtmp://shop.example:${rtmpPort}/live`);
    } finally {
      proc.kill('SIGINT');
      await once(proc, 'exit');
    }
    const file = (await ingest.recordingOf(session.id)) as string;
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
  });

  const onAir = async (id: string) => {
    for (let i = 0; i < 100 && !(await ingest.status(id)).publishing; i++) await sleep(100);
    return (await ingest.status(id)).publishing;
  };

  it('a stopped session: its publisher is closed and its recording ends (in this process, or at the next look)', async () => {
    // Stopped here: the live service tells the ingest (sessionOver).
    const proc = push(session.id, session.streamKey as string, 60);
    const exited = once(proc, 'exit');
    try {
      expect(await onAir(session.id)).toBe(true);
      const recording = (await ingest.recordingOf(session.id)) as string;
      session.status = 'ended';
      expect(ingest.sessionOver(session.id)).toBe(true);
      expect(MediaServer.current()?.activeRecording(session.id)).toBeNull();
      expect((await ingest.status(session.id)).publishing).toBe(false);
      await exited;
      const size = fs.statSync(recording).size;
      await sleep(1500);
      expect(fs.statSync(recording).size).toBe(size);
      expect(await ingest.openPlayback(session.id)).toBeNull();
    } finally {
      proc.kill('SIGINT');
    }

    // Stopped by another process: the periodic look closes it.
    const other: LiveSessionView = {
      ...session,
      id: randomUUID(),
      status: 'live',
      streamKey: 'other-key-0123456789',
    };
    const lookup = live.getSession;
    const byKey = live.sessionByStreamKey;
    live.getSession = async (id) => (id === other.id ? other : lookup(id));
    live.sessionByStreamKey = async (key) => (key === other.streamKey ? other : byKey(key));
    const second = push(other.id, other.streamKey as string, 60);
    const secondExited = once(second, 'exit');
    try {
      expect(await onAir(other.id)).toBe(true);
      expect(await ingest.closeEnded()).toEqual([]);
      other.status = 'cancelled';
      expect(await ingest.closeEnded()).toEqual([other.id]);
      await secondExited;
      expect((await ingest.status(other.id)).publishing).toBe(false);
    } finally {
      second.kill('SIGINT');
      live.getSession = lookup;
      live.sessionByStreamKey = byKey;
    }
  });
});

describe('gravity live demo', () => {
  it('takes the live session first, else the earliest scheduled one', () => {
    const rows = [
      { id: 'c', status: 'scheduled', scheduledAt: '2026-12-02T10:00:00Z' },
      { id: 'b', status: 'scheduled', scheduledAt: '2026-12-01T10:00:00Z' },
      { id: 'e', status: 'ended', scheduledAt: '2026-11-01T10:00:00Z' },
    ];
    expect(nextDemoSession(rows)?.id).toBe('b');
    expect(nextDemoSession([...rows, { id: 'l', status: 'live' }])?.id).toBe('l');
    expect(nextDemoSession([rows[2] as (typeof rows)[number]])).toBeUndefined();
  });

  it('burns in the pinned product with its price, or a waiting line', () => {
    const view = {
      pinnedProductId: 'p2',
      products: [{ id: 'p1' }, { id: 'p2', title: '纯棉T恤', priceFen: 11400 }],
    };
    expect(pinnedLine(view)).toBe('讲解中 纯棉T恤 ¥114.00');
    expect(pinnedLine({ ...view, pinnedProductId: null })).toBe('引力直播 · 测试信号');
    expect(pinnedLine(null)).toBe('引力直播 · 测试信号');
  });
});
