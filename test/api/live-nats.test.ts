import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { NatsHub } from '../../src/platform/realtime-nats.ts';
import { deliverEvents } from '../support/events.ts';
import { cookieOf } from '../support/test-app.ts';
import { freshDatabase } from '../support/test-db.ts';
import { openSocket, type WsClient } from '../support/ws-client.ts';

/**
 * The live room across two server instances through NATS (the local server, `.ci/run` starts it;
 * NATS_URL or nats://127.0.0.1:4222): both apps share one database and each has its own NATS
 * connection, built by `buildApp` from `config.natsUrl`. A comment sent on a socket of instance A
 * reaches a socket of instance B; the viewer count adds both instances' sockets; a reserver's
 * notice published by A reaches the buyer's notices socket on B.
 */
describe('live room fan-out between two instances through NATS', () => {
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Gravity;
  let b: Gravity;
  let urlA: string;
  let urlB: string;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    const config = { ...loadConfig({ NODE_ENV: 'test' }), natsUrl };
    const log = pino({ level: 'silent' });
    a = await buildApp({ config, db: database.db, clock, log });
    b = await buildApp({ config, db: database.db, clock, log });
    for (const g of [a, b]) {
      expect(g.realtime).toBeInstanceOf(NatsHub);
      expect(await (g.realtime as NatsHub).ready()).toBe(true);
    }
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    urlA = `ws://127.0.0.1:${(a.app.server.address() as AddressInfo).port}/api/v1`;
    urlB = `ws://127.0.0.1:${(b.app.server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    for (const g of [a, b]) {
      await g?.stop();
      await g?.app.close();
    }
    await database?.close();
  });

  let ip = 0;
  const signIn = async (phone: string, role: 'buyer' | 'merchant') => {
    ip += 1;
    const remoteAddress = `10.8.0.${ip}`;
    const sent = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone },
      remoteAddress,
    });
    const res = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone, code: sent.json().sandboxCode, role },
      remoteAddress,
    });
    expect(res.statusCode, res.body).toBe(200);
    return cookieOf(res);
  };
  const call = async (g: Gravity, method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
    g.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const listen = async (url: string, headers: Record<string, string> = {}) => {
    const socket = await openSocket(url, headers);
    sockets.push(socket);
    const got: Array<Record<string, unknown>> = [];
    socket.on('message', (d) => got.push(JSON.parse(String(d))));
    return { socket, got };
  };

  it('a comment on instance A reaches a viewer on instance B; viewers count both; notices cross too', async () => {
    const merchant = await signIn('13630000001', 'merchant');
    const store = await call(a, 'POST', '/stores', merchant, { name: '双实例小店', businessType: 'apparel' });
    expect(store.statusCode, store.body).toBe(201);
    const product = await call(a, 'POST', '/merchant/products', merchant, {
      title: '跨实例T恤',
      categoryId: 'women-tshirt',
      images: ['https://example.com/tee.png'],
      brand: '引力',
      fitType: 'regular',
      sizeChart: null,
      skus: [{ size: 'M', color: '黑色', priceFen: 9900, stock: 10 }],
    });
    expect(product.statusCode, product.body).toBe(201);
    const created = await call(a, 'POST', '/merchant/live/sessions', merchant, {
      title: '双实例直播',
      scheduledAt: '2026-03-01T09:00:00Z',
      productIds: [product.json().product.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().session.id as string;
    const buyer = await signIn('13630000002', 'buyer');
    expect((await call(a, 'POST', `/live/sessions/${id}/reservations`, buyer, {})).statusCode).toBe(201);

    // The buyer's notices socket is on B; the session starts on A, whose worker notifies.
    const notices = await listen(`${urlB}/me/notices/stream`, { cookie: buyer });
    expect((await call(a, 'POST', `/merchant/live/sessions/${id}/start`, merchant)).statusCode).toBe(200);
    await deliverEvents(a);
    await waitFor(() => notices.got.some((m) => m.type === 'notice'));

    const onB = await listen(`${urlB}/live/sessions/${id}/room?viewer=${randomUUID()}`);
    const onA = await listen(`${urlA}/live/sessions/${id}/room`, { cookie: buyer });
    // Each instance sees both viewers (its own socket and the other's, announced on NATS).
    await waitFor(() => onB.got.some((m) => m.type === 'viewers' && m.count === 2));
    await waitFor(() => onA.got.some((m) => m.type === 'viewers' && m.count === 2));

    onA.socket.send(JSON.stringify({ type: 'comment', text: '从A实例发的评论' }));
    await waitFor(() => onB.got.some((m) => m.type === 'comment' && m.text === '从A实例发的评论'));
    // Once on each socket, not echoed back twice.
    await waitFor(() => onA.got.some((m) => m.type === 'comment'));
    await new Promise((r) => setTimeout(r, 200));
    expect(onA.got.filter((m) => m.type === 'comment')).toHaveLength(1);
    expect(onB.got.filter((m) => m.type === 'comment')).toHaveLength(1);

    // A pin made through B reaches the viewer on A.
    const pin = await b.app.inject({
      method: 'PUT',
      url: `/api/v1/merchant/live/sessions/${id}/pin`,
      headers: { cookie: merchant },
      payload: { productId: product.json().product.id },
    });
    expect(pin.statusCode, pin.body).toBe(200);
    await waitFor(() =>
      onA.got.some((m) => m.type === 'pinned' && m.productId === product.json().product.id),
    );
  });
});

async function waitFor(check: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the condition never held');
}
