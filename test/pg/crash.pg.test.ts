import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createLoadFixture } from '../support/load-fixture.ts';
import { expectMoneyAndStockHeld } from '../support/money-and-stock-held.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { freshDatabase } from '../support/test-db.ts';

/**
 * The server runs as a child process under checkout load and is killed with SIGKILL mid-way, then
 * restarted: every answered order exists and is consistent, the ledger balances, and stock is
 * conserved for every SKU.
 */

const address = {
  name: '崩溃测试',
  phone: '13600000000',
  province: '浙江省',
  city: '嘉兴市',
  district: '桐乡市',
  detail: '乌镇 2 号',
};

describe('crash: SIGKILL under checkout load, then restart', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await database?.close();
  });

  it('loses no answered order, keeps the ledger balanced and conserves stock', async () => {
    database = await freshDatabase(4);
    const fixture = await createLoadFixture(database.db, { skuCount: 5, stockPerSku: 300, buyers: 24 });
    const env = { DATABASE_URL: database.url as string, SANDBOX_PAY_DELAY_MS: '30' };
    server = await startServer(env);
    const url = server.url;

    const answered: Array<{
      checkoutId: string;
      lines: Array<{ skuId: string; quantity: number }>;
      paid: boolean;
    }> = [];
    let stop = false;
    let n = 0;
    const worker = async (w: number) => {
      const cookie = `gravity_session=${fixture.buyerTokens[w % fixture.buyerTokens.length]}`;
      while (!stop) {
        n += 1;
        const lines = [
          { skuId: fixture.skuIds[n % 5] as string, quantity: 1 + (n % 3) },
          { skuId: fixture.skuIds[(n + 2) % 5] as string, quantity: 1 },
        ];
        try {
          const res = await fetch(`${url}/api/v1/checkouts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'idempotency-key': `crash-${w}-${n}` },
            body: JSON.stringify({ lines, address }),
          });
          if (res.status !== 201) continue;
          const checkoutId = (await res.json()).checkout.id as string;
          const entry = { checkoutId, lines, paid: false };
          answered.push(entry);
          const pay = await fetch(`${url}/api/v1/checkouts/${checkoutId}/pay`, {
            method: 'POST',
            headers: { cookie, 'idempotency-key': `crash-pay-${checkoutId}` },
          });
          entry.paid = pay.status === 202;
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    // Kill mid-load, once some orders have been answered.
    // Bounded by a count of polls, not by time: a busy machine answers more slowly, not wrongly.
    for (let i = 0; i < 6000 && answered.length < 40; i += 1) await new Promise((r) => setTimeout(r, 50));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(answered.length).toBeGreaterThanOrEqual(40);

    server = await startServer(env);
    // Let the restarted server's workers finish what the crash interrupted.
    const db = database.db;
    for (let i = 0; i < 1200; i += 1) {
      const open = await sql<{ n: number }>`
        select count(*)::int as n from payments where status in ('created', 'authorized')`.execute(db);
      if ((open.rows[0]?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    // Every answered checkout exists with exactly the lines it was answered for.
    const ids = answered.map((a) => a.checkoutId);
    const rows = await sql<{ checkout_id: string; sku_id: string; quantity: number; status: string }>`
      select o.checkout_id, l.sku_id, l.quantity, o.status from orders o join order_lines l on l.order_id = o.id
      where o.checkout_id = any(${ids}::uuid[])`.execute(db);
    for (const a of answered) {
      const got = rows.rows.filter((r) => r.checkout_id === a.checkoutId);
      const want = new Map<string, number>();
      for (const l of a.lines) want.set(l.skuId, (want.get(l.skuId) ?? 0) + l.quantity);
      expect(new Map(got.map((r) => [r.sku_id, r.quantity])), `checkout ${a.checkoutId}`).toEqual(want);
    }
    // Every pay answered 202 has its payment recorded.
    const paidIds = answered.filter((a) => a.paid).map((a) => a.checkoutId);
    const payments = await sql<{ n: number }>`
      select count(distinct checkout_id)::int as n from payments where checkout_id = any(${paidIds}::uuid[])`.execute(
      db,
    );
    expect(payments.rows[0]?.n).toBe(paidIds.length);

    await expectMoneyAndStockHeld(db, fixture);
  });
});
