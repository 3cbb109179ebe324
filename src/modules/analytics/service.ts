import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Dashboard, MetricsQuery } from './api-schema.ts';

export interface AnalyticsDeps {
  db: Db;
  clock: Clock;
}

/** Months ending with `month` (YYYY-MM), oldest first. */
function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export class AnalyticsService {
  constructor(readonly deps: AnalyticsDeps) {}

  // FOUNDATION: the panels come with the rollups (issue 15); until then a dashboard has none.
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
