import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { PurchasedLine } from '../orders/index.ts';
import { SETTLED_DAYS, sizeMetrics } from './size-metrics.ts';

const DAY = 86_400_000;

/**
 * The ops size metrics keep settled days: a period of a year reads its old days from
 * size_metrics_days and computes only the last SETTLED_DAYS days from orders, a week at a time.
 */
describe('size metrics over settled and recent days', () => {
  let t: TestApp;
  const now = new Date('2026-06-15T12:00:00Z');
  const product = '00000000-0000-4000-8000-000000000001';
  // One apparel line a day for the last 100 days.
  const lines: PurchasedLine[] = Array.from({ length: 100 }, (_, i) => ({
    orderId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    skuId: '00000000-0000-4000-9000-000000000001',
    productId: product,
    buyerId: '00000000-0000-4000-a000-000000000001',
    orderedAt: new Date(now.getTime() - i * DAY),
  }));
  const asked: Array<[Date, Date]> = [];
  const sources = {
    apparelProductIds: async (ids: string[]) => new Set(ids),
    purchasedLines: async (from: Date, to: Date) => {
      asked.push([from, to]);
      return lines.filter((l) => l.orderedAt >= from && l.orderedAt < to);
    },
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('computes settled days once, recent days every time, never more than a week at once', async () => {
    const first = await sizeMetrics(t.db, sources, now, 365);
    expect(first.apparelLines).toBe(100);
    expect(first.daily).toHaveLength(100);
    expect(asked.every(([from, to]) => to.getTime() - from.getTime() <= 7 * DAY)).toBe(true);
    const kept = await sql<{ n: number }>`select count(*)::int as n from size_metrics_days`.execute(t.db);
    expect(kept.rows[0]?.n).toBe(365 - SETTLED_DAYS - 1);

    asked.length = 0;
    const again = await sizeMetrics(t.db, sources, now, 365);
    expect(again).toEqual(first);
    const oldest = Math.min(...asked.map(([from]) => from.getTime()));
    expect(oldest).toBe(Date.parse('2026-06-16T00:00:00Z') - (SETTLED_DAYS + 1) * DAY);
  });

  it('reads a settled day from its row, not from the orders', async () => {
    const day = new Date(now.getTime() - 60 * DAY).toISOString().slice(0, 10);
    await sql`update size_metrics_days set lines = 5 where day = ${day}::date`.execute(t.db);
    expect((await sizeMetrics(t.db, sources, now, 365)).apparelLines).toBe(104);
  });
});
