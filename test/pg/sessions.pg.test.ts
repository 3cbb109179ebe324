import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Gravity } from '../../src/app.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import { type Database, openDatabase } from '../../src/platform/db.ts';
import { cookieOf } from '../support/test-app.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * Two API instances over two pools on one PostgreSQL database, each with its own session cache:
 * a sign-out in one is refused by the other once its LISTEN connection hears the NOTIFY, and
 * after that connection is killed it reconnects and notices still arrive.
 */
describe('sessions across processes (LISTEN/NOTIFY)', () => {
  let first: Database & { url?: string };
  let second: Database;
  let a: Gravity;
  let b: Gravity;
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  // A long cache: only a notice (or expiry) can end an entry during this test.
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), sessionCacheMs: 600_000 };
  let ip = 0;

  beforeAll(async () => {
    first = await freshDatabase(4);
    if (!first.url) throw new Error('needs a PostgreSQL server');
    second = await openDatabase({ databaseUrl: first.url, poolSize: 4 });
    a = await buildApp({ config, db: first.db, clock, log: pino({ level: 'silent' }) });
    b = await buildApp({ config, db: second.db, clock, log: pino({ level: 'silent' }) });
    await a.app.ready();
    await b.app.ready();
  });
  afterAll(async () => {
    for (const g of [a, b]) {
      await g?.stop();
      await g?.app.close();
    }
    await second?.close();
    await first?.close();
  });

  const signIn = async (phone: string) => {
    ip += 1;
    const remoteAddress = `10.77.0.${ip}`;
    const sent = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone },
      remoteAddress,
    });
    const code = sent.json().sandboxCode as string;
    const res = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone, code, role: 'buyer' },
      remoteAddress,
    });
    expect(res.statusCode).toBe(200);
    return cookieOf(res);
  };
  const me = (g: Gravity, cookie: string) =>
    g.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }).then((r) => r.statusCode);

  /** Asks `b` until it holds `cookie`'s session in memory (its LISTEN connection is up then). */
  const cachedOnB = async (cookie: string) => {
    const before = b.services.identity.cachedSessionCount;
    for (let i = 0; i < 500 && b.services.identity.cachedSessionCount <= before; i += 1) {
      expect(await me(b, cookie)).toBe(200);
      await sleep(10);
    }
    expect(b.services.identity.cachedSessionCount).toBeGreaterThan(before);
  };
  /** Asks `b` (a bounded number of times) until it refuses `cookie`. */
  const refusedByB = async (cookie: string) => {
    let status = 200;
    for (let i = 0; i < 500 && status === 200; i += 1) {
      status = await me(b, cookie);
      if (status === 200) await sleep(10);
    }
    expect(status).toBe(401);
  };

  it('a sign-out in one instance is refused by the other', async () => {
    const cookie = await signIn('13600002001');
    await cachedOnB(cookie);
    // The entry is really served from memory: the row gone without a notice does not end it.
    const other = await signIn('13600002002');
    await cachedOnB(other);
    await sql`delete from sessions where account_id = (select id from accounts where phone = '13600002002')`.execute(
      first.db,
    );
    expect(await me(b, other)).toBe(200);

    const out = await a.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(await me(a, cookie)).toBe(401);
    await refusedByB(cookie);
  });

  it('keeps hearing notices after its listening connection is killed', async () => {
    const cookie = await signIn('13600002003');
    await cachedOnB(cookie);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`.execute(
      first.db,
    );
    // The loss is noticed: everything cached is dropped (notices may be missed while nobody listens)…
    for (let i = 0; i < 500 && b.services.identity.cachedSessionCount > 0; i += 1) await sleep(10);
    expect(b.services.identity.cachedSessionCount).toBe(0);
    // …and once reconnected it caches again.
    await cachedOnB(cookie);
    const out = await a.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    await refusedByB(cookie);
  });

  it('still ends a cached session at its expiry', async () => {
    const cookie = await signIn('13600002004');
    await cachedOnB(cookie);
    clock.advance(31 * 24 * 3600_000);
    expect(await me(b, cookie)).toBe(401);
  });
});
