import { describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db.ts';
import {
  allMonths,
  type FanPlanSource,
  type PanelSources,
  PLATFORM_PANELS,
  STORE_PANELS,
  toPanel,
} from './panels.ts';

const spec = (id: string, panels = PLATFORM_PANELS) => {
  const found = panels.find((p) => p.id === id);
  if (!found) throw new Error(id);
  return found;
};

/** A window ending March 2026 with three months of series. */
const window = {
  month: '2026-03',
  series: ['2026-01', '2026-02', '2026-03'],
  previous: '2026-02',
  lastYear: '2025-03',
  from: '2025-03',
};

function sources(over: Partial<PanelSources>): PanelSources {
  return {
    coldStartCoverage: async () => [],
    storeTraffic: async () => [],
    fanPlans: null,
    ...over,
  };
}

describe('panels over the other modules’ figures', () => {
  it('months run across a year end', () => {
    expect(allMonths('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('fan growth of plan stores: fans gained over fans at enrollment, measured at the month or plan end', async () => {
    const asked: Array<[string[], string]> = [];
    const plans: FanPlanSource = {
      planStores: async () => [
        // Enrolled 20 Feb with 10 fans, target 20, ends 21 March (after today).
        { storeId: 'a', startedOn: '2026-02-20', startFans: 10, targetFans: 20, endsOn: '2026-03-21' },
        // Enrolled 1 March with 4 fans (target 14: the minimum +10).
        { storeId: 'b', startedOn: '2026-03-01', startFans: 4, targetFans: 14, endsOn: '2026-03-31' },
        // Enrolled 10 January with 10 fans, ended 9 February at its target.
        { storeId: 'c', startedOn: '2026-01-10', startFans: 10, targetFans: 20, endsOn: '2026-02-09' },
      ],
      fanCountsOn: async (storeIds, day) => {
        asked.push([storeIds, day]);
        const fans: Record<string, number> = {
          '2026-01-31:c': 15,
          '2026-02-09:c': 20,
          '2026-02-28:a': 13,
          '2026-03-15:a': 16,
          '2026-03-15:b': 6,
        };
        return new Map(storeIds.map((id) => [id, fans[`${day}:${id}`] ?? 0]));
      },
    };
    const plan = spec('plan_fan_growth');
    const figures = await plan.figures({
      db: {} as Db,
      window,
      storeId: null,
      sources: sources({ fanPlans: plans }),
      today: '2026-03-15',
    });
    const panel = toPanel(plan, window, figures);
    // January: c at the month's end, (15 − 10) / 10. February: c on its plan's last day and a at the
    // month's end, (20 − 10 + 13 − 10) / 20. March to date (the 15th): a and b today, (16 − 10 + 6 − 4) / 14.
    expect(panel.series.map((p) => p.value)).toEqual([0.5, 0.65, 8 / 14]);
    expect(panel).toMatchObject({ value: 8 / 14, previous: 0.65, lastYear: null, yoy: null });
    expect(asked).toContainEqual([['c'], '2026-02-09']);
    expect(asked).toContainEqual([['a', 'b'], '2026-03-15']);
    expect(panel.breakdown).toEqual([
      { key: 'target_met', value: 0, share: 0, group: null },
      { key: 'in_progress', value: 2, share: 1, group: null },
    ]);
  });

  it('no fan plan source: the panel is empty, not an error', async () => {
    const plan = spec('plan_fan_growth');
    const figures = await plan.figures({
      db: {} as Db,
      window,
      storeId: null,
      sources: sources({}),
      today: '2026-03-15',
    });
    expect(toPanel(plan, window, figures)).toMatchObject({ value: null, previous: null, breakdown: [] });
  });

  it('cold-start coverage and the store traffic panels from the traffic figures', async () => {
    const traffic = sources({
      coldStartCoverage: async () => [
        { month: '2026-02-01', stores: 4, covered: 3 },
        { month: '2026-03-01', stores: 5, covered: 5 },
      ],
      storeTraffic: async () => [
        { month: '2026-02-01', source: 'organic', impressions: 1000, clicks: 50, orders: 5 },
        { month: '2026-03-01', source: 'organic', impressions: 600, clicks: 40, orders: 2 },
        { month: '2026-03-01', source: 'cold_start', impressions: 400, clicks: 60, orders: 8 },
      ],
    });
    const ctx = { db: {} as Db, window, storeId: 's', sources: traffic, today: '2026-03-15' };
    const coverage = toPanel(
      spec('cold_start_coverage'),
      window,
      await spec('cold_start_coverage').figures(ctx),
    );
    expect(coverage).toMatchObject({ value: 1, previous: 0.75, lastYear: null, yoy: null });
    expect(coverage.mom).toBeCloseTo(1 / 0.75 - 1);
    expect(coverage.breakdown.map((r) => [r.key, r.value])).toEqual([
      ['covered', 5],
      ['not_covered', 0],
    ]);
    const visitors = spec('visitors', STORE_PANELS);
    expect(toPanel(visitors, window, await visitors.figures(ctx))).toMatchObject({
      value: 100,
      previous: 50,
      mom: 1,
    });
    const conversion = spec('conversion', STORE_PANELS);
    expect(toPanel(conversion, window, await conversion.figures(ctx))).toMatchObject({
      value: 0.1,
      previous: 0.1,
      mom: 0,
    });
    // A month without feed clicks has no conversion (shown "—"), not 0 %, even with orders.
    const noClicks = {
      ...ctx,
      sources: sources({
        storeTraffic: async () => [
          { month: '2026-02-01', source: 'organic', impressions: 10, clicks: 0, orders: 1 },
        ],
      }),
    };
    expect(toPanel(conversion, window, await conversion.figures(noClicks))).toMatchObject({
      value: null,
      previous: null,
      mom: null,
      series: [
        { month: '2026-01', value: null },
        { month: '2026-02', value: null },
        { month: '2026-03', value: null },
      ],
    });
    const sourcesPanel = spec('traffic_sources', STORE_PANELS);
    const bySource = toPanel(sourcesPanel, window, await sourcesPanel.figures(ctx));
    expect(bySource).toMatchObject({ value: 1000, previous: 1000, mom: 0, lastYear: 0, yoy: null });
    expect(bySource.breakdown).toEqual([
      { key: 'organic', value: 600, share: 0.6, group: null },
      { key: 'cold_start', value: 400, share: 0.4, group: null },
    ]);
  });
});
