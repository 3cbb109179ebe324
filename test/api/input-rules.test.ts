import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { testAddress } from '../support/fixtures.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Routes anyone may call without a session; every other route in the OpenAPI document needs one. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  'POST /api/v1/auth/sms-code',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-out',
  'GET /api/v1/categories',
  'GET /api/v1/products',
  'GET /api/v1/products/{id}',
  'GET /api/v1/stores/{id}',
  'GET /api/v1/stores/{id}/guarantees',
  'GET /api/v1/stores/{id}/experience',
  'GET /api/v1/stores/{id}/follow',
  'GET /api/v1/stores/{id}/fan-coupons',
  'GET /media/{file}',
  'POST /api/v1/payments/webhook',
  'POST /api/v1/size/recommend',
  'POST /api/v1/quote',
  'GET /api/v1/coupons',
  'GET /api/v1/skus/{id}/price-history',
  'GET /api/v1/products/{id}/reviews',
  'GET /api/v1/products/{id}/review-summary',
  'GET /api/v1/stores/{id}/review-summary',
  'GET /api/v1/feed',
  'POST /api/v1/feed/events',
  'GET /api/v1/flash-sales/{id}',
  'GET /api/v1/videos/feed',
  'GET /api/v1/videos/{id}',
  'GET /api/v1/videos/{id}/comments',
  'POST /api/v1/videos/{id}/views',
  'GET /api/v1/videos/{id}/file',
  'GET /api/v1/videos/{id}/poster.jpg',
  'GET /api/v1/live/sessions',
  'GET /api/v1/live/sessions/{id}',
  'GET /api/v1/live/sessions/{id}/ingest-status',
]);

const answers = { heightCm: 165, weightKg: 58, age: 30, sex: 'female' as const };

