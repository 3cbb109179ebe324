import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openSocket, type WsClient } from '../test/support/ws-client.ts';

/**
 * `npm run bench:live-room`: 5,000 WebSocket viewers in one live room on one instance (in-process hub,
 * PGlite): comments are posted one after another by different buyers (each a real comment: checked,
 * rate-limited, stored, published) and every viewer's receipt time is taken; the fan-out latency is
 * from just before the request to each viewer's receipt. Memory per viewer: the process's heap + external
 * memory grown by connecting the viewers, divided by their number — server AND client sockets live in
 * this process, so it is an upper bound of the server's cost.
 * Last line: `{"viewers":5000,"fanoutP50Ms":…,"fanoutP99Ms":…,"kbPerViewer":…}`.
 */
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 5_000);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 20);

const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};

export async function main(): Promise<void> {
  const database = await openDatabase({});
  await migrate(database.db);
  const config = { ...loadConfig({ NODE_ENV: 'test' }), natsUrl: undefined };
  const clock = new ManualClock(new Date());
  const g = await buildApp({ config, db: database.db, clock, log: pino({ level: 'silent' }) });
  await g.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `ws://127.0.0.1:${(g.app.server.address() as AddressInfo).port}/api/v1`;
  let ip = 0;
  const signIn = async (phone: string, role: 'buyer' | 'merchant') => {
    ip += 1;
    const remoteAddress = `10.7.${Math.floor(ip / 250)}.${ip % 250}`;
    const sent = await g.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone },
      remoteAddress,
    });
    const res = await g.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone, code: sent.json().sandboxCode, role },
      remoteAddress,
    });
    return String(res.headers['set-cookie']).split(';')[0] as string;
  };
  const call = (method: 'POST' | 'PUT', url: string, cookie: string, payload: object) =>
    g.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
  const merchant = await signIn('13640000001', 'merchant');
  await call('POST', '/stores', merchant, { name: '压测直播间', businessType: 'apparel' });
  const product = await call('POST', '/merchant/products', merchant, {
    title: '压测T恤',
    categoryId: 'women-tshirt',
    images: ['https://example.com/tee.png'],
    brand: '引力',
    fitType: 'regular',
    sizeChart: null,
    skus: [{ size: 'M', color: '黑色', priceFen: 9900, stock: 10 }],
  });
  const session = await call('POST', '/merchant/live/sessions', merchant, {
    title: '压测直播',
    scheduledAt: new Date().toISOString(),
    productIds: [product.json().product.id],
  });
  const id = session.json().session.id as string;
  await call('POST', `/merchant/live/sessions/${id}/start`, merchant, {});
  const senders: string[] = [];
  for (let i = 0; i < COMMENTS; i += 1)
    senders.push(await signIn(`1364100${String(1000 + i).padStart(4, '0')}`, 'buyer'));

  const before = memory();
  const sockets: WsClient[] = [];
  const received = new Map<string, number[]>();
  for (let i = 0; i < VIEWERS; i += 1) {
    const ws = await openSocket(`${base}/live/sessions/${id}/room?viewer=${crypto.randomUUID()}`);
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.type === 'comment') received.get(m.text)?.push(performance.now());
    });
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 1500)); // the viewer counts settle
  const kbPerViewer = (memory() - before) / VIEWERS / 1024;

  const latencies: number[] = [];
  for (let i = 0; i < COMMENTS; i += 1) {
    const text = `压测评论 ${i}`;
    const times: number[] = [];
    received.set(text, times);
    const t0 = performance.now();
    const res = await call('POST', `/live/sessions/${id}/comments`, senders[i] as string, { text });
    if (res.statusCode !== 201) throw new Error(`comment ${res.statusCode}: ${res.body}`);
    for (let wait = 0; times.length < VIEWERS && wait < 2000; wait += 1)
      await new Promise((r) => setTimeout(r, 5));
    if (times.length < VIEWERS) throw new Error(`comment ${i} reached ${times.length} of ${VIEWERS} viewers`);
    for (const t of times) latencies.push(t - t0);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] as number;
  console.log(`${VIEWERS} viewers, ${COMMENTS} comments, ${latencies.length} deliveries`);
  for (const s of sockets) s.terminate();
  await g.stop();
  await g.app.close();
  await database.close();
  console.log(
    JSON.stringify({
      viewers: VIEWERS,
      fanoutP50Ms: Math.round(pct(0.5) * 10) / 10,
      fanoutP99Ms: Math.round(pct(0.99) * 10) / 10,
      kbPerViewer: Math.round(kbPerViewer * 10) / 10,
    }),
  );
}
