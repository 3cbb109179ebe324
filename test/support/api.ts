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
