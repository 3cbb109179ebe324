import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { cookieOf, createTestApp, type TestApp } from '../support/test-app.ts';

/** An app over the test app's database with other settings (trustProxy, logging): no second boot. */
async function sibling(t: TestApp, overrides: Partial<Config>, log = createLogger('silent')) {
  const gravity = await buildApp({ config: { ...t.config, ...overrides }, db: t.db, clock: t.clock, log });
  await gravity.app.ready();
  return gravity.app;
}

describe('cross-site requests and sessions', () => {
  let t: TestApp;
  let buyer: string;
  let skuId: string;
  let ipSeq = 0;
  const nextIp = () => {
    ipSeq += 1;
    return `10.66.${Math.floor(ipSeq / 250)}.${ipSeq % 250}`;
  };

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    buyer = await t.signIn('13600000001');
    await t.signIn('13700000001', 'merchant');
    const { storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13700000001') });
    ({
      skuIds: [skuId = ''],
    } = await createProduct(t.db, storeId, { skus: [{ priceFen: 3998, stock: 100 }] }));
  });
  afterAll(async () => t.close());

  const placeOrder = async (key: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checkouts',
      headers: { cookie: buyer, 'idempotency-key': key },
      payload: { lines: [{ skuId, quantity: 1 }], address: testAddress },
    });
    expect(res.statusCode).toBe(201);
    return res.json().checkout.orders[0].id;
  };
  const statusOf = async (orderId: string) =>
    (await sql<{ status: string }>`select status from orders where id = ${orderId}`.execute(t.db)).rows[0]
      ?.status;
  const cancel = (orderId: string, headers: Record<string, string>, payload?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/cancel`,
      headers: { cookie: buyer, host: 'shop.example:3000', ...headers },
      ...(payload === undefined ? {} : { payload }),
    });

  describe('writes from another origin', () => {
    it('refuses a plain HTML form (Origin: null, text/plain) cancelling an order, and changes nothing', async () => {
      const orderId = await placeOrder('csrf-null-1');
      const res = await cancel(orderId, { origin: 'null', 'content-type': 'text/plain' }, 'x=1');
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect(await statusOf(orderId)).toBe('pending_payment');
    });

    it('refuses an origin on another port or scheme, and accepts the same origin', async () => {
      const orderId = await placeOrder('csrf-port-1');
      expect((await cancel(orderId, { origin: 'http://shop.example:4000' })).statusCode).toBe(403);
      expect((await cancel(orderId, { origin: 'https://shop.example:3000' })).statusCode).toBe(403);
      expect((await cancel(orderId, { origin: 'http://evil.example:3000' })).statusCode).toBe(403);
      expect(await statusOf(orderId)).toBe('pending_payment');
      const same = await cancel(orderId, { origin: 'http://shop.example:3000' });
      expect(same.statusCode).toBe(200);
      expect(await statusOf(orderId)).toBe('cancelled');
    });

    it('refuses a browser write without Origin that Sec-Fetch-Site calls cross-site', async () => {
      const orderId = await placeOrder('csrf-sfs-1');
      expect((await cancel(orderId, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await cancel(orderId, { 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
      expect(await statusOf(orderId)).toBe('pending_payment');
      expect((await cancel(orderId, { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    });

    it('refuses a cross-origin write without a session cookie too (sign-in forgery)', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        headers: { origin: 'https://evil.example' },
        payload: { phone: '13600000077' },
        remoteAddress: nextIp(),
      });
      expect(res.statusCode).toBe(403);
    });

    it('answers 415 to a text/plain body on the JSON API, even from a non-browser client', async () => {
      const orderId = await placeOrder('csrf-plain-1');
      const res = await cancel(orderId, { 'content-type': 'text/plain' }, '{}');
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBeTypeOf('string');
      expect(await statusOf(orderId)).toBe('pending_payment');
    });
  });

  describe('behind a TLS-terminating proxy', () => {
    const signInVia = async (app: Awaited<ReturnType<typeof sibling>> | TestApp['app'], phone: string) => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
      const remoteAddress = nextIp();
      const sent = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        headers,
        payload: { phone },
        remoteAddress,
      });
      expect(sent.statusCode).toBe(200);
      return app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        headers,
        payload: { phone, code: sent.json().sandboxCode },
        remoteAddress,
      });
    };
    const codesFromOneProxy = async (
      app: Awaited<ReturnType<typeof sibling>> | TestApp['app'],
      n: number,
    ) => {
      const proxy = nextIp();
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          headers: { 'x-forwarded-for': `198.51.${ipSeq}.${i + 1}` },
          payload: { phone: `1350${String(ipSeq).padStart(3, '0')}${String(i).padStart(4, '0')}` },
          remoteAddress: proxy,
        });
        statuses.push(res.statusCode);
      }
      return statuses;
    };

    it('reads TRUST_PROXY: unset means no proxy; true or addresses; a hop count is refused', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
      expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1, 10.0.0.0/8');
      expect(() => loadConfig({ TRUST_PROXY: '2' })).toThrow(/hop count/);
    });

    it('without TRUST_PROXY: ignores X-Forwarded-*, so no Secure cookie and one address for all clients', async () => {
      const res = await signInVia(t.app, '13600000010');
      expect(res.statusCode).toBe(200);
      expect(cookieOf(res)).toMatch(/^gravity_session=/);
      expect(String(res.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
      const statuses = await codesFromOneProxy(t.app, 31);
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses[30]).toBe(429);
    });

    it('with TRUST_PROXY: the session cookie is Secure and rate limits key on the client address', async () => {
      const behindProxy = await sibling(t, { trustProxy: '10.66.0.0/16' });
      try {
        const res = await signInVia(behindProxy, '13600000011');
        expect(res.statusCode).toBe(200);
        expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
        const statuses = await codesFromOneProxy(behindProxy, 31);
        expect(statuses.every((s) => s === 200)).toBe(true);
        // The scheme the browser used is the one its Origin is compared with.
        const orderId = await placeOrder('proxy-origin-1');
        const proxy = nextIp();
        const write = (origin: string) =>
          behindProxy.inject({
            method: 'POST',
            url: `/api/v1/orders/${orderId}/cancel`,
            headers: { cookie: buyer, host: 'shop.example', origin, 'x-forwarded-proto': 'https' },
            remoteAddress: proxy,
          });
        expect((await write('http://shop.example')).statusCode).toBe(403);
        expect((await write('https://shop.example')).statusCode).toBe(200);
      } finally {
        await behindProxy.close();
      }
    });
  });

  it('answers 429 with Retry-After, in seconds, that is long enough and no longer', async () => {
    const phone = '13600000020';
    const ask = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        payload: { phone },
        remoteAddress: nextIp(),
      });
    expect((await ask()).statusCode).toBe(200);
    const refused = await ask();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    t.clock.advance(59_000);
    const still = await ask();
    expect(still.statusCode).toBe(429);
    expect(still.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    expect((await ask()).statusCode).toBe(200);
  });

  it('replaces a hostile x-request-id with a fresh one, and keeps a well-formed one', async () => {
    const valid = /^[A-Za-z0-9._:-]{1,64}$/;
    for (const hostile of ['a\r\nSet-Cookie: x=1', 'x'.repeat(500), 'ид-请求-🙂', '', 'a b', '<script>']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/noop',
        headers: { 'x-request-id': hostile },
      });
      expect(res.statusCode, JSON.stringify(hostile)).toBe(200);
      const id = String(res.headers['x-request-id']);
      expect(id).toMatch(valid);
      expect(id).not.toBe(hostile);
      expect(hostile.startsWith(id)).toBe(false);
    }
    const kept = await t.app.inject({
      method: 'GET',
      url: '/api/noop',
      headers: { 'x-request-id': 'edge-7f3a.2:b_9' },
    });
    expect(kept.headers['x-request-id']).toBe('edge-7f3a.2:b_9');
  });

  describe('SMS codes and phones in the log', () => {
    const captured = async (overrides: Partial<Config>, phone: string) => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
      const app = await sibling(t, overrides, createLogger('info', sink));
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          headers: { 'x-request-id': 'log-test' },
          payload: { phone },
          remoteAddress: nextIp(),
        });
        expect(res.statusCode).toBe(200);
        return { code: res.json().sandboxCode as string, records: lines.map((l) => JSON.parse(l)) };
      } finally {
        await app.close();
      }
    };
    // Figures that are not the request's (clock, process) could contain any six digits.
    const textOf = (record: Record<string, unknown>) => {
      const { time: _time, pid: _pid, responseTime: _rt, ...rest } = record;
      return JSON.stringify(rest);
    };

    it('in production: no code in the log, and the phone masked everywhere', async () => {
      const production = loadConfig({ NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x'.repeat(48) });
      expect(production.logSmsCodes).toBe(false);
      // Exposed here only so the test knows which code must not appear.
      const { code, records } = await captured(
        { logSmsCodes: production.logSmsCodes, exposeSandboxSmsCode: true },
        '13812340000',
      );
      const sms = records.find((r) => String(r.msg).includes('SMS'));
      expect(sms?.msg).toContain('138****0000');
      for (const r of records) {
        expect(textOf(r)).not.toContain('13812340000');
        expect(textOf(r)).not.toContain(code);
      }
    });

    it('in development: the code is logged, the phone still masked', async () => {
      expect(loadConfig({ NODE_ENV: 'development' }).logSmsCodes).toBe(true);
      expect(loadConfig({}).logSmsCodes).toBe(true);
      const { code, records } = await captured({ logSmsCodes: true }, '13812340001');
      const sms = records.find((r) => String(r.msg).includes('SMS'));
      expect(sms?.msg).toContain(code);
      expect(sms?.msg).toContain('138****0001');
      for (const r of records) expect(textOf(r)).not.toContain('13812340001');
    });
  });
});
