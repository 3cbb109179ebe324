import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES } from '../../src/modules/addresses/index.ts';
import { DEFAULT_POLICY } from '../../src/modules/aftersale/index.ts';
import { signWebhook } from '../../src/modules/payments/index.ts';
import { DEFAULT_TRAFFIC_SETTINGS } from '../../src/modules/traffic/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Db } from '../../src/platform/db.ts';
import { enqueue, OutboxRunner } from '../../src/platform/outbox.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { testAddress } from '../support/fixtures.ts';
import { makeTestVideo, videoUpload } from '../support/media.ts';
import { fakeLive, fakeVideos, makeFlv } from '../support/replays.ts';
import { apiOf, apparelMerchant, buyOrder, createApparel } from '../support/sizing-fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * For every route in the OpenAPI document: start from a VALID request (real ids, the right role,
 * a body the route accepts), make ONE part of it hostile — a body field, a query or path parameter,
 * a header, or the caller — and send it. Never a 5xx; a refused request changes nothing; and no
 * control or invisible character is ever stored. The budget is a number of requests per route.
 */

/** Requests per route: routes that take a body or query get more, the rest a few. */
const RUNS_WITH_INPUT = 14;
const RUNS_WITHOUT_INPUT = 4;
const SEED = 20260301;
/** Where this file's videos go (a scratch directory, not the repository's data/). */
const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-fuzz-media-'));

/** Characters no stored text may contain (listed here independently of the server's own rule). */
const FORBIDDEN_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000d',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u00ad',
  '\u200b',
  '\u200c',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u202a',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ud800',
  '\udfff',
];
/** The same set as a PostgreSQL regular expression (NUL cannot be stored at all; lone surrogates arrive as U+FFFD). */
const STORED_FORBIDDEN =
  '[\\u0001-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u200b\\u200c\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufffd]';

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' or 1=1 --",
    "'; drop table orders; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '\u0000',
    'a\u0000b',
    '\u202egnp.exe',
    '\ufeff',
    '\u200b',
    '\u0007\u0007',
    '💥🔥',
    'NaN',
    '-1',
    '1e309',
    '00000000-0000-0000-0000-000000000000',
    '{"$gt":""}',
  ),
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
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor')),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

/** How one part of a valid request is made hostile. */
type Mutation =
  | { kind: 'inject'; char: string; at: number }
  | { kind: 'replace'; value: unknown }
  | { kind: 'long' };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('inject' as const),
      char: fc.constantFrom(...FORBIDDEN_CHARS),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const) }) },
);

function mutate(original: unknown, m: Mutation): unknown {
  if (m.kind === 'replace') return m.value;
  const text = typeof original === 'string' ? original : JSON.stringify(original ?? '');
  if (m.kind === 'long') return text.repeat(Math.ceil(6000 / Math.max(1, text.length)));
  const i = Math.floor(m.at * (text.length + 1));
  return text.slice(0, i) + m.char + text.slice(i);
}

type Who = 'none' | 'buyer' | 'merchant' | 'operator';
const WHO: Who[] = ['none', 'buyer', 'merchant', 'operator'];

/** A valid request for a route. */
interface Call {
  who: Who | { cookie: string };
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The body is a payment-provider event: sign it after mutating it. */
  signed?: boolean;
  /** Replaces the whole cookie header (a hostile session token). */
  cookie?: string;
  /** Signing out ends the caller's session: never swap in one of the shared sessions. */
  keepWho?: boolean;
  /** A body sent as it is (a multipart upload); its query, headers and caller are still fuzzed. */
  raw?: { payload: Buffer; contentType: string };
}

type Slot =
  | { kind: 'body'; path: Array<string | number> }
  | { kind: 'query' | 'param' | 'header'; key: string }
  | { kind: 'who' }
  | { kind: 'cookie' };

