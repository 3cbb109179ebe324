import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * For every route in the OpenAPI document, hostile bodies, query strings, path parameters and
 * headers: never a 5xx, and a request that is refused (4xx) changes nothing in the database.
 */

interface Route {
  method: string;
  path: string;
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' or 1=1 --",
    "'; drop table orders; --",
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '💥🔥',
    'NaN',
    '-1',
    '1e309',
    '00000000-0000-0000-0000-000000000000',
    '{"$gt":""}',
  ),
  fc.string({ minLength: 5000, maxLength: 20_000 }),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(-1, 0, -(2 ** 53), 2 ** 53, 2 ** 63, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2),
  fc.double(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

/** Bodies shaped like the route's own schema, with some fields replaced by hostile values. */
function bodyFor(schema: unknown): fc.Arbitrary<unknown> {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!props) return hostileValue;
  const keys = Object.keys(props);
  return fc.oneof(
    hostileValue,
    fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] }),
    fc
      .record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] })
      .map((r) => ({ ...r, unknownField: '<b>x</b>' })),
  );
}

describe('fuzz: every route survives hostile input', () => {
  let t: TestApp;
  let routes: Array<Route & { body?: unknown }>;
  const cookies: Record<string, string> = {};
  const knownIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    cookies.buyer = await t.signIn('13600009901', 'buyer');
    cookies.merchant = await t.signIn('13700009901', 'merchant');
    await t.services.identity.provision('13900009901', 'operator', 'fuzz-ops');
    cookies.operator = await t.signIn('13900009901', 'operator');
    // Give the merchant a store and a product when those routes exist, so ids reach deeper code.
    const origin = { cookie: cookies.merchant };
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/stores',
      headers: origin,
      payload: { name: '模糊测试小店', businessType: 'apparel' },
    });
    for (const table of ['accounts', 'stores', 'products', 'skus', 'orders', 'checkouts']) {
      const exists = await sql<{ ok: boolean }>`select to_regclass(${table}) is not null as ok`.execute(t.db);
      if (!exists.rows[0]?.ok) continue;
      const ids = await sql<{ id: string }>`select id::text as id from ${sql.table(table)} limit 2`.execute(
        t.db,
      );
      knownIds.push(...ids.rows.map((r) => r.id));
    }
    const doc = t.app.swagger() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>
      >;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
      })),
    );
  });
  afterAll(async () => t?.close());

  it('the OpenAPI document lists the API', () => {
    expect(routes.length).toBeGreaterThan(3);
    expect(routes.some((r) => r.path === '/api/v1/auth/sign-in')).toBe(true);
  });

  it('never answers 5xx, and a refused request changes nothing', async () => {
    const pathParam = fc.oneof(hostileString, fc.constantFrom(...(knownIds.length ? knownIds : ['x'])));
    for (const route of routes) {
      if (route.path.startsWith('/api/docs')) continue;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            who: fc.constantFrom('none', 'buyer', 'merchant', 'operator'),
            params: fc.array(pathParam, { minLength: 4, maxLength: 4 }),
            query: fc.dictionary(fc.string({ maxLength: 10 }), hostileString, { maxKeys: 4 }),
            body: bodyFor(route.body),
            idempotencyKey: fc.option(hostileString),
            contentType: fc.constantFrom(
              'application/json',
              'application/json',
              'text/plain',
              'application/x-www-form-urlencoded',
            ),
          }),
          async (input) => {
            let i = 0;
            const url = route.path.replace(/\{[^}]+\}/g, () =>
              encodeURIComponent(String(input.params[i++] ?? 'x')),
            );
            const headers: Record<string, string> = { 'content-type': input.contentType };
            if (input.who !== 'none') headers.cookie = cookies[input.who] ?? '';
            if (input.idempotencyKey !== null)
              headers['idempotency-key'] = input.idempotencyKey.slice(0, 2000);
            const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
            const payload = hasBody ? (JSON.stringify(input.body) ?? '') : undefined;
            const before = await dbFingerprint(t.db);
            const res = await t.app.inject({
              method: route.method as 'GET',
              url,
              query: input.query,
              headers,
              payload,
            });
            expect(
              res.statusCode,
              `${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`,
            ).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.json().error?.code, `${route.method} ${url}: error format`).toBeTypeOf('string');
              expect(
                await dbFingerprint(t.db),
                `${route.method} ${url} → ${res.statusCode} changed the database`,
              ).toBe(before);
            }
          },
        ),
        { numRuns: 25, seed: 20260301 },
      );
    }
  });
});
