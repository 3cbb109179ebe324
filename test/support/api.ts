import { expect } from 'vitest';
import { dbFingerprint } from './db-fingerprint.ts';
import type { TestApp } from './test-app.ts';

/** The shared request helper of API tests: requests through `app.inject`, no server, no port. */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `api(method, '/path', cookie?, payload?, headers?)` against `/api/v1`. Without a cookie (none or '')
 * the request carries no cookie header; with no payload (undefined) it has no body.
 */
export function apiOf(t: Pick<TestApp, 'app'>) {
  return (
    method: Method,
    url: string,
    cookie?: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: cookie ? { cookie, ...headers } : headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** The header of a request that must take effect once (checkouts, payments, purchases): `idempotent(key)`. */
export const idempotent = (key: string): Record<string, string> => ({ 'idempotency-key': key });

/**
 * `refused(status, method, url, cookie?, payload?)`: the request is answered `status` and leaves every
 * table as it was; returns the answer's `error`. With `errorCode`, the error must also carry a string code.
 */
export function refusedOf(t: Pick<TestApp, 'app' | 'db'>, options: { errorCode?: boolean } = {}) {
  const api = apiOf(t);
  return async (status: number, method: Method, url: string, cookie?: string, payload?: unknown) => {
    const before = await dbFingerprint(t.db);
    const res = await api(method, url, cookie, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    if (options.errorCode) expect(res.json().error.code).toBeTypeOf('string');
    expect(await dbFingerprint(t.db), `${method} ${url} changed the database`).toBe(before);
    return res.json().error as { code: string; message: string; details?: unknown };
  };
}