describe('bad input: refused with a 400 before it reaches the database, after authentication', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let buyer: string;
  let merchant: string;
  let operator: string;
  let skus: string[];
  let productId: string;
  let orderId: string;
  let profileId: string;
  let routes: Array<{ method: string; path: string; security: boolean; description: string }>;

  beforeAll(async () => {
    t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } });
    api = apiOf(t);
    ({ cookie: merchant } = await apparelMerchant(t, '13700006601', '文本规则小店'));
    buyer = await t.signIn('13600006601');
    await t.services.identity.provision('13900006601', 'operator', 'ops');
    operator = await t.signIn('13900006601', 'operator');
    const tee = await createApparel(t, merchant, { sizes: ['S', 'M', 'L'] });
    productId = tee.productId;
    skus = [...tee.skus.values()];
    orderId = await buyOrder(t, buyer, merchant, [skus[0] as string]);
    const profile = await api('POST', '/size/profiles', buyer, { label: 'self', name: '我', answers });
    expect(profile.statusCode, profile.body).toBe(201);
    profileId = profile.json().profile.id;
    const doc = t.app.swagger() as {
      paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        security: (op.security?.length ?? 0) > 0,
        description: op.description ?? '',
      })),
    );
    routes = routes.filter((r) => !r.path.startsWith('/api/docs'));
  });
  afterAll(async () => t?.close());

  /** Sends `payload` and checks it is refused with 400 validation_failed naming the field, changing nothing. */
  async function refused(
    method: 'POST' | 'PATCH',
    url: string,
    payload: unknown,
    field: string,
    headers: Record<string, string> = {},
  ) {
    const before = await dbFingerprint(t.db);
    const res = await api(method, url, buyer, payload, headers);
    const what = `${method} ${url} ${JSON.stringify(payload)}`;
    expect(res.statusCode, `${what} → ${res.body}`).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('validation_failed');
    expect(
      (error.details as Array<{ path: string; message: string }>).some(
        (d) => d.path === field && /control, invisible or text-direction/.test(d.message),
      ),
      `${what}: ${JSON.stringify(error.details)}`,
    ).toBe(true);
    expect(await dbFingerprint(t.db), `${what} changed the database`).toBe(before);
  }

  const checkout = (address: Record<string, string>) => ({
    lines: [{ skuId: skus[1], quantity: 1 }],
    address,
  });
  const idem = () => ({ 'idempotency-key': `ir-${randomUUID()}` });

  it('a NUL in any checkout address field answers 400 and changes nothing', async () => {
    for (const field of ['name', 'province', 'city', 'district', 'detail'] as const) {
      const address = { ...testAddress, [field]: `${testAddress[field]}\u0000` };
      await refused('POST', '/checkouts', checkout(address), `/address/${field}`, idem());
    }
  });

  it('control, zero-width, byte-order-mark and bidi-override characters in an address are refused', async () => {
    for (const char of ['\u0007', '\u200b', '\u202e', '\ufeff', '\u2066', '\u00ad', '\u0085', '\ud800']) {
      for (const field of ['name', 'detail'] as const) {
        const address = {
          ...testAddress,
          [field]: `${testAddress[field].slice(0, 1)}${char}${testAddress[field].slice(1)}`,
        };
        await refused('POST', '/checkouts', checkout(address), `/address/${field}`, idem());
      }
    }
    // the same address, clean, is accepted: what was refused was the character, nothing else
    const ok = await api(
      'POST',
      '/checkouts',
      buyer,
      checkout({ ...testAddress, detail: ' 中关村大街 1 号 🏢 ' }),
      idem(),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().checkout.orders[0].address.detail).toBe('中关村大街 1 号 🏢');
  });

  it('a NUL in a size-profile name, braSize or usualSize answers 400 and changes nothing', async () => {
    await refused('POST', '/size/profiles', { label: 'partner', name: '另一半\u0000', answers }, '/name');
    await refused('PATCH', `/size/profiles/${profileId}`, { name: '\u0000' }, '/name');
    for (const key of ['braSize', 'usualSize'] as const) {
      const bad = { ...answers, [key]: 'M\u0000' };
      await refused('POST', '/size/profiles', { label: 'self', name: '我', answers: bad }, `/answers/${key}`);
      await refused('PATCH', `/size/profiles/${profileId}`, { answers: bad }, `/answers/${key}`);
      await refused('POST', '/size/recommend', { productId, answers: bad }, `/answers/${key}`);
      await refused(
        'POST',
        '/size/profiles',
        { label: 'self', name: '我', answers: { ...answers, [key]: '\u202eL' } },
        `/answers/${key}`,
      );
    }
  });

  it('a NUL in an after-sale note answers 400 and changes nothing', async () => {
    for (const note of ['尺码偏小\u0000', '\u0000', '偏小\u200b', '偏小\u202e']) {
      await refused(
        'POST',
        '/aftersale/requests',
        { orderId, skuId: skus[0], reason: 'size_too_small', note },
        '/note',
      );
    }
    const ok = await api('POST', '/aftersale/requests', buyer, {
      orderId,
      skuId: skus[0],
      reason: 'size_too_small',
      note: '胸围偏小\r\n想换大一码',
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('merchant text (store, product, shipping) and search queries follow the same rule', async () => {
    const before = await dbFingerprint(t.db);
    for (const [method, url, payload, field] of [
      ['PATCH', '/stores/mine', { name: '文本\u200b规则小店' }, '/name'],
      ['PATCH', '/stores/mine', { description: '简介\u0000' }, '/description'],
      ['PATCH', `/merchant/products/${productId}`, { title: 'T恤\u202e' }, '/title'],
      ['PATCH', `/merchant/products/${productId}`, { brand: '\ufeff引力' }, '/brand'],
      [
        'POST',
        `/merchant/orders/${orderId}/ship`,
        { carrier: '顺丰\u0007', trackingNo: 'SF123456' },
        '/carrier',
      ],
    ] as const) {
      const res = await api(method, url, merchant, payload);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain(field);
    }
    const search = await api('GET', `/products?q=${encodeURIComponent('T恤\u0000')}`);
    expect(search.statusCode, search.body).toBe(400);
    expect(await dbFingerprint(t.db)).toBe(before);
  });

  it('every route that needs a session answers 401 to an anonymous caller, whatever the body', async () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const url = route.path.replace(/\{[^}]+\}/g, 'not-an-id%00');
      const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
      for (const payload of hasBody
        ? ['{"unexpected": "\\u0000", "quantity": -1}', '{"not json']
        : [undefined]) {
        const res = await t.app.inject({
          method: route.method as 'POST',
          url: `${url}?page=-1&pageSize=x&status=nope&days=0&q=%00`,
          headers: { 'content-type': 'application/json', 'idempotency-key': 'x' },
          payload,
        });
        const code = res.json().error?.code;
        if (PUBLIC_ROUTES.has(key)) {
          expect(code, `${key} is public: ${res.body}`).not.toBe('unauthorized');
        } else {
          expect(res.statusCode, `${key} (${payload}) → ${res.body}`).toBe(401);
          expect(code).toBe('unauthorized');
        }
      }
    }
  });

  it('the OpenAPI document marks exactly the routes that need a session', () => {
    const marked = routes.filter((r) => r.security).map((r) => `${r.method} ${r.path}`);
    const needing = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !PUBLIC_ROUTES.has(key));
    expect(marked).toEqual(needing);
  });

  it('a signed-in caller of another role gets 403, not a validation error', async () => {
    const cookies = { buyer, merchant, operator };
    let checked = 0;
    for (const route of routes.filter((r) => r.security)) {
      const roles = /Needs a session: (.+)\./.exec(route.description)?.[1]?.split(' or ') ?? [];
      const other = (['buyer', 'merchant', 'operator'] as const).find((r) => !roles.includes(r));
      if (!other || roles.length === 0) continue;
      const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
      const res = await t.app.inject({
        method: route.method as 'POST',
        url: `${route.path.replace(/\{[^}]+\}/g, 'not-an-id')}?page=-1`,
        headers: { cookie: cookies[other], 'content-type': 'application/json', 'idempotency-key': 'x' },
        payload: hasBody ? '{"unexpected": true}' : undefined,
      });
      expect(res.statusCode, `${route.method} ${route.path} as ${other} → ${res.body}`).toBe(403);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
