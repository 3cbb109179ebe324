import { type RawBuilder, sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import { pruneIdempotencyKeys } from '../../src/platform/idempotency.ts';
import { enqueue, OutboxRunner, pruneOutbox } from '../../src/platform/outbox.ts';
import { apiOf, idempotent } from '../support/api.ts';
import { dbFingerprint } from '../support/db-fingerprint.ts';
import { accountIdOf, createProduct, createStore, testAddress } from '../support/fixtures.ts';
import { postSignedWebhook, settlePayments } from '../support/payments.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;
const BATCH = 2;

/** Runs a prune until it finds nothing (bounded); returns the rows it deleted and each run's count. */
async function drain(run: () => Promise<number>): Promise<{ total: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const n = await run();
    runs.push(n);
    if (n === 0) return { total: runs.reduce((a, b) => a + b, 0), runs };
  }
  throw new Error('the prune never ran dry');
}

const count = async (t: TestApp, query: RawBuilder<{ n: number }>) =>
  (await query.execute(t.db)).rows[0]?.n ?? -1;

// One database for the file (each costs seconds to boot): retention first, then the dead letters.
let t: TestApp;
let api: ReturnType<typeof apiOf>;
const retention: Config['retention'] = { ...loadConfig({}).retention, batchSize: BATCH };
beforeAll(async () => {
  t = await createTestApp({ sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 }, retention });
  api = apiOf(t);
});
afterAll(async () => t?.close());

