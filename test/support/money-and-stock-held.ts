import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/platform/db.ts';
import type { LoadFixture } from './load-fixture.ts';

/** Orders whose units are still out of stock (reserved, sold or delivered). */
const LIVE = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed'];

/**
 * What must hold after any fault (a crash, a lost database): the ledger balances in total and per
 * transaction, every captured payment is in it, and for every SKU of the fixture the initial stock
 * equals what is left plus the units in live orders.
 */
export async function expectMoneyAndStockHeld(db: Db, fixture: LoadFixture): Promise<void> {
  const trial = await sql<{ total: number }>`
    select coalesce(sum(amount_fen), 0)::bigint as total from ledger_entries`.execute(db);
  expect(Number(trial.rows[0]?.total)).toBe(0);
  const unbalanced = await sql<{ n: number }>`
    select count(*)::int as n from (select transaction_id from ledger_entries group by transaction_id
      having sum(amount_fen) <> 0) t`.execute(db);
  expect(unbalanced.rows[0]?.n).toBe(0);
  const capturedWithoutLedger = await sql<{ n: number }>`
    select count(*)::int as n from payments p where p.status = 'captured' and not exists
      (select 1 from ledger_transactions t where t.kind = 'payment' and t.reference = p.id::text)`.execute(
    db,
  );
  expect(capturedWithoutLedger.rows[0]?.n).toBe(0);

  const stock = await sql<{ id: string; stock: number; held: number }>`
    select s.id, s.stock,
      coalesce((select sum(l.quantity) from order_lines l join orders o on o.id = l.order_id
                where l.sku_id = s.id and o.status = any(${LIVE}::text[])), 0)::int as held
    from skus s where s.id = any(${fixture.skuIds}::uuid[])`.execute(db);
  for (const s of stock.rows) {
    expect(s.stock).toBeGreaterThanOrEqual(0);
    expect(s.stock + s.held, `sku ${s.id}`).toBe(fixture.initialStock.get(s.id));
  }
}

/** A checkout the server answered 201, with the lines it was asked for. */
export interface AnsweredCheckout {
  checkoutId: string;
  lines: Array<{ skuId: string; quantity: number }>;
}

/** Every answered checkout exists with exactly the lines it was answered for (one query). */
export async function expectAnsweredCheckoutsExist(db: Db, answered: AnsweredCheckout[]): Promise<void> {
  const ids = answered.map((a) => a.checkoutId);
  const rows = await sql<{ checkout_id: string; sku_id: string; quantity: number }>`
    select o.checkout_id, l.sku_id, l.quantity from orders o join order_lines l on l.order_id = o.id
    where o.checkout_id = any(${ids}::uuid[])`.execute(db);
  for (const a of answered) {
    const got = rows.rows.filter((r) => r.checkout_id === a.checkoutId);
    const want = new Map<string, number>();
    for (const l of a.lines) want.set(l.skuId, (want.get(l.skuId) ?? 0) + l.quantity);
    expect(new Map(got.map((r) => [r.sku_id, r.quantity])), `checkout ${a.checkoutId}`).toEqual(want);
  }
}
