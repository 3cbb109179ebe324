import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createStore } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Sessions served from this process's memory (SESSION_CACHE_MS): a sign-out, a store opened and
 * the session's own expiry all hold at once, cache or not.
 */
describe('session cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A long cache: only invalidation and expiry can end an entry during these tests.
    t = await createTestApp({ sessionCacheMs: 600_000 });
  });
  afterAll(async () => t.close());

  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

  it('serves a signed-in session from memory', async () => {
    const cookie = await t.signIn('13600001001');
    // On a PostgreSQL server entries are kept once the listening connection is up.
    for (let i = 0; i < 300 && t.services.identity.cachedSessionCount === 0; i += 1) {
      expect((await me(cookie)).statusCode).toBe(200);
      await sleep(10);
    }
    expect(t.services.identity.cachedSessionCount).toBeGreaterThan(0);
  });

  it('refuses a signed-out token at once', async () => {
    const cookie = await t.signIn('13600001002');
    expect((await me(cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('still ends a cached session at its own expiry', async () => {
    const cookie = await t.signIn('13600001003');
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(31 * 24 * 3600_000);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('shows a merchant the store it opened on the next request', async () => {
    const cookie = await t.signIn('13700001004', 'merchant');
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/stores/mine', headers: { cookie } });
    expect(before.statusCode).toBeGreaterThanOrEqual(400);
    expect((await me(cookie)).json().account.storeId).toBeNull();
    const { storeId } = await createStore(t.db, { ownerAccountId: await accountIdOf(t.db, '13700001004') });
    expect((await me(cookie)).json().account.storeId).toBe(storeId);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/stores/mine', headers: { cookie } });
    expect(after.statusCode).toBe(200);
  });

  it('is bounded and can be turned off', async () => {
    const off = await createTestApp({ sessionCacheMs: 0 });
    try {
      const cookie = await off.signIn('13600001005');
      expect(
        (await off.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode,
      ).toBe(200);
      expect(off.services.identity.cachedSessionCount).toBe(0);
    } finally {
      await off.close();
    }
  });
});
