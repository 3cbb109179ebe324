import { businessDate } from '../../platform/business-day.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { type AnySubscriber, subscriber } from '../../platform/events.ts';
import type { PaidOrderFacts } from '../orders/index.ts';
import type { Dashboard, MetricPanel, MetricsQuery } from './api-schema.ts';
import {
  allMonths,
  type PanelSources,
  type PanelSpec,
  type PanelWindow,
  PLATFORM_PANELS,
  STORE_PANELS,
  toPanel,
} from './panels.ts';
import {
  type FanFact,
  ingestFanFacts,
  ingestOrderFacts,
  ingestRefundFacts,
  type OrderFact,
  type RefundFact,
  rebuildRollups,
} from './rollup.ts';

/** What analytics reads from the modules that own orders, products, traffic and fans. */
export interface AnalyticsSources extends PanelSources {
  paidOrders(orderIds: string[]): Promise<PaidOrderFacts[]>;
  productCategories(productIds: string[]): Promise<Map<string, string>>;
}

export interface AnalyticsDeps {
  db: Db;
  clock: Clock;
  sources: AnalyticsSources;
}

export type PanelScope = Dashboard['scope'];

/** How many facts one statement takes (the bulk paths split longer lists). */
const BATCH = 5_000;

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** The month `count` months after `month` (YYYY-MM; negative goes back). */
function addMonths(month: string, count: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + count, 1)).toISOString().slice(0, 7);
}

export class AnalyticsService {
  constructor(readonly deps: AnalyticsDeps) {}

  /**
   * Paid orders (with their refunds) into the facts and every rollup, in set-based statements of up to
   * 5,000 orders, each batch in one transaction: the path the order subscriber takes, for the history
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

  /** Paid orders as facts: the orders module's read of them, with each product's category. */
  private async paidOrderFacts(orderIds: string[]): Promise<OrderFact[]> {
    const { sources } = this.deps;
    const orders = await sources.paidOrders(orderIds);
    const categories = await sources.productCategories(
      orders.flatMap((o) => o.lines.map((l) => l.productId)),
    );
    return orders.map((o) => ({
      ...o,
      lines: o.lines.map((l) => ({ ...l, categoryId: categories.get(l.productId) ?? 'unknown' })),
    }));
  }

  /** The events that feed the facts; each one is idempotent through its fact's key. */
  subscribers(): AnySubscriber[] {
    return [
      subscriber('analytics.count-paid-orders', 'order.paid', async (e) => {
        await this.ingestOrders(await this.paidOrderFacts([e.orderId]));
      }),
      subscriber('analytics.count-cancellations', 'order.cancelled', async (e) => {
        if (!e.wasPaid) return;
        // The event has no instant: a cancellation counts when it is heard (delivery follows the commit).
        await this.ingestRefunds([
          {
            key: `cancelled:${e.orderId}`,
            orderId: e.orderId,
            storeId: e.storeId,
            reason: 'order_cancelled',
            amountFen: e.lines.reduce((sum, l) => sum + l.amountFen, 0),
            wholeOrder: true,
            at: this.deps.clock.now(),
          },
        ]);
      }),
      subscriber('analytics.count-refunds', 'aftersale.refunded', async (e) => {
        await this.ingestRefunds([
          {
            key: `aftersale:${e.requestId}`,
            orderId: e.orderId,
            storeId: e.storeId,
            reason: e.reason,
            amountFen: e.amountFen,
            at: e.at,
          },
        ]);
      }),
      subscriber('analytics.count-follows', 'fan.followed', async (e) => {
        await this.ingestFanEvents([{ ...e, kind: 'follow' }]);
      }),
      subscriber('analytics.count-unfollows', 'fan.unfollowed', async (e) => {
        await this.ingestFanEvents([{ ...e, kind: 'unfollow', source: null }]);
      }),
    ];
  }

  platformDashboard(query: MetricsQuery): Promise<Dashboard> {
    return this.dashboard('platform', null, query);
  }

  storeDashboard(storeId: string, query: MetricsQuery): Promise<Dashboard> {
    return this.dashboard('store', storeId, query);
  }

  /** One panel and how long it took (the benchmark times each panel through it). */
  async panel(
    scope: PanelScope,
    id: string,
    storeId: string | null,
    query: MetricsQuery,
  ): Promise<{ panel: MetricPanel; ms: number }> {
    const spec = (scope === 'platform' ? PLATFORM_PANELS : STORE_PANELS).find((p) => p.id === id);
    if (!spec) throw notFound('Panel');
    const started = performance.now();
    const panel = await this.compute(spec, this.window(query), storeId);
    return { panel, ms: performance.now() - started };
  }

  private async dashboard(
    scope: PanelScope,
    storeId: string | null,
    query: MetricsQuery,
  ): Promise<Dashboard> {
    const window = this.window(query);
    const specs = scope === 'platform' ? PLATFORM_PANELS : STORE_PANELS;
    return {
      scope,
      month: window.month,
      months: window.series,
      generatedAt: this.deps.clock.now().toISOString(),
      panels: await Promise.all(specs.map((spec) => this.compute(spec, window, storeId))),
    };
  }

  private async compute(spec: PanelSpec, window: PanelWindow, storeId: string | null): Promise<MetricPanel> {
    const { db, sources, clock } = this.deps;
    const figures = await spec.figures({ db, window, storeId, sources, today: businessDate(clock.now()) });
    return toPanel(spec, window, figures);
  }

  /** The months a dashboard shows (business months, Asia/Shanghai), ending with the asked one or this one. */
  private window(query: MetricsQuery): PanelWindow {
    const month = query.month ?? businessDate(this.deps.clock.now()).slice(0, 7);
    const first = addMonths(month, 1 - query.months);
    const lastYear = addMonths(month, -12);
    return {
      month,
      series: allMonths(first, month),
      previous: addMonths(month, -1),
      lastYear,
      from: ([lastYear, first].sort() as [string])[0],
    };
  }
}
