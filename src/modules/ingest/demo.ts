import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mediaTools } from '../../platform/ffmpeg.ts';
import { demoFont, pushTestPattern } from './test-pattern.ts';

/**
 * `gravity live demo [--session <id>] [--url http://127.0.0.1:3000] [--phone 13700000001]`: signs in
 * to the running server as the demo merchant, starts the next scheduled session of their store (or the
 * given one), and pushes an ffmpeg test pattern into its RTMP ingest until Ctrl-C, the pinned product's
 * name and price burned in (followed as the merchant pins). It talks to the server over HTTP, as OBS
 * and the console would: an embedded PGlite database belongs to the server process alone.
 */

const usage = `usage: gravity live demo [--session <id>] [--url http://127.0.0.1:<PORT>] [--phone <merchant phone>]`;

interface SessionRow {
  id: string;
  title?: string;
  status?: string;
  scheduledAt?: string;
}

type Json = Record<string, unknown>;

/** The first array of objects with an `id` in an answer (`{items}`, `{sessions}` or a bare list). */
function rowsOf(body: unknown): SessionRow[] {
  if (Array.isArray(body)) return body as SessionRow[];
  if (body && typeof body === 'object')
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as SessionRow[];
  return [];
}

/** The next session to demo: a live one first (resume), else the earliest scheduled. */
export function nextDemoSession(rows: SessionRow[]): SessionRow | undefined {
  const live = rows.find((r) => r.status === 'live');
  if (live) return live;
  return rows
    .filter((r) => r.status === 'scheduled')
    .sort((a, b) => String(a.scheduledAt).localeCompare(String(b.scheduledAt)))[0];
}

/** "讲解中 <title> ¥<price>" of the pinned product in a session's public view, or a waiting line. */
export function pinnedLine(view: Json | null, lang: 'zh' | 'en' = 'zh'): string {
  const pinned = view?.pinnedProductId;
  const products = rowsOf(view?.products ?? []) as unknown as Json[];
  const product = products.find((p) => p.id === pinned || p.productId === pinned);
  if (!pinned || !product) return lang === 'zh' ? '引力直播 · 测试信号' : 'Gravity live · test signal';
  const title = String(product.title ?? product.name ?? '');
  const fen = [product.finalPriceFen, product.priceFen, product.minPriceFen].find(
    (v) => typeof v === 'number',
  );
  const price = typeof fen === 'number' ? ` ¥${(fen / 100).toFixed(2)}` : '';
  return `讲解中 ${title}${price}`;
}

class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const res = await fetch(`${this.base}/api/v1${url}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    const text = await res.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      json = { text };
    }
    return { status: res.status, json };
  }

  async must(method: string, url: string, body?: unknown): Promise<Json> {
    const r = await this.call(method, url, body);
    if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }
}

export async function runLiveCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'demo') {
    console.error(usage);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { session: { type: 'string' }, url: { type: 'string' }, phone: { type: 'string' } },
  });
  const tools = mediaTools();
  if (!tools) {
    console.error('gravity live demo needs ffmpeg (apt-get install ffmpeg, or FFMPEG_PATH)');
    return 1;
  }
  const base = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const client = new Client(base);
  const phone = values.phone ?? '13700000001';
  try {
    const code = await client.must('POST', '/auth/sms-code', { phone });
    if (typeof code.sandboxCode !== 'string')
      throw new Error('the server shows no sandbox SMS code (production?)');
    await client.must('POST', '/auth/sign-in', { phone, code: code.sandboxCode, role: 'merchant' });
  } catch (err) {
    console.error(
      `cannot sign in to ${base} as ${phone}: ${(err as Error).message}\nIs \`gravity start\` running?`,
    );
    return 1;
  }
  let sessionId = values.session;
  if (!sessionId) {
    const next = nextDemoSession(rowsOf(await client.must('GET', '/merchant/live/sessions')));
    if (!next) {
      console.error('the store has no scheduled live session: schedule one in the merchant console');
      return 1;
    }
    sessionId = next.id;
  }
  const answer = await client.must('GET', `/merchant/live/sessions/${sessionId}`);
  const detail = (answer.session ?? answer) as Json;
  if (detail.status === 'scheduled') await client.must('POST', `/merchant/live/sessions/${sessionId}/start`);
  const ingest = await client.must('GET', `/merchant/live/sessions/${sessionId}/ingest`);
  const publishUrl = String(ingest.publishUrl);

  const textFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-live-demo-')), 'pinned.txt');
  const follow = async () => {
    const view = await client.call('GET', `/live/sessions/${sessionId}`);
    const json = view.json.session ?? view.json;
    const line = pinnedLine(view.status === 200 ? (json as Json) : null);
    // Written aside and renamed: ffmpeg re-reads the file every frame and must never see it half-written.
    fs.writeFileSync(`${textFile}.tmp`, line);
    fs.renameSync(`${textFile}.tmp`, textFile);
  };
  await follow();
  const timer = setInterval(() => void follow().catch(() => undefined), 2000);

  console.log(`\n  live demo: "${String(detail.title ?? sessionId)}" (${sessionId})`);
  console.log(`  pushing a test pattern to ${String(ingest.rtmpUrl)} (stream key hidden)`);
  console.log(`  buyers watch:   ${base}/live/${sessionId}`);
  console.log(`  live console:   ${base}/merchant/live/${sessionId}`);
  console.log('  Ctrl-C stops the stream (the session stays live; stop it in the console)\n');

  let stopping = false;
  for (;;) {
    const proc = pushTestPattern(tools.ffmpeg, { publishUrl, textFile, font: demoFont() });
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    const stop = () => {
      stopping = true;
      proc.kill('SIGINT');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (stopping) break;
    console.error(`ffmpeg stopped (${code}): ${err.trim() || 'no message'}; again in 3 s`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  clearInterval(timer);
  console.log('  stream stopped');
  return 0;
}
