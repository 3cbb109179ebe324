import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

/**
 * The embedded node-media-server v4 (RTMP in, HTTP-FLV out on 127.0.0.1, FLV recordings). Its state
 * is a process-wide singleton (its `Context`), so a process runs at most one: `start` refuses a second.
 *
 * Publishers are checked by an async `authorize` (the session's stream key, through the live
 * service). node-media-server's events are synchronous, so a publisher is attached before the answer
 * comes; until it is accepted it is not counted as publishing, nothing of it is recorded (recording
 * starts only on acceptance, `record.auto` is off) and the playback proxy does not serve it; on
 * refusal its connection is closed and its publish ended at once (no reconnect grace).
 */

const require = createRequire(import.meta.url);

interface NmsSession {
  id: string;
  ip: string;
  protocol?: string;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  inBytes: number;
  createTime: number;
  videoWidth?: number;
  videoHeight?: number;
  socket?: net.Socket;
  close(): void;
}

interface NmsBroadcast {
  publisher: NmsSession | null;
  getPublishStatus(): 'publishing' | 'reconnecting' | 'idle';
  _finishPublish(): void;
}

interface NmsContext {
  broadcasts: Map<string, NmsBroadcast>;
  recordServer: {
    startRecord(streamPath: string): { ok: boolean; error?: string; filePath?: string };
    stopRecord(streamPath: string): { ok: boolean };
    getActiveRecord(streamPath: string): { filePath: string } | undefined;
  } | null;
}

interface NmsInstance {
  on(event: string, listener: (session: NmsSession) => void): void;
  run(): Promise<void>;
  stop(): Promise<void>;
}

export interface MediaServerOptions {
  rtmpPort: number;
  httpPort: number;
  /** Recordings go to `<recordDir>/live/<sessionId>/<ms>.flv`. */
  recordDir: string;
  /** node-media-server's own JSON store (record metadata). */
  storeDir: string;
  /** Whether this publisher may publish stream `name` of app `app` with `query` (its `?key=`). */
  authorize(
    app: string,
    name: string,
    query: Record<string, string | string[] | undefined>,
  ): Promise<boolean>;
  /** Told of accepted publishers and ended publishes (for logs and events). */
  onChange?(change: { name: string; publishing: boolean }): void;
  warn?(message: string, detail?: unknown): void;
}

export interface StreamState {
  publishing: boolean;
  /** When the accepted publisher connected. */
  since: Date | null;
  /** The incoming bitrate over the last few seconds, when known. */
  bitrateKbps: number | null;
  width: number | null;
  height: number | null;
}

interface Accepted {
  session: NmsSession;
  since: Date;
  samples: Array<{ at: number; bytes: number }>;
}

const APP = 'live';
const SAMPLE_MS = 1000;
const WINDOW = 5;

let running: MediaServer | null = null;