/** Every part of a call that can be made hostile: each body node (but the root), parameter and header. */
function slotsOf(call: Call): Slot[] {
  const slots: Slot[] = [];
  const walk = (value: unknown, path: Array<string | number>) => {
    if (path.length > 0) slots.push({ kind: 'body', path });
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  if (call.body !== undefined) {
    walk(call.body, []);
    slots.push({ kind: 'body', path: [] });
  }
  for (const key of Object.keys(call.query ?? {})) slots.push({ kind: 'query', key });
  for (const key of Object.keys(call.params ?? {})) slots.push({ kind: 'param', key });
  for (const key of Object.keys(call.headers ?? {})) slots.push({ kind: 'header', key });
  if (!call.keepWho) slots.push({ kind: 'who' });
  if (call.who !== 'none') slots.push({ kind: 'cookie' });
  return slots;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

/** The cookie header a call sends. */
let cookieOf: (call: Call) => string = () => '';

/** The value a slot holds in a call (undefined for the caller). */
function valueAt(call: Call, slot: Slot): unknown {
  switch (slot.kind) {
    case 'who':
      return undefined;
    case 'cookie':
      return 'cookie';
    case 'query':
      return call.query?.[slot.key];
    case 'param':
      return call.params?.[slot.key];
    case 'header':
      return call.headers?.[slot.key];
    case 'body':
      return slot.path.reduce<unknown>(
        (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
        call.body,
      );
  }
}

function applyMutation(call: Call, slot: Slot, m: Mutation, who: Who): Call {
  const next: Call = structuredClone(call);
  switch (slot.kind) {
    case 'who':
      next.who = who;
      break;
    case 'cookie':
      next.cookie = asText(mutate(cookieOf(call), m));
      break;
    case 'query':
    case 'param':
    case 'header': {
      const bag = slot.kind === 'query' ? 'query' : slot.kind === 'param' ? 'params' : 'headers';
      const values = next[bag] as Record<string, string>;
      values[slot.key] = asText(mutate(values[slot.key], m));
      break;
    }
    case 'body': {
      if (slot.path.length === 0) {
        next.body = mutate(next.body, m);
        break;
      }
      let node = next.body as Record<string | number, unknown>;
      for (const key of slot.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      const last = slot.path[slot.path.length - 1] as string | number;
      node[last] = mutate(node[last], m);
      break;
    }
  }
  return next;
}

/** Text columns (and strings inside jsonb) holding a forbidden character, as `table.column` names. */
async function storedForbidden(db: Db): Promise<string[]> {
  const columns = await sql<{ table: string; column: string; type: string }>`
    select c.table_name as table, c.column_name as column, c.data_type as type
    from information_schema.columns c join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'jsonb')
      and c.table_name not like 'kysely_%'
    order by 1, 2`.execute(db);
  const checks = columns.rows.map(({ table, column, type }) => {
    const col = sql.ref(column);
    const hit =
      type === 'jsonb'
        ? sql`exists (select 1 from jsonb_path_query(${col}, 'strict $.**') v
                where jsonb_typeof(v) = 'string' and v #>> '{}' ~ ${STORED_FORBIDDEN})`
        : sql`${col} ~ ${STORED_FORBIDDEN}`;
    return sql`select ${`${table}.${column}`}::text as name from ${sql.table(table)} where ${hit}`;
  });
  const found = await sql<{
    name: string;
  }>`select distinct name from (${sql.join(checks, sql` union all `)}) f
    order by name`.execute(db);
  return found.rows.map((r) => r.name);
}

describe('fuzz: valid requests with one hostile part, on every route', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  const cookies: Record<Exclude<Who, 'none'>, string> = { buyer: '', merchant: '', operator: '' };
  let routes: Array<{ method: string; path: string; hasInput: boolean }>;
  const examples = new Map<string, () => Promise<Call>>();
  /** The database fingerprint as last seen; null when something may have changed it since. */
  let known: string | null = null;
  let phoneSeq = 0;
  let addressSeq = 0;
  let replaySessionId = '';
  let replayProductId = '';
  const nextPhone = (prefix: string) => {
    phoneSeq += 1;
    return `${prefix}${String(phoneSeq).padStart(8, '0')}`;
  };

  beforeAll(async () => {
    t = await createTestApp({
      sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 },
      media: { ...loadConfig({ NODE_ENV: 'test' }).media, dir: mediaDir },
    });
    api = apiOf(t);
    cookieOf = (call) =>
      typeof call.who === 'string' ? (call.who === 'none' ? '' : cookies[call.who]) : call.who.cookie;
    const { cookie: merchant, storeId } = await apparelMerchant(t, '13700009901', '模糊测试小店');
    cookies.merchant = merchant;
    cookies.buyer = await t.signIn('13600009901', 'buyer');
    await t.services.identity.provision('13900009901', 'operator', 'fuzz-ops');
    cookies.operator = await t.signIn('13900009901', 'operator');
    const sizes = ['S', 'M', 'L', 'XL', 'XXL'];
    const colors = ['黑色', '白色', '灰色', '红色', '蓝色', '绿色'];
    const tee = await createApparel(t, merchant, {
      sizeChart: {
        S: { chest: 90 },
        M: { chest: 96 },
        L: { chest: 102 },
        XL: { chest: 108 },
        XXL: { chest: 114 },
      },
      sizes,
      colors,
    });
    const skuIds = [...tee.skus.values()];
    const sku = skuIds[0] as string;
    // Replays (issue 14): the live module, the ingest module and the videos module behind replays' ports, as fakes (a real FLV
    // recording) until their services are merged; an ended session of this store sold the tee.
    const replayTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-replays-'));
    const replayRecording = makeFlv(path.join(replayTmp, 'session.flv'), 4);
    replaySessionId = randomUUID();
    const replayStart = t.clock.now();
    t.services.replays.usePorts({
      live: fakeLive(
        new Map([
          [
            replaySessionId,
            {
              id: replaySessionId,
              storeId,
              title: '模糊测试直播',
              status: 'ended' as const,
              startedAt: replayStart,
              endedAt: new Date(replayStart.getTime() + 4_000),
              productIds: [tee.productId],
              pins: [{ productId: tee.productId, pinnedAt: replayStart, unpinnedAt: null }],
            },
          ],
        ]),
      ),
      ingest: { recordingOf: async () => replayRecording },
      videos: fakeVideos(path.join(replayTmp, 'videos')).port,
    });
    replayProductId = tee.productId;
    // One delivered order with many lines: each after-sale request and fit feedback needs a fresh line.
    const deliveredLines = skuIds.slice(0, 2 * RUNS_WITH_INPUT + 2);
    const delivered = await buyOrder(t, cookies.buyer, merchant, deliveredLines);
    const aftersaleLines = deliveredLines.slice(0, RUNS_WITH_INPUT + 1);
    const fitLines = deliveredLines.slice(RUNS_WITH_INPUT + 1);
    // Reviews (buyer and public): a delivered line per review, and a second buyer's reviews to follow up.
    const reviewLines = skuIds.slice(0, RUNS_WITH_INPUT + 2);
    const toReviewOrder = await buyOrder(t, cookies.buyer, merchant, reviewLines);
    const reviewer = { cookie: await t.signIn('13600009902', 'buyer') };
    const reviewed = await buyOrder(t, reviewer.cookie, merchant, reviewLines);
    const toFollowUp: string[] = [];
    for (const skuId of reviewLines) {
      const res = await api('POST', `/orders/${reviewed}/reviews`, reviewer.cookie, { skuId, rating: 4 });
      expect(res.statusCode, res.body).toBe(201);
      toFollowUp.push(res.json().review.id);
    }
    // Review moderation: reviews of a fresh delivered order by other buyers (the review rate limit is per buyer).
    const moderationReviews = async (phone: string, bodies: string[]) => {
      const reviewer = await t.signIn(phone, 'buyer');
      const lines = skuIds.slice(0, bodies.length);
      const order = await buyOrder(t, reviewer, merchant, lines);
      const ids: string[] = [];
      for (const [i, body] of bodies.entries()) {
        const res = await api('POST', `/orders/${order}/reviews`, reviewer, {
          skuId: lines[i],
          rating: 1 + (i % 5),
          body,
          tags: [],
          photos: [],
          anonymous: false,
        });
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json().review.id);
      }
      return ids;
    };
    const plain = (n: number) => Array.from({ length: n }, (_, i) => `评价 ${i}`);
    const toReply = await moderationReviews('13600009971', plain(4));
    const toReport = await moderationReviews('13600009972', plain(4));
    const toHide = await moderationReviews('13600009973', plain(4));
    const toDismissReview = await moderationReviews(
      '13600009974',
      [0, 1, 2, 3].map((i) => `更便宜的在 www.shop${i}.com`),
    );
    const toRestore = await moderationReviews('13600009975', plain(3));
    for (const id of toRestore) {
      const hidden = await api('POST', `/ops/reviews/${id}/hide`, cookies.operator, { reason: '辱骂' });
      expect(hidden.statusCode, hidden.body).toBe(200);
    }
    const toRemoveReply = await moderationReviews('13600009976', plain(4));
    for (const id of toRemoveReply) {
      const replied = await api('POST', `/merchant/reviews/${id}/reply`, cookies.merchant, {
        body: '加微信 wx12345678 退款',
      });
      expect(replied.statusCode, replied.body).toBe(200);
    }
    const toConfirm = [await buyOrder(t, cookies.buyer, merchant, [sku])];
    const toShip = [
      await buyOrder(t, cookies.buyer, merchant, [sku], 'paid'),
      await buyOrder(t, cookies.buyer, merchant, [sku], 'paid'),
    ];
    const unpaid: Array<{ checkoutId: string; orderId: string }> = [];
    for (let i = 0; i < 4; i += 1) {
      const placed = await api(
        'POST',
        '/checkouts',
        cookies.buyer,
        { lines: [{ skuId: sku, quantity: 1 }], address: testAddress },
        { 'idempotency-key': `fz-${randomUUID()}` },
      );
      expect(placed.statusCode, placed.body).toBe(201);
      const checkout = placed.json().checkout;
      unpaid.push({ checkoutId: checkout.id, orderId: checkout.orders[0].id });
    }
    // Pay later: the store offers it and the policy gives a new buyer a line, so these can be paid later.
    const policy = {
      baseLimitFen: 100_000,
      perCompletedOrderFen: 20_000,
      maxLimitFen: 500_000,
      minAccountAgeDays: 0,
      minCompletedOrders: 0,
      maxRefundShareBps: 10_000,
      dueDays: 15,
      reminderDays: 3,
      freezeWhenOverdue: true,
      feeBps: 60,
      promotionStartsAt: '2026-03-01T00:00:00.000Z',
      promotionEndsAt: null,
    };
    expect((await api('PUT', '/ops/credit/policy', cookies.operator, policy)).statusCode).toBe(200);
    expect(
      (await api('PUT', '/merchant/credit/settings', merchant, { payLaterEnabled: true })).statusCode,
    ).toBe(200);
    const toPayLater: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const placed = await api(
        'POST',
        '/checkouts',
        cookies.buyer,
        { lines: [{ skuId: sku, quantity: 1 }], address: testAddress },
        { 'idempotency-key': `fz-${randomUUID()}` },
      );
      expect(placed.statusCode, placed.body).toBe(201);
      toPayLater.push(placed.json().checkout.id);
    }
    const paidLater = await api(
      'POST',
      `/checkouts/${toPayLater.pop()}/pay-later`,
      cookies.buyer,
      undefined,
      {
        'idempotency-key': `fz-${randomUUID()}`,
      },
    );
    expect(paidLater.statusCode, paidLater.body).toBe(201);
    const billToRead = paidLater.json().bills[0].id as string;
    const checkoutToRead = unpaid[0]?.checkoutId as string;
    const toPay = unpaid.slice(0, 2).map((u) => u.checkoutId);
    const toCancel = unpaid.slice(2).map((u) => u.orderId);
    const answers = { heightCm: 165, weightKg: 58, age: 30, sex: 'female', braSize: '75B', usualSize: 'M' };
    const profiles: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await api('POST', '/size/profiles', cookies.buyer, {
        label: 'self',
        name: `我${i}`,
        answers,
      });
      expect(res.statusCode, res.body).toBe(201);
      profiles.push(res.json().profile.id);
    }
    const profile = profiles[0] as string;
    const toDelete = profiles.slice(1);
    // Buyer address book: one address to edit, the rest to delete.
    const savedAddresses: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await api('POST', '/addresses', cookies.buyer, {
        ...testAddress,
        detail: `望京街 ${i} 号`,
      });
      expect(res.statusCode, res.body).toBe(201);
      savedAddresses.push(res.json().address.id);
    }
    const addressToEdit = savedAddresses[0] as string;
    const addressesToDelete = savedAddresses.slice(1);
    const png = `data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='}`;
    const upload = await api('POST', '/merchant/uploads', merchant, { dataUrl: png });
    expect(upload.statusCode, upload.body).toBe(201);
    const mediaFile = String(upload.json().url).split('/').pop() as string;
    // Flash sales: one running sale to buy from (a purchase per buyer run; the pool may sell out: a 409).
    const flashSale = await api('POST', '/merchant/flash-sales', merchant, {
      skuId: skuIds[skuIds.length - 1],
      priceFen: 1,
      units: 3,
      perBuyerLimit: 1,
      durationSeconds: 86_400,
    });
    expect(flashSale.statusCode, flashSale.body).toBe(201);
    const flashSaleId = flashSale.json().sale.id as string;
    const flashSaleToEnd = await api('POST', '/merchant/flash-sales', merchant, {
      skuId: skuIds[skuIds.length - 1],
      priceFen: 1,
      units: 1,
      durationSeconds: 600,
    });
    expect(flashSaleToEnd.statusCode, flashSaleToEnd.body).toBe(201);
    // Dead letters for the operator's retry: jobs whose handler fails on its only attempt.
    const failing = new OutboxRunner({
      db: t.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      maxAttempts: 1,
      handlers: {
        'fuzz.always-fails': async () => {
          throw new Error('remote said no');
        },
      },
    });
    for (let i = 0; i < RUNS_WITH_INPUT + 2; i += 1) {
      await enqueue(t.db, 'fuzz.always-fails', { n: i }, t.clock.now());
    }
    while ((await failing.runOnce()) > 0) {}
    const letters = await api('GET', '/ops/dead-letters?pageSize=100', cookies.operator);
    const deadLetters = (letters.json().items as Array<{ id: number }>).map((l) => String(l.id));
    expect(deadLetters.length).toBe(RUNS_WITH_INPUT + 2);

    /** The next item of a pool; the last one again when the pool is used up (the call then meets a 4xx). */
    const take = <T>(pool: T[]): T => (pool.length > 1 ? (pool.shift() as T) : (pool[0] as T));
    const idem = () => ({ 'idempotency-key': `fz-${randomUUID()}` });
    const freshSession = async (role: Exclude<Who, 'none'>) => {
      known = null;
      return { cookie: await t.signIn(nextPhone(role === 'merchant' ? '137' : '136'), role) };
    };
    /** A new merchant with a new store (a store enrolls in the fan-growth plan once). */
    const freshStore = async () => {
      known = null;
      const cookie = await t.signIn(nextPhone('137'), 'merchant');
      const opened = await api('POST', '/stores', cookie, {
        name: `涨粉店${phoneSeq}`,
        businessType: 'general',
      });
      return { cookie, storeId: opened.json().store.id as string };
    };
    const freshMerchantWithStore = async () => ({ cookie: (await freshStore()).cookie });
    const freshStoreId = async () => (await freshStore()).storeId;
    let profileOwner = { cookie: cookies.buyer, left: 10 - profiles.length };
    let addressOwner = { cookie: cookies.buyer, left: MAX_ADDRESSES - savedAddresses.length };
    const address = () => {
      addressSeq += 1;
      return { ...testAddress, detail: `中关村大街 ${addressSeq} 号` };
    };

    const add = (key: string, example: () => Call | Promise<Call>) =>
      examples.set(key, async () => example());
    add('POST /api/v1/auth/sms-code', () => ({ who: 'none', body: { phone: nextPhone('135') } }));
    add('POST /api/v1/auth/sign-in', async () => {
      const phone = nextPhone('135');
      known = null;
      const sent = await api('POST', '/auth/sms-code', undefined, { phone });
      return { who: 'none', body: { phone, code: sent.json().sandboxCode, role: 'buyer' } };
    });
    add('POST /api/v1/auth/sign-out', async () => ({ who: await freshSession('buyer'), keepWho: true }));
    add('GET /api/health', () => ({ who: 'none' }));
    add('GET /api/health/live', () => ({ who: 'none' }));
    add('GET /api/health/ready', () => ({ who: 'none' }));
    add('GET /api/v1/me', () => ({ who: 'buyer' }));
    add('POST /api/v1/stores', async () => ({
      who: await freshSession('merchant'),
      body: {
        name: `新店${phoneSeq}`,
        description: '一家新店\n欢迎光临',
        businessType: 'apparel',
        contactPhone: '13800138000',
        logoUrl: 'https://example.com/logo.png',
      },
    }));
    add('GET /api/v1/stores/mine', () => ({ who: 'merchant' }));
    add('PATCH /api/v1/stores/mine', () => ({
      who: 'merchant',
      body: { name: '模糊测试小店', description: '店铺简介\n第二行', contactPhone: '13800138000' },
    }));
    add('GET /api/v1/stores/{id}', () => ({ who: 'none', params: { id: storeId } }));
    add('GET /api/v1/ops/merchants', () => ({ who: 'operator', query: { pageSize: '20' } }));
    add('GET /api/v1/categories', () => ({ who: 'none' }));
    add('GET /api/v1/products', () => ({
      who: 'none',
      query: { q: 'T恤', categoryId: 'women-tshirt', storeId, sort: 'price_asc', page: '1', pageSize: '20' },
    }));
    add('GET /api/v1/products/{id}', () => ({ who: 'none', params: { id: tee.productId } }));
    add('GET /api/v1/merchant/products', () => ({
      who: 'merchant',
      query: { status: 'on_sale', page: '1' },
    }));
    add('POST /api/v1/merchant/products', () => ({
      who: 'merchant',
      body: {
        title: '纯棉圆领T恤',
        description: '100% 棉\n可机洗',
        categoryId: 'women-tshirt',
        images: ['https://example.com/tee.png'],
        brand: '引力',
        fitType: 'regular',
        sizeChart: { M: { chest: 96, length: 62 } },
        skus: [{ size: 'M', color: '黑色', priceFen: 9900, stock: 10 }],
      },
    }));
    add('GET /api/v1/merchant/products/{id}', () => ({ who: 'merchant', params: { id: tee.productId } }));
    add('PATCH /api/v1/merchant/products/{id}', () => ({
      who: 'merchant',
      params: { id: tee.productId },
      body: { title: '纯棉T恤', description: '舒适\n透气', brand: '引力' },
    }));
    add('PATCH /api/v1/merchant/products/{id}/skus/{skuId}', () => ({
      who: 'merchant',
      params: { id: tee.productId, skuId: sku },
      body: { priceFen: 9900 },
    }));
    add('POST /api/v1/merchant/uploads', () => ({ who: 'merchant', body: { dataUrl: png } }));
    let newColour = 0;
    add('POST /api/v1/merchant/products/{id}/skus', () => {
      newColour += 1;
      return {
        who: 'merchant',
        params: { id: tee.productId },
        body: { skus: [{ size: 'M', color: `新色${newColour}`, priceFen: 9900, stock: 5 }] },
      };
    });
    add('GET /api/v1/merchant/products/{id}/skus/{skuId}/stock', () => ({
      who: 'merchant',
      params: { id: tee.productId, skuId: sku },
      query: { page: '1', pageSize: '5' },
    }));
    add('PATCH /api/v1/merchant/products/{id}/skus/{skuId}/stock', () => ({
      who: 'merchant',
      params: { id: tee.productId, skuId: sku },
      headers: idem(),
      body: { adjust: 5, reason: '到货入库' },
    }));
    add('GET /api/v1/ops/products', () => ({
      who: 'operator',
      query: { status: 'on_sale', pageSize: '20' },
    }));
    add('GET /media/{file}', () => ({ who: 'none', params: { file: mediaFile } }));
    add('GET /api/v1/cart', () => ({ who: 'buyer' }));
    add('PUT /api/v1/cart/items/{skuId}', () => ({
      who: 'buyer',
      params: { skuId: sku },
      body: {
        quantity: 1,
        attribution: { channel: 'feed', impressionId: randomUUID(), contentId: null },
      },
    }));
    add('DELETE /api/v1/cart/items/{skuId}', () => ({ who: 'buyer', params: { skuId: sku } }));
    add('POST /api/v1/checkouts', () => ({
      who: 'buyer',
      headers: idem(),
      body: {
        lines: [
          {
            skuId: skuIds[1],
            quantity: 1,
            attribution: { channel: 'video', impressionId: randomUUID(), contentId: randomUUID() },
          },
        ],
        attribution: { channel: 'video', impressionId: null, contentId: null },
        address: address(),
      },
    }));
    add('GET /api/v1/checkouts/{id}', () => ({ who: 'buyer', params: { id: checkoutToRead } }));
    add('GET /api/v1/orders', () => ({ who: 'buyer', query: { status: 'delivered', page: '1' } }));
    add('GET /api/v1/orders/{id}', () => ({ who: 'buyer', params: { id: delivered } }));
    add('POST /api/v1/orders/{id}/cancel', () => ({
      who: 'buyer',
      params: { id: take(toCancel) },
      headers: idem(),
    }));
    add('POST /api/v1/orders/{id}/confirm-receipt', () => ({
      who: 'buyer',
      params: { id: take(toConfirm) },
      headers: idem(),
    }));
    add('GET /api/v1/merchant/orders', () => ({ who: 'merchant', query: { status: 'paid', page: '1' } }));
    add('GET /api/v1/merchant/dashboard', () => ({ who: 'merchant' }));
    add('GET /api/v1/merchant/orders/{id}', () => ({ who: 'merchant', params: { id: delivered } }));
    add('POST /api/v1/merchant/orders/{id}/ship', () => ({
      who: 'merchant',
      params: { id: take(toShip) },
      body: { carrier: 'sf', trackingNo: 'SF1234567890' },
    }));
    add('GET /api/v1/ops/orders', () => ({ who: 'operator', query: { status: 'paid', pageSize: '20' } }));
    add('GET /api/v1/ops/overview', () => ({ who: 'operator' }));
    add('POST /api/v1/checkouts/{id}/pay', () => ({
      who: 'buyer',
      params: { id: take(toPay) },
      headers: idem(),
    }));
    add('GET /api/v1/ops/ledger/trial-balance', () => ({ who: 'operator' }));
    add('GET /api/v1/ops/ledger/transactions', () => ({
      who: 'operator',
      query: { page: '1', pageSize: '5' },
    }));
    add('GET /api/v1/merchant/balance', () => ({ who: 'merchant' }));
    add('GET /api/v1/ops/reconciliation', () => ({ who: 'operator' }));
    add('POST /api/v1/ops/reconciliation', () => ({ who: 'operator' }));
    add('GET /api/v1/ops/payment-anomalies', () => ({
      who: 'operator',
      query: { page: '1', pageSize: '5' },
    }));
    add('GET /api/v1/ops/dead-letters', () => ({ who: 'operator', query: { page: '1', pageSize: '5' } }));
    add('POST /api/v1/ops/dead-letters/{id}/retry', () => ({
      who: 'operator',
      params: { id: take(deadLetters) },
    }));
    add('PATCH /api/v1/ops/merchants/{id}', () => ({
      who: 'operator',
      params: { id: storeId },
      body: { status: 'open' },
    }));
    add('POST /api/v1/payments/webhook', () => ({
      who: 'none',
      signed: true,
      body: {
        id: `evt_${randomUUID()}`,
        type: 'payment.failed',
        data: {
          paymentId: randomUUID(),
          providerRef: 'sbx_ref_1',
          amountFen: 100,
          currency: 'CNY',
          failureReason: 'declined',
        },
      },
    }));
    add('GET /api/v1/size/profiles', () => ({ who: 'buyer' }));
    add('POST /api/v1/size/profiles', async () => {
      if (profileOwner.left === 0) profileOwner = { ...(await freshSession('buyer')), left: 10 };
      profileOwner.left -= 1;
      return {
        who: { cookie: profileOwner.cookie },
        body: { label: 'partner', name: '另一半', answers, measurements: { chest: 90 } },
      };
    });
    add('GET /api/v1/size/profiles/{id}', () => ({ who: 'buyer', params: { id: profile } }));
    add('PATCH /api/v1/size/profiles/{id}', () => ({
      who: 'buyer',
      params: { id: profile },
      body: { name: '我自己', answers, measurements: { waist: 70 } },
    }));
    add('DELETE /api/v1/size/profiles/{id}', () => ({ who: 'buyer', params: { id: take(toDelete) } }));
    add('POST /api/v1/size/recommend', () => ({ who: 'buyer', body: { productId: tee.productId, answers } }));
    add('POST /api/v1/orders/{id}/fit-feedback', () => ({
      who: 'buyer',
      params: { id: delivered },
      body: { skuId: take(fitLines), fit: 'fit' },
    }));
    add('GET /api/v1/orders/{id}/fit-feedback', () => ({ who: 'buyer', params: { id: delivered } }));
    add('GET /api/v1/merchant/size-insights', () => ({ who: 'merchant' }));
    add('GET /api/v1/ops/size-metrics', () => ({ who: 'operator', query: { days: '30' } }));
    // Dashboards (module analytics).
    add('GET /api/v1/ops/metrics', () => ({ who: 'operator', query: { month: '2026-03', months: '13' } }));
    add('GET /api/v1/merchant/metrics', () => ({
      who: 'merchant',
      query: { month: '2026-03', months: '6' },
    }));
    add('POST /api/v1/aftersale/requests', () => ({
      who: 'buyer',
      body: {
        orderId: delivered,
        skuId: take(aftersaleLines),
        reason: 'size_too_small',
        note: '胸围偏小\n换大一码',
      },
    }));
    add('GET /api/v1/aftersale/requests', () => ({ who: 'buyer' }));
    add('GET /api/v1/merchant/aftersale/requests', () => ({ who: 'merchant' }));
    // Pay later (module credit).
    add('POST /api/v1/checkouts/{id}/pay-later', () => ({
      who: 'buyer',
      params: { id: take(toPayLater) },
      headers: idem(),
    }));
    add('GET /api/v1/checkouts/{id}/pay-later', () => ({ who: 'buyer', params: { id: checkoutToRead } }));
    add('GET /api/v1/credit/line', () => ({ who: 'buyer' }));
    add('GET /api/v1/credit/bills', () => ({ who: 'buyer' }));
    add('GET /api/v1/credit/bills/{id}', () => ({ who: 'buyer', params: { id: billToRead } }));
    add('GET /api/v1/merchant/credit/settings', () => ({ who: 'merchant' }));
    add('PUT /api/v1/merchant/credit/settings', () => ({ who: 'merchant', body: { payLaterEnabled: true } }));
    add('GET /api/v1/ops/credit/policy', () => ({ who: 'operator' }));
    add('PUT /api/v1/ops/credit/policy', () => ({
      who: 'operator',
      body: {
        baseLimitFen: 100_000,
        perCompletedOrderFen: 20_000,
        maxLimitFen: 500_000,
        minAccountAgeDays: 0,
        minCompletedOrders: 0,
        maxRefundShareBps: 10_000,
        dueDays: 15,
        reminderDays: 3,
        freezeWhenOverdue: true,
        feeBps: 60,
        promotionStartsAt: '2026-03-01T00:00:00.000Z',
        promotionEndsAt: null,
      },
    }));
    add('GET /api/v1/ops/credit/overdue', () => ({ who: 'operator', query: { page: '1', pageSize: '20' } }));
    // After-sale requests in each state an action needs (return-and-refund and exchange: no rule decides them).
    const flowLines: Array<{ orderId: string; skuId: string }> = [];
    for (let i = 0; i < 3; i += 1) {
      const lines = skuIds.slice(5 * i, 5 * i + 5);
      const orderId = await buyOrder(t, cookies.buyer, merchant, lines);
      for (const skuId of lines) flowLines.push({ orderId, skuId });
    }
    const asked = async (kind: 'return_refund' | 'exchange' = 'return_refund') => {
      const line = flowLines.shift() as { orderId: string; skuId: string };
      const exchangeSkuId = kind === 'exchange' ? skuIds.find((s) => s !== line.skuId) : undefined;
      const res = await api('POST', '/aftersale/requests', cookies.buyer, {
        ...line,
        kind,
        reason: 'size_too_small',
        exchangeSkuId,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().request.id as string;
    };
    const approved = async (kind: 'return_refund' | 'exchange') => {
      const id = await asked(kind);
      const res = await api('POST', `/merchant/aftersale/requests/${id}/decision`, merchant, {
        decision: 'approve',
      });
      expect(res.statusCode, res.body).toBe(200);
      return id;
    };
    const toDecide = [await asked(), await asked(), await asked()];
    const toReview = [await asked(), await asked(), await asked()];
    const toWithdraw = [await asked(), await asked()];
    const toShipBack = [await approved('return_refund'), await approved('return_refund')];
    const toReceive: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const id = await approved('return_refund');
      const res = await api('POST', `/aftersale/requests/${id}/return-shipment`, cookies.buyer, {
        carrier: 'sf',
        trackingNo: `SFR${i}0000`,
      });
      expect(res.statusCode, res.body).toBe(200);
      toReceive.push(id);
    }
    const toExchange = [await approved('exchange'), await approved('exchange')];
    const anyRequest = toDecide[0] as string;
    add('GET /api/v1/aftersale/requests/{id}', () => ({ who: 'buyer', params: { id: anyRequest } }));
    add('POST /api/v1/aftersale/requests/{id}/return-shipment', () => ({
      who: 'buyer',
      params: { id: take(toShipBack) },
      body: { carrier: 'jd', trackingNo: 'JD12345678' },
    }));
    add('POST /api/v1/aftersale/requests/{id}/cancel', () => ({
      who: 'buyer',
      params: { id: take(toWithdraw) },
    }));
    add('GET /api/v1/merchant/aftersale/requests/{id}', () => ({
      who: 'merchant',
      params: { id: anyRequest },
    }));
    add('POST /api/v1/merchant/aftersale/requests/{id}/decision', () => ({
      who: 'merchant',
      params: { id: take(toDecide) },
      body: { decision: 'reject', note: '商品已影响二次销售' },
    }));
    add('POST /api/v1/merchant/aftersale/requests/{id}/return-received', () => ({
      who: 'merchant',
      params: { id: take(toReceive) },
    }));
    add('POST /api/v1/merchant/aftersale/requests/{id}/replacement-shipment', () => ({
      who: 'merchant',
      params: { id: take(toExchange) },
      body: { carrier: 'sf', trackingNo: 'SF87654321' },
    }));
    add('GET /api/v1/merchant/aftersale/settings', () => ({ who: 'merchant' }));
    add('PUT /api/v1/merchant/aftersale/settings', () => ({
      who: 'merchant',
      body: { lowPriceRefundOnly: true, shippingInsurance: false },
    }));
    add('GET /api/v1/ops/aftersale/requests', () => ({
      who: 'operator',
      query: { status: 'review,requested' },
    }));
    add('GET /api/v1/ops/aftersale/requests/{id}', () => ({ who: 'operator', params: { id: anyRequest } }));
    add('POST /api/v1/ops/aftersale/requests/{id}/decision', () => ({
      who: 'operator',
      params: { id: take(toReview) },
      body: { decision: 'approve', note: '核实无误' },
    }));
    add('GET /api/v1/ops/aftersale/policy', () => ({ who: 'operator' }));
    add('PUT /api/v1/ops/aftersale/policy', () => ({ who: 'operator', body: DEFAULT_POLICY }));
    add('GET /api/v1/feed', () => ({ who: 'buyer', query: { limit: '5' } }));
    add('POST /api/v1/feed/events', async () => {
      const page = await api('GET', '/feed?limit=1', cookies.buyer);
      const impressionId = page.json().items[0]?.impressionId ?? randomUUID();
      return { who: 'buyer', body: { impressionId, kind: 'click' } };
    });
    add('GET /api/v1/merchant/traffic', () => ({ who: 'merchant', query: { days: '7' } }));
    add('GET /api/v1/merchant/traffic/plans', () => ({ who: 'merchant' }));
    add('GET /api/v1/merchant/live/sessions/{id}/report', () => ({
      who: 'merchant',
      params: { id: replaySessionId },
    }));
    add('GET /api/v1/merchant/live/sessions/{id}/replay-clips', () => ({
      who: 'merchant',
      params: { id: replaySessionId },
    }));
    add('POST /api/v1/merchant/live/sessions/{id}/replay-clips', () => ({
      who: 'merchant',
      params: { id: replaySessionId },
      body: { productId: replayProductId, fromMs: 500, toMs: 2500, title: '返场片段' },
    }));
    add('GET /api/v1/merchant/growth/channel-share', () => ({ who: 'merchant', query: { days: '7' } }));
    add('GET /api/v1/ops/traffic/settings', () => ({ who: 'operator' }));
    add('PUT /api/v1/ops/traffic/settings', () => ({ who: 'operator', body: DEFAULT_TRAFFIC_SETTINGS }));
    add('GET /api/v1/ops/traffic/coverage', () => ({ who: 'operator', query: { days: '7' } }));
    add('GET /api/v1/ops/traffic/plans', () => ({ who: 'operator', query: { days: '7' } }));
    add('GET /api/v1/ops/traffic/stores', () => ({ who: 'operator' }));
    add('POST /api/v1/ops/traffic/launch-grants', () => ({
      who: 'operator',
      body: { storeId, impressions: 100, periodDays: 7, note: '模糊测试' },
    }));
    const programmeId = '5e0c2a52-6a37-4b4e-9d0e-8f0b6f1a0001'; // a default programme (growth migration 320)
    add('GET /api/v1/merchant/growth/village', () => ({ who: 'merchant' }));
    add('GET /api/v1/merchant/growth/incentives', () => ({ who: 'merchant' }));
    add('GET /api/v1/ops/growth/programmes', () => ({ who: 'operator' }));
    add('POST /api/v1/ops/growth/programmes', () => ({
      who: 'operator',
      body: {
        name: '模糊测试激励',
        kind: 'first_sale_gmv',
        eligibleStoreDays: 30,
        periodDays: 7,
        rateBps: 100,
        capFen: 1000,
        budgetFen: 100000,
      },
    }));
    add('PATCH /api/v1/ops/growth/programmes/{id}', () => ({
      who: 'operator',
      params: { id: programmeId },
      body: { name: '首销GMV激励' },
    }));
    add('GET /api/v1/ops/growth/programmes/{id}/incentives', () => ({
      who: 'operator',
      params: { id: programmeId },
    }));
    add('GET /api/v1/ops/growth/stores/{id}/village', () => ({ who: 'operator', params: { id: storeId } }));
    add('POST /api/v1/merchant/flash-sales', () => ({
      who: 'merchant',
      body: {
        skuId: skuIds[skuIds.length - 1],
        priceFen: 1,
        units: 1,
        perBuyerLimit: 1,
        durationSeconds: 600,
      },
    }));
    add('GET /api/v1/merchant/flash-sales', () => ({ who: 'merchant', query: { sessionId: randomUUID() } }));
    add('POST /api/v1/merchant/flash-sales/{id}/end', () => ({
      who: 'merchant',
      params: { id: flashSaleToEnd.json().sale.id },
    }));
    add('GET /api/v1/flash-sales/{id}', () => ({ who: 'none', params: { id: flashSaleId } }));
    add('POST /api/v1/flash-sales/{id}/purchases', () => ({
      who: 'buyer',
      headers: idem(),
      params: { id: flashSaleId },
      body: { address: address() },
    }));
    add('GET /api/v1/addresses', () => ({ who: 'buyer' }));
    add('POST /api/v1/addresses', async () => {
      if (addressOwner.left === 0) addressOwner = { ...(await freshSession('buyer')), left: MAX_ADDRESSES };
      addressOwner.left -= 1;
      return { who: { cookie: addressOwner.cookie }, body: { ...address(), isDefault: true } };
    });
    add('PATCH /api/v1/addresses/{id}', () => ({
      who: 'buyer',
      params: { id: addressToEdit },
      body: { district: '朝阳区', detail: '望京街 10 号', isDefault: true },
    }));
    add('DELETE /api/v1/addresses/{id}', () => ({ who: 'buyer', params: { id: take(addressesToDelete) } }));
    // Live sessions (issue 14): one live (pins, comments, coupons), one scheduled (start, stop, reservations).
    const liveSession = async () => {
      const res = await api('POST', '/merchant/live/sessions', cookies.merchant, {
        title: '模糊测试直播',
        scheduledAt: '2026-03-02T08:00:00.000Z',
        productIds: [tee.productId],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().session.id as string;
    };
    const onAir = await liveSession();
    expect((await api('POST', `/merchant/live/sessions/${onAir}/start`, cookies.merchant)).statusCode).toBe(
      200,
    );
    const upcoming = await liveSession();
    const roomCoupon = await api('POST', '/merchant/coupons', cookies.merchant, {
      kind: 'store_coupon',
      title: '直播间券',
      discountFen: 500,
      thresholdFen: 5_000,
      startsAt: t.clock.now().toISOString(),
      endsAt: '2099-01-01T00:00:00.000Z',
      perBuyerLimit: 100,
      totalQuantity: 100_000,
    });
    expect(roomCoupon.statusCode, roomCoupon.body).toBe(201);
    const roomCouponId = roomCoupon.json().coupon.id as string;
    add('POST /api/v1/merchant/live/sessions', () => ({
      who: 'merchant',
      body: { title: '新品直播', scheduledAt: '2026-03-03T08:00:00.000Z', productIds: [tee.productId] },
    }));
    add('GET /api/v1/merchant/live/sessions', () => ({ who: 'merchant' }));
    add('GET /api/v1/merchant/live/sessions/{id}', () => ({ who: 'merchant', params: { id: onAir } }));
    const toStart: string[] = [];
    const toStop: string[] = [];
    for (let i = 0; i < RUNS_WITH_INPUT + 2; i += 1) {
      toStart.push(await liveSession());
      toStop.push(await liveSession());
    }
    add('POST /api/v1/merchant/live/sessions/{id}/start', () => ({
      who: 'merchant',
      params: { id: take(toStart) },
    }));
    add('POST /api/v1/merchant/live/sessions/{id}/stop', () => ({
      who: 'merchant',
      params: { id: take(toStop) },
    }));
    add('PUT /api/v1/merchant/live/sessions/{id}/pin', () => ({
      who: 'merchant',
      params: { id: onAir },
      body: { productId: tee.productId },
    }));
    add('POST /api/v1/merchant/live/sessions/{id}/coupons', () => ({
      who: 'merchant',
      params: { id: onAir },
      body: { couponId: roomCouponId },
    }));
    add('GET /api/v1/live/sessions', () => ({ who: 'none' }));
    add('GET /api/v1/live/sessions/{id}', () => ({ who: 'none', params: { id: onAir } }));
    // A published reservation video of that session (a reservation is credited only to one).
    const reservationVideo = randomUUID();
    await sql`
      insert into videos (id, store_id, kind, title, status, product_ids, live_session_id, file_name,
        content_type, size_bytes, duration_ms, width, height, created_at, published_at)
      values (${reservationVideo}, ${storeId}, 'reservation', '预约视频', 'published', ${[]}::uuid[],
        ${upcoming}, ${`${reservationVideo}.mp4`}, 'video/mp4', 1000, 3000, 720, 1280, now(), now())`.execute(
      t.db,
    );
    add('POST /api/v1/live/sessions/{id}/reservations', () => ({
      who: 'buyer',
      params: { id: upcoming },
      body: { sourceVideoId: reservationVideo },
    }));
    add('DELETE /api/v1/live/sessions/{id}/reservations', () => ({ who: 'buyer', params: { id: upcoming } }));
    add('POST /api/v1/live/sessions/{id}/comments', () => ({
      who: 'buyer',
      params: { id: onAir },
      body: { text: '主播好' },
    }));
    add('GET /api/v1/me/notices', () => ({ who: 'buyer' }));
    add('POST /api/v1/me/notices/read', () => ({ who: 'buyer', body: {} }));
    // Pricing: coupons (a store's, the platform's), a subsidy, quotes.
    const window = { startsAt: t.clock.now().toISOString(), endsAt: '2099-01-01T00:00:00.000Z' };
    const couponBody = (kind: string) => ({
      kind,
      title: '满100减10',
      discountFen: 1000,
      thresholdFen: 10_000,
      ...window,
      perBuyerLimit: 100,
      totalQuantity: 100_000,
    });
    const storeCoupon = await api('POST', '/merchant/coupons', cookies.merchant, couponBody('store_coupon'));
    expect(storeCoupon.statusCode, storeCoupon.body).toBe(201);
    const fanCoupon = await api('POST', '/merchant/coupons', cookies.merchant, couponBody('fan_coupon'));
    expect(fanCoupon.statusCode, fanCoupon.body).toBe(201);
    const platformCoupon = await api('POST', '/ops/coupons', cookies.operator, couponBody('platform_coupon'));
    expect(platformCoupon.statusCode, platformCoupon.body).toBe(201);
    const subsidyBody = () => ({
      title: '低价补贴',
      totalFen: 1_000_000,
      ...window,
      skus: [{ skuId: skuIds[skuIds.length - 1] as string, fenPerUnit: 100, capUnits: 50 }],
    });
    const subsidy = await api('POST', '/ops/subsidies', cookies.operator, subsidyBody());
    expect(subsidy.statusCode, subsidy.body).toBe(201);
    add('POST /api/v1/quote', () => ({
      who: 'buyer',
      body: { lines: [{ skuId: sku, quantity: 2 }], couponIds: [], channel: 'standard' },
    }));
    add('GET /api/v1/coupons', () => ({ who: 'none', query: { storeId } }));
    add('GET /api/v1/coupons/mine', () => ({ who: 'buyer' }));
    add('POST /api/v1/coupons/{id}/claim', () => ({
      who: 'buyer',
      params: { id: storeCoupon.json().coupon.id },
    }));
    add('GET /api/v1/skus/{id}/price-history', () => ({ who: 'none', params: { id: sku } }));
    add('POST /api/v1/merchant/coupons', () => ({ who: 'merchant', body: couponBody('store_coupon') }));
    add('GET /api/v1/merchant/coupons', () => ({ who: 'merchant' }));
    add('POST /api/v1/merchant/coupons/{id}/stop', () => ({
      who: 'merchant',
      params: { id: storeCoupon.json().coupon.id },
    }));
    add('POST /api/v1/ops/coupons', () => ({ who: 'operator', body: couponBody('platform_coupon') }));
    add('GET /api/v1/ops/coupons', () => ({ who: 'operator' }));
    add('POST /api/v1/ops/coupons/{id}/stop', () => ({
      who: 'operator',
      params: { id: platformCoupon.json().coupon.id },
    }));
    add('POST /api/v1/ops/subsidies', () => ({ who: 'operator', body: subsidyBody() }));
    add('GET /api/v1/ops/subsidies', () => ({ who: 'operator' }));
    add('POST /api/v1/ops/subsidies/{id}/stop', () => ({
      who: 'operator',
      params: { id: subsidy.json().subsidy.id },
    }));
    add('POST /api/v1/orders/{id}/price-protection/check', () => ({
      who: 'buyer',
      params: { id: delivered },
    }));
    add('GET /api/v1/orders/{id}/price-protection', () => ({ who: 'buyer', params: { id: delivered } }));
    add('GET /api/v1/price-protection/payouts', () => ({ who: 'buyer' }));
    // The live ingest (src/modules/ingest). The merchant's view needs a session of the merchant's store,
    // made through the live module's route (POST /merchant/live/sessions).
    let ingestSessionId: string | undefined;
    add('GET /api/v1/merchant/live/sessions/{id}/ingest', async () => {
      if (!ingestSessionId) {
        const made = await api('POST', '/merchant/live/sessions', cookies.merchant, {
          title: '引力直播 fuzz',
          scheduledAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
          productIds: [tee.productId],
        });
        ingestSessionId = (made.json().session?.id ?? made.json().id) as string;
      }
      return { who: 'merchant', params: { id: ingestSessionId } };
    });
    add('GET /api/v1/live/sessions/{id}/ingest-status', () => ({
      who: 'none',
      params: { id: randomUUID() },
    }));
    add('GET /api/v1/stores/{id}/guarantees', () => ({ who: 'none', params: { id: storeId } }));
    add('GET /api/v1/merchant/guarantee-costs', () => ({ who: 'merchant' }));
    add('GET /api/v1/ops/guarantee-costs', () => ({ who: 'operator' }));
    add('GET /api/v1/merchant/reviews', () => ({
      who: 'merchant',
      query: { rating: '1', replied: 'false', productId: tee.productId, limit: '10' },
    }));
    add('POST /api/v1/merchant/reviews/{id}/reply', () => ({
      who: 'merchant',
      params: { id: take(toReply) },
      body: { body: '感谢您的评价，我们会改进' },
    }));
    add('POST /api/v1/merchant/reviews/{id}/report', () => ({
      who: 'merchant',
      params: { id: take(toReport) },
      body: { reason: 'abusive', note: '辱骂客服' },
    }));
    add('GET /api/v1/ops/reviews/moderation', () => ({
      who: 'operator',
      query: { state: 'pending', limit: '10' },
    }));
    add('POST /api/v1/ops/reviews/{id}/hide', () => ({
      who: 'operator',
      params: { id: take(toHide) },
      body: { reason: '含有辱骂内容' },
    }));
    add('POST /api/v1/ops/reviews/{id}/dismiss', () => ({
      who: 'operator',
      params: { id: take(toDismissReview) },
    }));
    add('POST /api/v1/ops/reviews/{id}/remove-reply', () => ({
      who: 'operator',
      params: { id: take(toRemoveReply) },
      body: { reason: '回复含联系方式' },
    }));
    add('POST /api/v1/ops/reviews/{id}/restore', () => ({
      who: 'operator',
      params: { id: take(toRestore) },
    }));
    // Store experience score (merchants).
    add('GET /api/v1/stores/{id}/experience', () => ({ who: 'none', params: { id: storeId } }));
    add('GET /api/v1/merchant/experience', () => ({ who: 'merchant' }));
    add('GET /api/v1/ops/stores/experience', () => ({ who: 'operator', query: { limit: '20' } }));
    add('POST /api/v1/ops/stores/experience/recompute', () => ({ who: 'operator' }));

    add('POST /api/v1/reviews/photos', () => ({ who: 'buyer', body: { dataUrl: png } }));
    add('POST /api/v1/orders/{id}/reviews', () => ({
      who: 'buyer',
      params: { id: toReviewOrder },
      body: {
        skuId: take(reviewLines),
        rating: 5,
        body: '质量很好，尺码标准',
        tags: ['quality_good'],
        photos: [],
        fit: 'fit',
        anonymous: false,
      },
    }));
    add('GET /api/v1/orders/{id}/reviews', () => ({ who: 'buyer', params: { id: toReviewOrder } }));
    add('POST /api/v1/reviews/{id}/follow-up', () => ({
      who: reviewer,
      params: { id: take(toFollowUp) },
      body: { body: '穿了一周，没有起球', photos: [] },
    }));
    add('GET /api/v1/me/reviews', () => ({ who: 'buyer', query: { limit: '10' } }));
    add('GET /api/v1/products/{id}/reviews', () => ({
      who: 'none',
      params: { id: tee.productId },
      query: { withPhotos: 'false', size: 'S', rating: '4', limit: '10' },
    }));
    add('GET /api/v1/products/{id}/review-summary', () => ({ who: 'none', params: { id: tee.productId } }));
    add('GET /api/v1/stores/{id}/review-summary', () => ({ who: 'none', params: { id: storeId } }));
    add('GET /api/v1/ops/reviews/policy', () => ({ who: 'operator' }));
    add('PUT /api/v1/ops/reviews/policy', () => ({
      who: 'operator',
      body: { defaultReviewDays: 15, followUpDays: 30 },
    }));

    // Short videos: a tiny real MP4 to upload, and two published videos (one to edit/hide, one to watch).
    const clip = path.join(mediaDir, 'fuzz.mp4');
    fs.mkdirSync(mediaDir, { recursive: true });
    const clipBytes = makeTestVideo(clip, { size: '64x64', rate: 5, seconds: 1 });
    const uploadBody = videoUpload(clipBytes, { filename: 'a.mp4' });
    const importClip = (title: string) =>
      t.services.videos.importFile({
        storeId,
        kind: 'seeding',
        title,
        filePath: clip,
        productIds: [tee.productId],
        liveSessionId: null,
      });
    const editVideo = (await importClip('可编辑')).id;
    const watchVideo = (await importClip('可观看')).id;
    add('POST /api/v1/merchant/videos', () => ({
      who: 'merchant',
      query: { kind: 'seeding', title: '模糊测试视频', productIds: tee.productId },
      raw: uploadBody,
    }));
    add('GET /api/v1/merchant/videos', () => ({ who: 'merchant' }));
    add('PATCH /api/v1/merchant/videos/{id}', () => ({
      who: 'merchant',
      params: { id: editVideo },
      body: { title: '新标题', kind: 'seeding', productIds: [tee.productId], liveSessionId: null },
    }));
    add('POST /api/v1/merchant/videos/{id}/publish', () => ({ who: 'merchant', params: { id: editVideo } }));
    add('POST /api/v1/merchant/videos/{id}/hide', () => ({ who: 'merchant', params: { id: editVideo } }));
    add('GET /api/v1/videos/feed', () => ({ who: 'buyer' }));
    add('GET /api/v1/videos/{id}', () => ({ who: 'none', params: { id: watchVideo } }));
    add('PUT /api/v1/videos/{id}/like', () => ({ who: 'buyer', params: { id: watchVideo } }));
    add('DELETE /api/v1/videos/{id}/like', () => ({ who: 'buyer', params: { id: watchVideo } }));
    add('PUT /api/v1/stores/{id}/follow', () => ({
      who: 'buyer',
      params: { id: storeId },
      body: { source: 'store' },
    }));
    add('DELETE /api/v1/stores/{id}/follow', () => ({ who: 'buyer', params: { id: storeId } }));
    add('GET /api/v1/stores/{id}/follow', () => ({ who: 'none', params: { id: storeId } }));
    add('GET /api/v1/me/follows', () => ({ who: 'buyer' }));
    add('GET /api/v1/stores/{id}/fan-coupons', () => ({ who: 'none', params: { id: storeId } }));
    // A new fan each time: a fan claims a fan coupon once.
    add('POST /api/v1/stores/{id}/fan-coupons/{couponId}/claim', async () => {
      const fan = await freshSession('buyer');
      const followed = await api('PUT', `/stores/${storeId}/follow`, fan.cookie, { source: 'store' });
      expect(followed.statusCode, followed.body).toBe(200);
      return { who: fan, params: { id: storeId, couponId: fanCoupon.json().coupon.id } };
    });
    add('GET /api/v1/merchant/fans', () => ({ who: 'merchant', query: { days: '30' } }));
    add('POST /api/v1/merchant/fans/plan', async () => ({ who: await freshMerchantWithStore() }));
    add('GET /api/v1/ops/fan-plan/settings', () => ({ who: 'operator' }));
    add('GET /api/v1/ops/fan-plan/stores', () => ({ who: 'operator' }));
    add('PUT /api/v1/ops/fan-plan/settings', () => ({
      who: 'operator',
      body: {
        targetPct: 50,
        days: 30,
        minGain: 10,
        maxStoreAgeDays: 30,
        impressionsPerFan: 200,
        maxDailyImpressions: 5000,
      },
    }));
    add('POST /api/v1/ops/fan-plan/stores/{id}', async () => ({
      who: 'operator',
      params: { id: await freshStoreId() },
    }));
    add('GET /api/v1/videos/{id}/comments', () => ({ who: 'none', params: { id: watchVideo } }));
    add('POST /api/v1/videos/{id}/comments', async () => ({
      who: await freshSession('buyer'),
      params: { id: watchVideo },
      body: { body: '好看' },
    }));
    add('POST /api/v1/videos/{id}/views', () => ({ who: 'none', params: { id: watchVideo } }));
    add('GET /api/v1/videos/{id}/file', () => ({
      who: 'none',
      params: { id: watchVideo },
      headers: { range: 'bytes=0-99' },
    }));
    add('GET /api/v1/videos/{id}/poster.jpg', () => ({ who: 'none', params: { id: watchVideo } }));

    const doc = t.app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string }> }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        hasInput:
          op.requestBody !== undefined ||
          (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'header'),
      })),
    );
    routes = routes.filter((r) => !r.path.startsWith('/api/docs'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  /** Routes whose valid example carries a body, a query or headers: they get the bigger budget. */
  const withInput = new Set<string>();
  let remote = 0;
  async function send(route: { method: string; path: string }, call: Call) {
    const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(call.params?.[name] ?? ''),
    );
    const headers: Record<string, string> = { ...(call.headers ?? {}) };
    const cookie =
      typeof call.who === 'string' ? (call.who === 'none' ? '' : cookies[call.who]) : call.who.cookie;
    if (cookie) headers.cookie = cookie;
    const payload = call.raw
      ? call.raw.payload
      : call.body === undefined
        ? undefined
        : (JSON.stringify(call.body) ?? 'null');
    if (call.raw) headers['content-type'] = call.raw.contentType;
    else if (payload !== undefined) headers['content-type'] = 'application/json';
    if (call.signed && typeof payload === 'string')
      headers['x-gravity-signature'] = signWebhook(t.config.paymentWebhookSecret, payload, t.clock.now());
    remote += 1;
    return t.app.inject({
      method: route.method as 'GET',
      url,
      query: call.query,
      headers,
      payload,
      // a different client address per request, so the per-address rate limits stay out of the way
      remoteAddress: `10.77.${Math.floor(remote / 250) % 250}.${remote % 250}`,
    });
  }

  it('has a valid example request for every route in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !examples.has(key));
    expect(missing, 'routes without a valid example in fuzz.test.ts').toEqual([]);
  });

  it('every valid example is accepted as it is', async () => {
    for (const route of routes) {
      const example = examples.get(`${route.method} ${route.path}`);
      if (!example) continue;
      const call = await example();
      if (call.body !== undefined || call.query || call.headers) withInput.add(route.path + route.method);
      const res = await send(route, call);
      expect(
        res.statusCode,
        `${route.method} ${route.path} → ${res.statusCode} ${res.body.slice(0, 300)}`,
      ).toBeLessThan(300);
    }
    known = null;
  });

  it('one hostile part: never a 5xx, a refusal changes nothing, nothing invisible is stored', async () => {
    const failures: string[] = [];
    /** Columns already reported as holding a forbidden character, so each finding is told once. */
    let reported = new Set<string>();
    for (const route of routes) {
      const example = examples.get(`${route.method} ${route.path}`);
      if (!example) continue;
      const result = await fc.check(
        fc.asyncProperty(
          fc.nat(),
          fc.boolean(),
          mutation,
          fc.constantFrom(...WHO),
          async (pick, textOnly, m, who) => {
            const valid = await example();
            // Half the time a text value is the target: that is where stored text goes wrong.
            const all = slotsOf(valid);
            const texts = all.filter((slot) => typeof valueAt(valid, slot) === 'string');
            const slots = textOnly && texts.length > 0 ? texts : all;
            const slot = slots[pick % slots.length] as Slot;
            const call = applyMutation(valid, slot, m, who);
            known ??= await dbFingerprint(t.db);
            const res = await send(route, call);
            const what = `with ${JSON.stringify(slot)} ← ${JSON.stringify(m)}`;
            expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.json().error?.code, `${what}: error format`).toBeTypeOf('string');
              expect(await dbFingerprint(t.db), `${what} → ${res.statusCode} changed the database`).toBe(
                known,
              );
            } else {
              known = null;
              if (m.kind === 'inject') {
                const stored = await storedForbidden(t.db);
                const fresh = stored.filter((c) => !reported.has(c));
                reported = new Set(stored);
                expect(fresh, `${what} → ${res.statusCode} stored it`).toEqual([]);
              }
            }
          },
        ),
        {
          numRuns:
            route.hasInput || withInput.has(route.path + route.method) ? RUNS_WITH_INPUT : RUNS_WITHOUT_INPUT,
          seed: SEED,
          endOnFailure: true,
        },
      );
      if (result.failed) {
        known = null;
        const cause =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        failures.push(`${route.method} ${route.path} ${cause.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
