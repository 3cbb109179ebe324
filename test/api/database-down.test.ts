import net from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** A local port nobody listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * The app over a PostgreSQL URL that cannot be reached (the server is down or restarting): the
 * process serves, liveness says so, health and readiness report the database down, and a request
 * that needs the database answers 503 `database_unavailable` with Retry-After, not 500.
 */
describe('the database is unavailable', () => {
  let database: Database;
  let gravity: Gravity;
  const logged: Array<{ level: number; msg: string }> = [];

  beforeAll(async () => {
    database = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/gravity`,
    });
    const log = pino(
      { level: 'debug' },
      { write: (line: string) => logged.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    gravity = await buildApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      db: database.db,
      clock: new ManualClock('2026-03-01T08:00:00Z'),
      log,
    });
    await gravity.app.ready();
  });
  afterAll(async () => {
    await gravity?.app.close();
    await database?.close();
  });

  it('health answers 503 degraded, readiness 503, liveness 200', async () => {
    const health = await gravity.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'degraded', db: 'down' });
    const ready = await gravity.app.inject({ method: 'GET', url: '/api/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', db: 'down' });
    // A session cookie does not make liveness touch the database.
    const live = await gravity.app.inject({
      method: 'GET',
      url: '/api/health/live',
      headers: { cookie: 'gravity_session=some-token' },
    });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
  });

  it('a request that needs the database answers 503 database_unavailable with Retry-After, logged once', async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await gravity.app.inject({ method: 'GET', url: '/api/v1/products' });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.json().error.code).toBe('database_unavailable');
      // With a session to resolve, the same.
      const me = await gravity.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: 'gravity_session=some-token' },
      });
      expect(me.statusCode, me.body).toBe(503);
    }
    const errors = logged.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual([expect.stringMatching(/^database unavailable/)]);
  });
});

describe('health while the database answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/api/health, /api/health/live and /api/health/ready answer 200', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', db: 'up', time: '2026-03-01T08:00:00.000Z' });
    expect((await t.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', db: 'up' });
  });
});
