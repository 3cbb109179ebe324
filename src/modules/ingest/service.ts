import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth.ts';
import type { MediaConfig } from '../../platform/config.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { acceptsPublisher, type LiveLink } from './live-link.ts';
import { MediaServer, newestRecording } from './media-server.ts';
import { embeddedRtmpBase, type IngestInfo, ingestUrls, keyOf } from './publish-url.ts';

export interface IngestStatus {
  /** Whether an accepted publisher is streaming into the session now. */
  publishing: boolean;
  /** Since when (ISO), while publishing. */
  since: string | null;
  /** Incoming bitrate over the last seconds, while publishing and once measured. */
  bitrateKbps: number | null;
  width: number | null;
  height: number | null;
  /** Whether the session has a recording (the newest is what replays cut from). */
  recorded: boolean;
  /** Where the stream goes: this process's embedded server, an external service, or nowhere. */
  mode: 'embedded' | 'external' | 'none';
}

export interface MerchantIngest extends IngestInfo {
  status: IngestStatus;
}

interface Deps {
  media: MediaConfig;
  publicUrl: string;
  log: Logger;
  /** The live service, looked up when first needed (it is built before this module). */
  live: () => LiveLink | null;
}

/** How often publishers of sessions stopped elsewhere are looked for. */
const RECHECK_MS = 5000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live ingest: the embedded RTMP server (started by `gravity start|api`, `startMediaServer`) or
 * an external RTMP/HTTP-FLV service (LIVE_INGEST_URL / LIVE_PLAY_URL), publisher checks by stream
 * key, the stream's status, the playback proxy on our origin, and the recordings.
 */
export class IngestService {
  private server: MediaServer | null = null;
  private watch: NodeJS.Timeout | undefined;

  constructor(private readonly deps: Deps) {}

  get recordDir(): string {
    return path.join(this.deps.media.dir, 'recordings');
  }

  private get external(): boolean {
    return this.deps.media.externalIngestUrl !== undefined;
  }

  /**
   * Starts the embedded media server in this process (one per process; skipped when RTMP_PORT is 0,
   * an external service is configured, or the ports are taken). Ports may be overridden (tests).
   */
  async startMediaServer(ports?: { rtmpPort: number; httpPort: number }): Promise<boolean> {
    const rtmpPort = ports?.rtmpPort ?? this.deps.media.rtmpPort;
    const httpPort = ports?.httpPort ?? this.deps.media.mediaHttpPort;
    if (this.server || rtmpPort <= 0 || this.external) return false;
    this.server = await MediaServer.start({
      rtmpPort,
      httpPort,
      recordDir: this.recordDir,
      storeDir: path.join(this.deps.media.dir, 'media-server'),
      authorize: (app, name, query) => this.authorize(app, name, query),
      onChange: (c) => this.deps.log.info({ sessionId: c.name, publishing: c.publishing }, 'live ingest'),
      warn: (message, err) => this.deps.log.warn({ err }, message),
    });
    if (this.server) {
      this.deps.log.info({ rtmpPort, httpPort }, 'embedded RTMP ingest listening');
      // A session stopped by another process: its publisher is closed at the next look.
      this.watch = setInterval(() => void this.closeEnded().catch(() => {}), RECHECK_MS);
      this.watch.unref();
    }
    return this.server !== null;
  }

  /**
   * The session stopped (ended or cancelled): its publisher is closed and its recording ends, so an
   * encoder left running pushes into nothing. Called by the live service in this process.
   */
  sessionOver(sessionId: string): boolean {
    return this.server?.closePublisher(sessionId.toLowerCase()) ?? false;
  }

  /** Closes the publishers of sessions no longer scheduled or live (stopped in any process). */
  async closeEnded(): Promise<string[]> {
    const live = this.deps.live();
    if (!this.server || !live) return [];
    const closed: string[] = [];
    for (const name of this.server.publishingNames()) {
      const session = await live.getSession(name);
      if (!session || !acceptsPublisher(session.status)) {
        if (this.server.closePublisher(name)) closed.push(name);
      }
    }
    return closed;
  }

  async stop(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
    await this.server?.stop();
    this.server = null;
  }

  /** Whether a publisher of stream `name` with `?key=` may publish: the key must be that session's. */
  async authorize(
    app: string,
    name: string,
    query: Record<string, string | string[] | undefined>,
  ): Promise<boolean> {
    const key = keyOf(query);
    if (app !== 'live' || !UUID.test(name) || !key) return false;
    const live = this.deps.live();
    if (!live) return false;
    const session = await live.sessionByStreamKey(key);
    return session !== null && session.id === name && acceptsPublisher(session.status);
  }