describe('retention: finished rows go after their window, recent ones stay', () => {
  let merchantStore: string;
  let phones = 0;
  const nextPhone = () => {
    phones += 1;
    return `1360001${String(phones).padStart(4, '0')}`;
  };
  const checkoutBody = async () => {
    const { skuIds } = await createProduct(t.db, merchantStore, { skus: [{ priceFen: 1999, stock: 5 }] });
    return { lines: [{ skuId: skuIds[0], quantity: 1 }], address: testAddress };
  };
  const postCheckout = (buyer: string, key: string, body: unknown) =>
    api('POST', '/checkouts', buyer, body, idempotent(key));
  const checkout = async (buyer: string, key: string) => {
    const res = await postCheckout(buyer, key, await checkoutBody());
    expect(res.statusCode, res.body).toBe(201);
    return res.json().checkout.id as string;
  };

  beforeAll(async () => {
    const merchantPhone = nextPhone();
    await t.signIn(merchantPhone, 'merchant');
    ({ storeId: merchantStore } = await createStore(t.db, {
      ownerAccountId: await accountIdOf(t.db, merchantPhone),
    }));
  });

  it('documents the windows as config defaults', () => {
    expect(loadConfig({}).retention).toEqual({
      expiredSessionDays: 30,
      smsCodeDays: 1,
      idempotencyKeyDays: 7,
      webhookEventDays: 30,
      doneOutboxDays: 7,
      feedImpressionDays: 90,
      batchSize: 1000,
    });
    expect(loadConfig({ RETENTION_WEBHOOK_EVENT_DAYS: '90' }).retention.webhookEventDays).toBe(90);
  });

  it('deletes sessions 30 days past their expiry and SMS codes after a day, in bounded batches', async () => {
    const sessionsOf = (phone: string) =>
      count(
        t,
        sql<{ n: number }>`select count(*)::int as n from sessions s join accounts a on a.id = s.account_id
          where a.phone = ${phone}`,
      );
    const codesOf = (phone: string) =>
      count(t, sql<{ n: number }>`select count(*)::int as n from sms_codes where phone = ${phone}`);
    const old = [nextPhone(), nextPhone(), nextPhone()];
    for (const phone of old) await t.signIn(phone); // day 0: expire on day 30
    t.clock.advance(25 * DAY);
    const expiredLately = nextPhone();
    await t.signIn(expiredLately); // expires on day 55
    t.clock.advance(25 * DAY);
    const live = nextPhone();
    const liveCookie = await t.signIn(live); // day 50: expires on day 80
    t.clock.advance(11 * DAY); // day 61
    const fresh = nextPhone();
    await t.signIn(fresh);

    const pruned = await drain(() => t.services.identity.pruneExpired(retention));
    // 4 sessions 31 days past expiry (with the merchant's of day 0); the codes of days 0, 25 and 50
    expect(pruned.total).toBe(4 + 6);
    for (const n of pruned.runs) expect(n).toBeLessThanOrEqual(2 * BATCH);
    for (const phone of old) {
      expect(await sessionsOf(phone)).toBe(0);
      expect(await codesOf(phone)).toBe(0);
    }
    expect(await sessionsOf(expiredLately)).toBe(1); // expired 6 days ago: kept
    expect(await codesOf(expiredLately)).toBe(0);
    expect(await sessionsOf(live)).toBe(1);
    expect(await codesOf(live)).toBe(0);
    expect((await api('GET', '/me', liveCookie)).statusCode).toBe(200);
    expect(await sessionsOf(fresh)).toBe(1);
    expect(await codesOf(fresh)).toBe(1);
  });

  it('deletes idempotency keys after 7 days; a recent key still replays its first answer', async () => {
    const buyer = await t.signIn(nextPhone());
    const keyRows = (key: string) =>
      count(t, sql<{ n: number }>`select count(*)::int as n from idempotency_keys where key = ${key}`);
    await checkout(buyer, 'retention-old-1');
    await checkout(buyer, 'retention-old-2');
    await checkout(buyer, 'retention-old-3');
    t.clock.advance(8 * DAY);
    const recentBody = await checkoutBody();
    const recent = await postCheckout(buyer, 'retention-recent', recentBody);
    expect(recent.statusCode, recent.body).toBe(201);
    t.clock.advance(6 * DAY);

    const pruned = await drain(() =>
      pruneIdempotencyKeys(t.db, t.clock, retention.idempotencyKeyDays, retention.batchSize),
    );
    expect(pruned.total).toBe(3);
    for (const n of pruned.runs) expect(n).toBeLessThanOrEqual(BATCH);
    for (const key of ['retention-old-1', 'retention-old-2', 'retention-old-3'])
      expect(await keyRows(key)).toBe(0);
    expect(await keyRows('retention-recent')).toBe(1);
    const replay = await postCheckout(buyer, 'retention-recent', recentBody);
    expect(replay.statusCode, replay.body).toBe(201);
    expect(replay.json().checkout.id).toBe(recent.json().checkout.id);
    const reused = await postCheckout(buyer, 'retention-recent', await checkoutBody());
    expect(reused.statusCode).toBe(409);
  });

  it('deletes webhook events after 30 days and done outbox jobs after 7; dedupe holds inside the window', async () => {
    const pay = async () => {
      const buyer = await t.signIn(nextPhone());
      const checkoutId = await checkout(buyer, `checkout-${phones}`);
      const res = await api(
        'POST',
        `/checkouts/${checkoutId}/pay`,
        buyer,
        undefined,
        idempotent(`pay-${checkoutId}`),
      );
      expect(res.statusCode, res.body).toBe(202);
      await settlePayments(t);
      return res.json().payment.id as string;
    };
    const eventsOf = (paymentId: string) =>
      count(
        t,
        sql<{
          n: number;
        }>`select count(*)::int as n from webhook_events where payload->'data'->>'paymentId' = ${paymentId}`,
      );
    const doneJobsOf = (paymentId: string) =>
      count(
        t,
        sql<{
          n: number;
        }>`select count(*)::int as n from outbox where done_at is not null and payload->>'paymentId' = ${paymentId}`,
      );
    const parkedJobs = () =>
      count(t, sql<{ n: number }>`select count(*)::int as n from outbox where topic = 'test.parked'`);

    const old = await pay();
    // a job no worker takes: old, but not done, so never pruned
    await enqueue(t.db, 'test.parked', { note: 'waits for a handler' }, t.clock.now());
    expect(await eventsOf(old)).toBeGreaterThanOrEqual(2); // authorized, captured
    expect(await doneJobsOf(old)).toBe(1); // the capture
    t.clock.advance(31 * DAY);
    const recent = await pay();
    t.clock.advance(6 * DAY);

    const events = await drain(() => t.services.payments.pruneWebhookEvents(retention));
    for (const n of events.runs) expect(n).toBeLessThanOrEqual(BATCH);
    expect(await eventsOf(old)).toBe(0);
    expect(await eventsOf(recent)).toBeGreaterThanOrEqual(2);
    const jobs = await drain(() => pruneOutbox(t.db, t.clock, retention.doneOutboxDays, retention.batchSize));
    for (const n of jobs.runs) expect(n).toBeLessThanOrEqual(BATCH);
    expect(await doneJobsOf(old)).toBe(0);
    expect(await doneJobsOf(recent)).toBe(1);
    expect(await parkedJobs()).toBe(1);

    // the provider redelivers the recent events (signed now): still recognised, nothing changes
    const sent = await sql<{ payload: { data: { paymentId?: string } } }>`
      select payload from sandbox_provider_webhooks where delivered_at is not null order by id`.execute(t.db);
    const redeliver = sent.rows.filter((r) => r.payload.data.paymentId === recent);
    expect(redeliver.length).toBeGreaterThanOrEqual(2);
    const before = await dbFingerprint(t.db);
    for (const { payload } of redeliver) {
      const body = JSON.stringify(payload);
      const res = await postSignedWebhook(t, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ received: true, duplicate: true });
    }
    expect(await dbFingerprint(t.db)).toBe(before);
  });
});