/** Whether something already listens on `port` of 127.0.0.1 / all interfaces. */
export function portFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export class MediaServer {
  private readonly accepted = new Map<string, Accepted>();
  private sampler: NodeJS.Timeout | undefined;
  private nms: NmsInstance | undefined;
  private context: NmsContext | undefined;

  private constructor(private readonly opts: MediaServerOptions) {}

  /** The running server of this process, if any. */
  static current(): MediaServer | null {
    return running;
  }

  /**
   * Starts the embedded server; null (with a warning) when one already runs in this process or a
   * port is taken (node-media-server would exit the process on a busy port).
   */
  static async start(opts: MediaServerOptions): Promise<MediaServer | null> {
    if (running) {
      opts.warn?.('the embedded media server already runs in this process');
      return null;
    }
    for (const [port, host] of [
      [opts.rtmpPort, undefined],
      [opts.httpPort, '127.0.0.1'],
    ] as const) {
      if (!(await portFree(port, host))) {
        opts.warn?.(`port ${port} is taken: no embedded RTMP ingest in this process`);
        return null;
      }
    }
    const server = new MediaServer(opts);
    running = server;
    await server.run();
    return server;
  }

  private async run(): Promise<void> {
    const { opts } = this;
    fs.mkdirSync(opts.recordDir, { recursive: true });
    fs.mkdirSync(opts.storeDir, { recursive: true });
    const NodeMediaServer = require('node-media-server') as new (config: object) => NmsInstance;
    const logger = require('node-media-server/src/core/logger.js') as {
      log: (message: string, level?: string) => void;
    };
    // Its console lines go to our log: warnings and errors only.
    logger.log = (message, level = 'info') => {
      if (level === 'warn' || level === 'error') opts.warn?.(`media server: ${message}`);
    };
    this.context = require('node-media-server/src/core/context.js') as NmsContext;
    const nms = new NodeMediaServer({
      bind: '0.0.0.0',
      rtmp: { port: opts.rtmpPort },
      // Only this process reads HTTP-FLV, through the playback route; nothing else listens there.
      http: { port: opts.httpPort },
      record: { path: opts.recordDir, auto: false },
      store: { path: opts.storeDir },
      webadmin: { enable: false },
    });
    this.nms = nms;
    // The HTTP-FLV listener on loopback only (node-media-server has one `bind` for every listener).
    const httpServer = (nms as unknown as { httpServer: { httpServer?: net.Server } }).httpServer.httpServer;
    if (httpServer) {
      const listen = httpServer.listen.bind(httpServer) as (...a: unknown[]) => net.Server;
      (httpServer as { listen: unknown }).listen = (port: number) => listen(port, '127.0.0.1');
    }
    // Viewers play through our origin's proxy, which reads HTTP-FLV on loopback: an RTMP play (from
    // anywhere: the RTMP port listens on every interface) would bypass the session-is-live rule.
    nms.on('prePlay', (session) => this.onPlay(session));
    nms.on('prePublish', (session) => this.onPublish(session));
    nms.on('donePublish', (session) => this.onDone(session));
    await nms.run();
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);
    this.sampler.unref();
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await this.nms?.stop();
    this.accepted.clear();
    if (running === this) running = null;
  }

  get httpPort(): number {
    return this.opts.httpPort;
  }

  /** The state of stream `name` (a session id): publishing only once its publisher was accepted. */
  state(name: string): StreamState {
    const a = this.accepted.get(name);
    const broadcast = this.context?.broadcasts.get(`/${APP}/${name}`);
    const publishing =
      !!a && broadcast?.publisher === a.session && broadcast.getPublishStatus() === 'publishing';
    if (!a || !publishing)
      return { publishing: false, since: null, bitrateKbps: null, width: null, height: null };
    const first = a.samples[0];
    const last = a.samples.at(-1);
    const bitrateKbps =
      first && last && last.at > first.at
        ? Math.round(((last.bytes - first.bytes) * 8) / (last.at - first.at))
        : null;
    return {
      publishing: true,
      since: a.since,
      bitrateKbps,
      width: a.session.videoWidth || null,
      height: a.session.videoHeight || null,
    };
  }

  /** The file being recorded for stream `name`, while it publishes. */
  activeRecording(name: string): string | null {
    return this.context?.recordServer?.getActiveRecord(`/${APP}/${name}`)?.filePath ?? null;
  }

  /**
   * Ends stream `name`'s accepted publisher (and its recording) now: its session stopped. A publisher
   * still connecting is refused by its own check (the session is no longer scheduled or live).
   */
  closePublisher(name: string): boolean {
    const a = this.accepted.get(name);
    if (!a) return false;
    const streamPath = `/${APP}/${name}`;
    if (this.context?.recordServer?.getActiveRecord(streamPath))
      this.context.recordServer.stopRecord(streamPath);
    const broadcast = this.context?.broadcasts.get(streamPath);
    if (broadcast) this.refuse(a.session, broadcast);
    else a.session.close();
    this.accepted.delete(name);
    this.opts.onChange?.({ name, publishing: false });
    return true;
  }

  /** The streams with an accepted publisher now. */
  publishingNames(): string[] {
    return [...this.accepted.keys()];
  }

  private onPlay(session: NmsSession): void {
    if (session.protocol !== 'rtmp') return;
    this.opts.warn?.(`refused an RTMP play of ${session.streamPath} from ${session.ip}`);
    if (session.socket) session.socket.destroy();
    else session.close();
  }

  private onPublish(session: NmsSession): void {
    const { streamApp: app, streamName: name } = session;
    this.opts
      .authorize(app, name, session.streamQuery ?? {})
      .catch((err) => {
        this.opts.warn?.('publisher check failed', err);
        return false;
      })
      .then((ok) => {
        const broadcast = this.context?.broadcasts.get(session.streamPath);
        // Another publisher holds the path (node-media-server refused this one already), or it left.
        if (!broadcast || broadcast.publisher !== session) {
          if (!ok) session.close();
          return;
        }
        if (!ok || app !== APP) {
          this.refuse(session, broadcast);
          return;
        }
        const previous = this.accepted.get(name);
        // The same client resumed within node-media-server's grace window: its record goes on.
        this.accepted.set(name, {
          session,
          since: previous?.since ?? new Date(session.createTime),
          samples: [{ at: Date.now(), bytes: session.inBytes }],
        });
        if (!this.context?.recordServer?.getActiveRecord(session.streamPath)) {
          const r = this.context?.recordServer?.startRecord(session.streamPath);
          if (r && !r.ok) this.opts.warn?.(`no recording of ${name}: ${r.error}`);
        }
        this.opts.onChange?.({ name, publishing: true });
      });
  }

  private refuse(session: NmsSession, broadcast: NmsBroadcast): void {
    const finish = () => {
      if (broadcast.publisher === session) broadcast._finishPublish();
    };
    if (session.socket) {
      session.socket.once('close', finish);
      session.socket.destroy();
    } else {
      session.close();
      finish();
    }
  }

  private onDone(session: NmsSession): void {
    const a = this.accepted.get(session.streamName);
    if (a?.session !== session) return;
    this.accepted.delete(session.streamName);
    this.opts.onChange?.({ name: session.streamName, publishing: false });
  }

  private sample(): void {
    const now = Date.now();
    for (const a of this.accepted.values()) {
      a.samples.push({ at: now, bytes: a.session.inBytes });
      if (a.samples.length > WINDOW) a.samples.shift();
    }
  }
}

/** The newest recording of stream `name` under `recordDir` (node-media-server names files by start time). */
export function newestRecording(recordDir: string, name: string): string | null {
  const dir = path.join(recordDir, APP, name);
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^\d+\.flv$/.test(f));
  } catch {
    return null;
  }
  const sized = files
    .map((f) => ({
      file: path.join(dir, f),
      at: Number(f.slice(0, -4)),
      size: fs.statSync(path.join(dir, f)).size,
    }))
    .filter((f) => f.size > 0)
    .sort((a, b) => b.at - a.at);
  return sized[0]?.file ?? null;
}
