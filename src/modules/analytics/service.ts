import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Dashboard, MetricsQuery } from './api-schema.ts';
import {
  type FanFact,
  ingestFanFacts,
  ingestOrderFacts,
  ingestRefundFacts,
  type OrderFact,
  type RefundFact,
  rebuildRollups,
} from './rollup.ts';

export interface AnalyticsDeps {
  db: Db;
  clock: Clock;
}

/** How many facts one statement takes (the bulk paths split longer lists). */
const BATCH = 5_000;

/** Months ending with `month` (YYYY-MM), oldest first. */
function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

export class AnalyticsService {
  constructor(readonly deps: AnalyticsDeps) {}

  /**
   * Paid orders (with their refunds) into the facts and every rollup, in set-based statements of up to
   * 5,000 orders, each batch in one transaction: the path the order subscribers take, for the history
   * seed and the benchmark. Facts already known are skipped. Returns how many orders were new.
   */
  async ingestOrders(facts: OrderFact[]): Promise<{ orders: number }> {
    let orders = 0;
    for (const batch of chunks(facts, BATCH)) {
      orders += await this.deps.db.transaction().execute((trx) => ingestOrderFacts(trx, batch));
    }
    return { orders };
  }

  /** Refunds into the facts and rollups (the refund subscribers' path). Returns how many were new. */
  async ingestRefunds(facts: RefundFact[]): Promise<{ refunds: number }> {
    let refunds = 0;
    for (const batch of chunks(facts, BATCH)) refunds += await ingestRefundFacts(this.deps.db, batch);
    return { refunds };
  }

  /** Follows and unfollows into the facts and rollups (the fan subscribers' path). Returns how many were new. */
  async ingestFanEvents(facts: FanFact[]): Promise<{ events: number }> {
    let events = 0;
    for (const batch of chunks(facts, BATCH)) events += await ingestFanFacts(this.deps.db, batch);
    return { events };
  }

  /** Recomputes every rollup from the facts (after a bulk load out of order; both paths agree). */
  rebuildRollups(): Promise<void> {
    return rebuildRollups(this.deps.db);
  }

  // FOUNDATION: the panels come next (issue 15); until then a dashboard has none.
  async platformDashboard(query: MetricsQuery): Promise<Dashboard> {
    return this.empty('platform', query);
  }

  async storeDashboard(_storeId: string, query: MetricsQuery): Promise<Dashboard> {
    return this.empty('store', query);
  }

  private empty(scope: Dashboard['scope'], query: MetricsQuery): Dashboard {
    const now = this.deps.clock.now();
    const month = query.month ?? now.toISOString().slice(0, 7);
    return {
      scope,
      month,
      months: monthsEnding(month, query.months),
      generatedAt: now.toISOString(),
      panels: [],
    };
  }
}
