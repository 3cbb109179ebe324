import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('identity: SMS sign-in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('signs a buyer up and in with the sandbox code, then knows who they are', async () => {
    const cookie = await t.signIn('13800000001');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().account).toMatchObject({ phone: '13800000001', role: 'buyer' });
  });

  it('refuses a wrong code and counts the attempt', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-code', payload: { phone: '13800000002' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone: '13800000002', code: '000000' },
    });
    expect([400]).toContain(res.statusCode);
    expect(res.json().error.code).toBe('wrong_code');
  });

  it('checks at most five guesses of a code, even when they arrive in parallel', async () => {
    const phone = '13800000005';
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-code', payload: { phone } });
    const code = sent.json().sandboxCode as string;
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { phone, code: wrong },
          remoteAddress: `10.77.0.${i + 1}`,
        }),
      ),
    );
    expect(guesses.every((g) => g.statusCode === 400)).toBe(true);
    expect(guesses.filter((g) => g.json().error.code === 'wrong_code').length).toBe(5);
    // The code is spent: even the right one is refused now.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone, code },
    });
    expect(right.statusCode).toBe(400);
  });

  it('limits codes to one a minute per phone', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone: '13800000003' },
    });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone: '13800000003' },
    });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(429);
    expect(second.json().error.code).toBe('rate_limited');
  });

  it('answers 401 without a session and 400 for a malformed phone', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { phone: '12' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('lets the owner get a code a minute after someone burned five codes with wrong guesses', async () => {
    const phone = '13800000006';
    const attacker = '10.78.0.1';
    const ask = (remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-code', payload: { phone }, remoteAddress });
    for (let round = 0; round < 5; round += 1) {
      const sent = await ask(attacker);
      expect(sent.statusCode).toBe(200);
      const wrong = sent.json().sandboxCode === '000000' ? '111111' : '000000';
      for (let guess = 0; guess < 5; guess += 1) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { phone, code: wrong },
          remoteAddress: attacker,
        });
        expect(res.json().error.code).toBe('wrong_code');
      }
      t.clock.advance(60_000);
    }
    // The attacker's address has had its five codes this hour (a sliding hour from the first).
    const refused = await ask(attacker);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(3600 - 5 * 60);
    // The owner, asking from their own address after the minute's cool-down, is not locked out.
    const owner = '10.78.0.2';
    const sent = await ask(owner);
    expect(sent.statusCode).toBe(200);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { phone, code: sent.json().sandboxCode },
      remoteAddress: owner,
    });
    expect(signedIn.statusCode).toBe(200);
  });

  it('sends one phone at most ten codes an hour, however many addresses ask', async () => {
    const phone = '13800000007';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-code',
        payload: { phone },
        remoteAddress: `10.79.0.${i + 1}`,
      });
      statuses.push(res.statusCode);
      t.clock.advance(60_000);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });

  it('says why a sign-in is refused: a spent code, an operator not provisioned', async () => {
    const signIn = (phone: string, code: string, role: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { phone, code, role } });
    const codeFor = async (phone: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-code', payload: { phone } })).json()
        .sandboxCode as string;
    await t.signIn('13800000011', 'merchant');
    t.clock.advance(60_000);
    const code = await codeFor('13800000011');
    expect((await signIn('13800000011', code, 'merchant')).statusCode).toBe(200);
    const again = await signIn('13800000011', code, 'merchant');
    expect(again.json().error.code).toBe('code_expired');
    const operator = await signIn('13800000012', await codeFor('13800000012'), 'operator');
    expect(operator.statusCode).toBe(403);
    expect(operator.json().error.code).toBe('operator_not_provisioned');
  });

  it('lets one phone be a merchant and a buyer: two accounts, each signing in as its own role', async () => {
    const signIn = (phone: string, code: string, role: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { phone, code, role } });
    const codeFor = async (phone: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-code', payload: { phone } })).json()
        .sandboxCode as string;
    const phone = '13800000021';
    const asMerchant = await signIn(phone, await codeFor(phone), 'merchant');
    expect(asMerchant.statusCode).toBe(200);
    t.clock.advance(60_000);
    const asBuyer = await signIn(phone, await codeFor(phone), 'buyer');
    expect(asBuyer.statusCode).toBe(200);
    const merchant = asMerchant.json().account;
    const buyer = asBuyer.json().account;
    expect(merchant).toMatchObject({ phone, role: 'merchant' });
    expect(buyer).toMatchObject({ phone, role: 'buyer' });
    expect(buyer.id).not.toBe(merchant.id);
    // Each session is its own account's: the buyer's cookie is a buyer on GET /me.
    const cookie = String(asBuyer.headers['set-cookie']).split(';')[0];
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json().account).toMatchObject({ id: buyer.id, role: 'buyer', storeId: null });
    // Signing in again as a merchant finds the same merchant account, not a third one.
    t.clock.advance(60_000);
    const again = await signIn(phone, await codeFor(phone), 'merchant');
    expect(again.json().account.id).toBe(merchant.id);
    // A provisioned operator's phone can still get a buyer account; no operator is made by sign-in.
    await t.services.identity.provision('13800000022', 'operator', 'ops');
    const opsAsBuyer = await signIn('13800000022', await codeFor('13800000022'), 'buyer');
    expect(opsAsBuyer.json().account.role).toBe('buyer');
  });

  it('refuses a cross-origin write that carries the session cookie', async () => {
    const cookie = await t.signIn('13800000004');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
  });
});
