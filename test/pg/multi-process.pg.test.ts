import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.ts';
import { expectAnsweredCheckoutsExist, expectMoneyAndStockHeld } from '../support/money-and-stock-held.ts';
import { freePort, type ServerCommand, type ServerProcess, startServer } from '../support/server-process.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * Several processes on ONE PostgreSQL database (README "Running several processes"): two
 * `gravity api`, one `gravity worker` and `gravity sandbox-provider`. Checkout + pay load is spread
 * over both APIs; one Idempotency-Key sent to both at once makes one checkout; each kind is killed
 * with SIGKILL in turn under load (API 1, the worker, API 2) and restarted. Afterwards every answered
 * checkout exists with its lines, every answered payment is captured exactly once (at the provider
 * too), the ledger balances and stock is conserved. Waits are bounded by counts of polls.
 */

const address = {
  name: '多进程测试',
  phone: '13600000000',
  province: '浙江省',
  city: '嘉兴市',
  district: '桐乡市',
  detail: '乌镇 3 号',
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('several processes on one PostgreSQL: two APIs, a worker, the provider', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const running = new Map<string, ServerProcess>();
  afterAll(async () => {
    for (const p of running.values()) await p.kill('SIGKILL');
    await database?.close();
  });

  it('spreads checkout + pay, dedupes keys across APIs, survives SIGKILL of each kind', async () => {
    database = await freshDatabase(4);
    const db = database.db;
    const fixture: LoadFixture = await createLoadFixture(db, { skuCount: 5, stockPerSku: 400, buyers: 25 });
    const [apiPort1, apiPort2, providerPort, workerPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const apiUrls = [`http://127.0.0.1:${apiPort1}`, `http://127.0.0.1:${apiPort2}`];
    const common = {
      DATABASE_URL: database.url as string,
      SANDBOX_PAY_DELAY_MS: '30',
      PAYMENT_PROVIDER_URL: `http://127.0.0.1:${providerPort}`,
      PUBLIC_URL: apiUrls[0] as string,
    };
    const envOf: Record<string, { command: ServerCommand; env: Record<string, string> }> = {
      provider: {
        command: 'sandbox-provider',
        env: {
          ...common,
          SANDBOX_PROVIDER_PORT: String(providerPort),
          // No load balancer in front of the APIs: the provider tries the next one when one is down.
          SANDBOX_WEBHOOK_URL: apiUrls.join(','),
        },
      },
      api1: { command: 'api', env: { ...common, PORT: String(apiPort1) } },
      api2: { command: 'api', env: { ...common, PORT: String(apiPort2) } },
      worker: { command: 'worker', env: { ...common, WORKER_PORT: String(workerPort) } },
    };
    const start = async (name: string) => {
      const kind = envOf[name] as { command: ServerCommand; env: Record<string, string> };
      running.set(name, await startServer(kind.env, { command: kind.command }));
    };
    const kill = async (name: string) => {
      await running.get(name)?.kill('SIGKILL');
      running.delete(name);
    };
    // All four at once: processes starting together must not trip over each other (migrations).
    await Promise.all(['provider', 'api1', 'api2', 'worker'].map(start));

    // --- One Idempotency-Key sent to both APIs at once: one checkout. ---
    const keyToken = fixture.buyerTokens[fixture.buyerTokens.length - 1] as string;
    const keyBuyer = await sql<{ account_id: string }>`
      select account_id from sessions where token_hash = ${createHash('sha256').update(keyToken).digest('hex')}`.execute(
      db,
    );
    const keyBuyerId = keyBuyer.rows[0]?.account_id as string;
    expect(keyBuyerId).toBeTruthy();
    const keys = 6;
    for (let k = 0; k < keys; k += 1) {
      const body = JSON.stringify({ lines: [{ skuId: fixture.skuIds[k % 5], quantity: 1 }], address });
      const answers = await Promise.all(
        apiUrls.map(async (url) => {
          const res = await fetch(`${url}/api/v1/checkouts`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: `gravity_session=${keyToken}`,
              'idempotency-key': `both-apis-${k}`,
            },
            body,
          });
          const json = (await res.json()) as { checkout?: { id: string }; error?: { code: string } };
          return { status: res.status, id: json.checkout?.id, code: json.error?.code };
        }),
      );
      // Both answer the one checkout: the duplicate waits on the key, then replays it.
      for (const a of answers) expect(a.status, JSON.stringify(a)).toBe(201);
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    }
    const keyCheckouts = await sql<{ n: number }>`
      select count(distinct checkout_id)::int as n from orders where buyer_id = ${keyBuyerId}`.execute(db);
    expect(keyCheckouts.rows[0]?.n).toBe(keys);

    // --- Checkout + pay load over both APIs. ---
    const answered: Array<{
      checkoutId: string;
      lines: Array<{ skuId: string; quantity: number }>;
      paid: boolean;
      via: number;
    }> = [];
    let stop = false;
    let n = 0;
    const loadBuyers = fixture.buyerTokens.length - 1;
    // The load follows the test's phases: clients place checkouts until the phase's count of answered
    // ones is reached, then wait for the next phase (a fast machine must not sell out the stock).
    let target = 30;
    const client = async (w: number) => {
      const cookie = `gravity_session=${fixture.buyerTokens[w % loadBuyers]}`;
      while (!stop) {
        if (answered.length >= target) {
          await pause(20);
          continue;
        }
        n += 1;
        const via = (w + n) % 2;
        const url = apiUrls[via] as string;
        const lines = [
          { skuId: fixture.skuIds[n % 5] as string, quantity: 1 + (n % 3) },
          { skuId: fixture.skuIds[(n + 2) % 5] as string, quantity: 1 },
        ];
        try {
          const res = await fetch(`${url}/api/v1/checkouts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'idempotency-key': `mp-${w}-${n}` },
            body: JSON.stringify({ lines, address }),
          });
          if (res.status !== 201) {
            await res.arrayBuffer();
            continue;
          }
          const checkoutId = (await res.json()).checkout.id as string;
          const entry = { checkoutId, lines, paid: false, via };
          answered.push(entry);
          const pay = await fetch(`${url}/api/v1/checkouts/${checkoutId}/pay`, {
            method: 'POST',
            headers: { cookie, 'idempotency-key': `mp-pay-${checkoutId}` },
          });
          await pay.arrayBuffer();
          entry.paid = pay.status === 202;
        } catch {
          // That API process is down (killed): the next try goes to the other one.
          await pause(20);
        }
      }
    };
    const clients = Array.from({ length: 10 }, (_, w) => client(w));
    // Bounded by counts of polls, not by time: a busy machine answers more slowly, not wrongly.
    const answeredReach = async (count: number) => {
      for (let i = 0; i < 6000 && answered.length < count; i += 1) await pause(50);
      expect(answered.length).toBeGreaterThanOrEqual(count);
    };
    await answeredReach(target);
    for (const victim of ['api1', 'worker', 'api2']) {
      await kill(victim);
      target = answered.length + 30;
      await answeredReach(target); // served by what is left
      await start(victim);
      target = answered.length + 20;
      await answeredReach(target);
    }
    stop = true;
    await Promise.all(clients);
    // Both APIs answered checkouts.
    expect(answered.filter((a) => a.via === 0).length).toBeGreaterThan(0);
    expect(answered.filter((a) => a.via === 1).length).toBeGreaterThan(0);

    // The worker (and the provider's webhooks) finish what the kills interrupted: a payment left
    // `created` by a killed API is sent again by the worker's recovery, a minute later.
    for (let i = 0; i < 2400; i += 1) {
      const open = await sql<{ n: number }>`
        select count(*)::int as n from payments where status in ('created', 'authorized')`.execute(db);
      if ((open.rows[0]?.n ?? 0) === 0) break;
      await pause(250);
    }

    // Every answered checkout exists with exactly the lines it was answered for.
    await expectAnsweredCheckoutsExist(db, answered);
    // Every pay answered 202 is captured (the sandbox fails none here), once.
    const paidIds = answered.filter((a) => a.paid).map((a) => a.checkoutId);
    expect(paidIds.length).toBeGreaterThan(0);
    const captured = await sql<{ checkout_id: string; n: number }>`
      select checkout_id, count(*)::int as n from payments
      where checkout_id = any(${paidIds}::uuid[]) and status = 'captured' group by checkout_id`.execute(db);
    expect(captured.rows.length).toBe(paidIds.length);
    for (const r of captured.rows) expect(r.n, `checkout ${r.checkout_id}`).toBe(1);
    // …and the provider captured each of our captured payments once, for its amount.
    const atProvider = await sql<{ ours: number; theirs: number; mismatched: number }>`
      select (select count(*)::int from payments where status = 'captured') as ours,
             (select count(*)::int from sandbox_provider_charges where status = 'captured') as theirs,
             (select count(*)::int from payments p join sandbox_provider_charges c on c.merchant_reference = p.id::text
              where p.status = 'captured' and (c.status <> 'captured' or c.captured_fen <> p.amount_fen)) as mismatched`.execute(
      db,
    );
    expect(atProvider.rows[0]?.theirs).toBe(atProvider.rows[0]?.ours);
    expect(atProvider.rows[0]?.mismatched).toBe(0);

    await expectMoneyAndStockHeld(db, fixture);
  });
});