describe('dead letters: an outbox job that keeps failing stops being retried', () => {
  let operator: string;
  let buyer: string;

  beforeAll(async () => {
    await t.services.identity.provision('13900000031', 'operator', 'ops');
    operator = await t.signIn('13900000031', 'operator');
    buyer = await t.signIn('13600000031');
  });

  const get = (url: string, cookie?: string) => api('GET', url, cookie);
  const post = (url: string, cookie?: string) => api('POST', url, cookie);

  it('moves a job whose handler always throws to the dead letters after N attempts; an operator sees and retries it', async () => {
    let calls = 0;
    const runner = new OutboxRunner({
      db: t.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      maxAttempts: 4,
      handlers: {
        'test.always-fails': async () => {
          calls += 1;
          throw new Error(`remote said no (${calls})`);
        },
      },
    });
    await enqueue(t.db, 'test.always-fails', { orderId: 'o-1' }, t.clock.now());
    // far more rounds than attempts, each past the longest backoff
    for (let round = 0; round < 12; round += 1) {
      await runner.runOnce();
      t.clock.advance(301_000);
    }
    expect(calls).toBe(4);
    expect(await runner.runOnce()).toBe(0);
    const left = await sql<{ n: number }>`
      select count(*)::int as n from outbox where topic = 'test.always-fails'`.execute(t.db);
    expect(left.rows[0]?.n).toBe(0);

    const listed = await get('/ops/dead-letters', operator);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().total).toBe(1);
    const letter = listed.json().items[0];
    expect(letter).toMatchObject({
      topic: 'test.always-fails',
      payload: { orderId: 'o-1' },
      attempts: 4,
      lastError: 'remote said no (4)',
    });
    expect(Date.parse(letter.failedAt)).not.toBeNaN();

    // operators only, and who asks is checked before what is asked
    expect((await get('/ops/dead-letters', buyer)).statusCode).toBe(403);
    expect((await get('/ops/dead-letters')).statusCode).toBe(401);
    expect((await get('/ops/dead-letters?pageSize=100000')).statusCode).toBe(401);
    expect((await get('/ops/dead-letters?pageSize=100000', operator)).statusCode).toBe(400);
    expect((await post(`/ops/dead-letters/${letter.id}/retry`, buyer)).statusCode).toBe(403);

    // sent back: a new job with fresh attempts, which the runner tries again
    const retried = await post(`/ops/dead-letters/${letter.id}/retry`, operator);
    expect(retried.statusCode, retried.body).toBe(200);
    expect((await get('/ops/dead-letters', operator)).json().total).toBe(0);
    expect((await post(`/ops/dead-letters/${letter.id}/retry`, operator)).statusCode).toBe(404);
    expect(await runner.runOnce()).toBe(1);
    expect(calls).toBe(5);
  });

  it('dead-letters a job whose leases keep running out with no answer, without running it again', async () => {
    let started = 0;
    let onStart = () => {};
    const hung: Array<() => void> = [];
    const runner = new OutboxRunner({
      db: t.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      maxAttempts: 2,
      leaseSeconds: 60,
      handlers: {
        'test.hangs': () => {
          started += 1;
          onStart();
          return new Promise<void>((resolve) => hung.push(resolve));
        },
      },
    });
    await enqueue(t.db, 'test.hangs', { n: 1 }, t.clock.now());
    // Twice a worker takes the job and never answers (it "died"): the lease runs out each time.
    const pending: Promise<number>[] = [];
    for (let round = 1; round <= 2; round += 1) {
      const running = new Promise<void>((resolve) => {
        onStart = resolve;
      });
      pending.push(runner.runOnce());
      await running;
      t.clock.advance(61_000);
    }
    expect(await runner.runOnce()).toBe(1); // claimed a third time: dead-lettered, not run
    expect(await runner.runOnce()).toBe(0);
    expect(started).toBe(2);
    const letters = (await get('/ops/dead-letters', operator)).json().items;
    expect(letters.find((l: { topic: string }) => l.topic === 'test.hangs')).toMatchObject({
      attempts: 2,
      lastError: 'lease expired without an answer',
    });
    for (const resolve of hung) resolve();
    await Promise.all(pending);
  });
});