  /** The URLs for OBS/ffmpeg and the player; `host` is how the merchant reaches us (default PUBLIC_URL's). */
  ingestInfo(sessionId: string, streamKey: string, host?: string): IngestInfo {
    const rtmpBase =
      this.deps.media.externalIngestUrl ??
      embeddedRtmpBase(host ?? new URL(this.deps.publicUrl).host, this.deps.media.rtmpPort);
    return ingestUrls({ sessionId, streamKey, rtmpBase });
  }

  async status(sessionId: string): Promise<IngestStatus> {
    const mode = this.external ? 'external' : this.server ? 'embedded' : 'none';
    const recorded = (await this.recordingOf(sessionId)) !== null;
    if (mode === 'external') {
      const up = await this.openExternal(sessionId);
      up?.destroy();
      return { ...idle(mode, recorded), publishing: up !== null };
    }
    const state = this.server?.state(sessionId);
    if (!state?.publishing) return idle(mode, recorded);
    return {
      publishing: true,
      since: state.since?.toISOString() ?? null,
      bitrateKbps: state.bitrateKbps,
      width: state.width,
      height: state.height,
      recorded,
      mode,
    };
  }

  /**
   * The session's newest finished-or-growing recording (`<MEDIA_DIR>/recordings/live/<id>/<ms>.flv`),
   * or null. It is read from the disk, so any process on this host finds it.
   */
  async recordingOf(sessionId: string): Promise<string | null> {
    if (!UUID.test(sessionId)) return null;
    return newestRecording(this.recordDir, sessionId.toLowerCase());
  }

  /** The merchant's view of a session's ingest: the URLs with the key, and the status. */
  async merchantIngest(actor: Actor, sessionId: string, host?: string): Promise<MerchantIngest> {
    if (!actor.storeId) throw forbidden('Open your store first');
    const live = this.deps.live();
    if (!live) throw notFound('Live session');
    let streamKey: string | undefined;
    if (live.merchantSession) {
      // The live module checks the session is this merchant's store's (not_found otherwise).
      streamKey = (await live.merchantSession(actor, sessionId)).session.streamKey;
    } else {
      const session = await live.getSession(sessionId);
      if (!session || session.storeId !== actor.storeId) throw notFound('Live session');
      streamKey = (await live.streamKeyOf?.(sessionId)) ?? session.streamKey ?? undefined;
    }
    if (!streamKey) throw notFound('Live session');
    return { ...this.ingestInfo(sessionId, streamKey, host), status: await this.status(sessionId) };
  }

  /**
   * The session's live HTTP-FLV, from the embedded server on loopback (only while an accepted
   * publisher streams) or the external service; null when it is not on air.
   */
  async openPlayback(sessionId: string): Promise<Readable | null> {
    if (this.external) return this.openExternal(sessionId);
    if (!this.server?.state(sessionId).publishing) return null;
    const res = await get(`http://127.0.0.1:${this.server.httpPort}/live/${sessionId}.flv`);
    return res;
  }

  /**
   * What buyers play: the stream only while the session is live. A publisher may push before the start
   * (the merchant checks the picture) or go on after the end; buyers see neither.
   */
  async openViewerPlayback(sessionId: string): Promise<Readable | null> {
    const session = await this.deps.live()?.getSession(sessionId);
    if (session?.status !== 'live') return null;
    return this.openPlayback(sessionId);
  }

  private async openExternal(sessionId: string): Promise<Readable | null> {
    const base = this.deps.media.externalPlayUrl;
    if (!base) return null;
    return get(`${base}/${sessionId}.flv`);
  }
}

function idle(mode: IngestStatus['mode'], recorded: boolean): IngestStatus {
  return { publishing: false, since: null, bitrateKbps: null, width: null, height: null, recorded, mode };
}

/** A GET whose 200 body is the answer; anything else (or no answer in 5 s) is null. */
function get(url: string): Promise<Readable | null> {
  return new Promise((resolve) => {
    const req = (url.startsWith('https:') ? https : http).get(url, (res) => {
      clearTimeout(timer);
      if (res.statusCode === 200) resolve(res);
      else {
        res.resume();
        resolve(null);
      }
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, 5000);
    req.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}
