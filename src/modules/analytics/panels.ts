import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { MetricPanel } from './api-schema.ts';
import { FAN_SOURCES } from './rollup.ts';

/**
 * The dashboards' panels. Each panel is one query over the rollups (never over orders or events),
 * with its definition written beside it; docs/METRICS.md repeats them.
 */

/** A month as the API writes it (YYYY-MM) and as the rollups key it (its first day). */
const firstDay = (month: string) => `${month}-01`;

/** The months a panel reads: the series and the comparison bases (a month and a year before). */
export interface PanelWindow {
  month: string;
  series: string[];
  previous: string;
  lastYear: string;
  /** The oldest month any of the above needs. */
  from: string;
}

export interface PanelSources {
  coldStartCoverage(
    firstMonth: string,
    lastMonth: string,
  ): Promise<Array<{ month: string; stores: number; covered: number }>>;
  storeTraffic(
    storeId: string,
    firstMonth: string,
    lastMonth: string,
  ): Promise<Array<{ month: string; source: string; impressions: number; clicks: number; orders: number }>>;
  /** The fan-growth plan (social), absent until the social module offers it. */
  fanPlans: FanPlanSource | null;
}

export interface FanPlanSource {
  planStores(): Promise<
    Array<{ storeId: string; startedOn: string; startFans: number; targetFans: number; endsOn: string }>
  >;
  fanCountsOn(storeIds: string[], day: string): Promise<Map<string, number>>;
}

interface PanelContext {
  db: Db;
  window: PanelWindow;
  storeId: string | null;
  sources: PanelSources;
  /** Today's business date: the current month's figures are to date. */
  today: string;
}

type Breakdown = MetricPanel['breakdown'];

interface Figures {
  /** The figure per month (YYYY-MM) that has one; a month without is 0 in the series. */
  values: Map<string, number>;
  breakdown?: Breakdown;
}

export interface PanelSpec {
  id: string;
  unit: MetricPanel['unit'];
  /** What the breakdown rows count; `count` when left out. */
  breakdownUnit?: MetricPanel['breakdownUnit'];
  definition: string;
  figures(ctx: PanelContext): Promise<Figures>;
}

/** The size reasons, shown apart in the refund breakdowns. */
const SIZE_REASONS = new Set(['size_too_small', 'size_too_large']);

const num = (v: unknown) => Number(v ?? 0);
const monthKey = (d: unknown) => String(d).slice(0, 7);

/** The platform's rollup by month over the window (one indexed range read of ≤ 25 rows). */
async function platformMonths(ctx: PanelContext) {
  const { rows } = await sql<Record<string, string>>`
    select to_char(month, 'YYYY-MM') as month, paid_orders, gmv_fen, active_buyers, selling_products, buyer_categories,
           selling_merchants, newly_selling_merchants, merchants_over_2m, refunds
    from analytics_platform_month
    where month >= ${firstDay(ctx.window.from)}::date and month <= ${firstDay(ctx.window.month)}::date`.execute(
    ctx.db,
  );
  return rows;
}

/** A store's rollup by month over the window. */
async function storeMonths(ctx: PanelContext) {
  const { rows } = await sql<Record<string, string>>`
    select to_char(month, 'YYYY-MM') as month, paid_orders, gmv_fen, buyers, refunds, refund_fen, follows, unfollows
    from analytics_store_months
    where store_id = ${ctx.storeId} and month >= ${firstDay(ctx.window.from)}::date
      and month <= ${firstDay(ctx.window.month)}::date`.execute(ctx.db);
  return rows;
}

/** A column of the platform's monthly rollup, as a panel. */
function platformColumn(
  id: string,
  unit: MetricPanel['unit'],
  column: string,
  definition: string,
): PanelSpec {
  return {
    id,
    unit,
    definition,
    figures: async (ctx) => ({
      values: new Map((await platformMonths(ctx)).map((r) => [r.month as string, num(r[column])])),
    }),
  };
}

/** Breakdown rows with their share of the total. */
function shares(rows: Array<{ key: string; value: number; group?: string | null }>): Breakdown {
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  return rows.map((r) => ({
    key: r.key,
    value: r.value,
    share: total > 0 ? r.value / total : null,
    group: r.group ?? null,
  }));
}

const refundBreakdown = (rows: Array<{ reason: string; refunds: string }>) =>
  shares(
    rows.map((r) => ({
      key: r.reason,
      value: num(r.refunds),
      group: SIZE_REASONS.has(r.reason) ? 'size' : null,
    })),
  );

const ACTIVE_BUYERS =
  'Distinct buyers with at least one order paid in the month (business month, Asia/Shanghai); analytics_month_buyers.';
const ORDERS =
  'Orders paid in the month (an order counts once, in the month of its payment, whatever happens after).';
const GMV =
  'What buyers paid for the orders paid in the month, in fen, after discounts, before refunds (refunds are their own panel).';
const MERCHANTS = 'Stores with at least one order paid in the month (selling merchants).';
const NEWLY_SELLING =
  "Stores whose first paid order was in the month (新动销商家): the month of a store's first paid order, counted once.";
const OVER_2M = 'Stores whose GMV of orders paid in the month reached ¥2,000,000 (200,000,000 fen).';
const SELLING_PRODUCTS = 'Distinct products on at least one order paid in the month (动销商品).';
const SUBCATEGORIES =
  'Distinct sub-categories (leaf categories) each active buyer bought in the month, averaged over the active buyers.';
const REFUND_RATE =
  'Refunds in the month (after-sale refunds and paid orders cancelled, counted when the money went back) over the orders paid in the month; broken down by reason, size reasons grouped `size`.';
const CHANNEL_SHARE =
  "Content channels' share of GMV: the share of the month's GMV bought through live rooms, short videos and replay clips, by order line attribution; broken down by every channel's GMV in fen.";
const COLD_START =
  'Of the stores with a cold-start minimum on some day of the month (new stores), the share whose impressions reached the minimum on every such day.';
const PLAN_FAN_GROWTH =
  "Fans gained by the stores in the fan-growth plan (涨粉计划) whose plan ran in the month, over their fans at enrollment: Σ(fans at the month's end or the plan's end − start) ÷ Σ start; broken down by stores that met their target and those that did not yet.";

export const PLATFORM_PANELS: PanelSpec[] = [
  platformColumn('active_buyers', 'count', 'active_buyers', ACTIVE_BUYERS),
  platformColumn('orders', 'count', 'paid_orders', ORDERS),
  platformColumn('gmv', 'fen', 'gmv_fen', GMV),
  platformColumn('merchants', 'count', 'selling_merchants', MERCHANTS),
  platformColumn('newly_selling_merchants', 'count', 'newly_selling_merchants', NEWLY_SELLING),
  platformColumn('merchants_over_2m', 'count', 'merchants_over_2m', OVER_2M),
  platformColumn('selling_products', 'count', 'selling_products', SELLING_PRODUCTS),
  {
    id: 'subcategories_per_buyer',
    unit: 'average',
    definition: SUBCATEGORIES,
    figures: async (ctx) => ({
      values: new Map(
        (await platformMonths(ctx))
          .filter((r) => num(r.active_buyers) > 0)
          .map((r) => [r.month as string, num(r.buyer_categories) / num(r.active_buyers)]),
      ),
    }),
  },
  {
    id: 'refund_rate',
    unit: 'ratio',
    definition: REFUND_RATE,
    figures: async (ctx) => {
      const [months, reasons] = await Promise.all([
        platformMonths(ctx),
        sql<{ reason: string; refunds: string }>`
          select reason, refunds from analytics_platform_month_refund_reasons
          where month = ${firstDay(ctx.window.month)}::date order by refunds desc, reason`.execute(ctx.db),
      ]);
      return {
        values: new Map(
          months
            .filter((r) => num(r.paid_orders) > 0)
            .map((r) => [r.month as string, num(r.refunds) / num(r.paid_orders)]),
        ),
        breakdown: refundBreakdown(reasons.rows),
      };
    },
  },
  {
    id: 'channel_share',
    unit: 'ratio',
    breakdownUnit: 'fen',
    definition: CHANNEL_SHARE,
    figures: async (ctx) => {
      const { rows } = await sql<{ month: string; channel: string; gmv_fen: string }>`
        select to_char(month, 'YYYY-MM') as month, channel, gmv_fen from analytics_platform_month_channels
        where month >= ${firstDay(ctx.window.from)}::date and month <= ${firstDay(ctx.window.month)}::date
        order by gmv_fen desc, channel`.execute(ctx.db);
      const byMonth = new Map<string, { content: number; total: number }>();
      for (const r of rows) {
        const m = byMonth.get(r.month) ?? { content: 0, total: 0 };
        m.total += num(r.gmv_fen);
        if (['live', 'video', 'replay'].includes(r.channel)) m.content += num(r.gmv_fen);
        byMonth.set(r.month, m);
      }
      return {
        values: new Map(
          [...byMonth].filter(([, m]) => m.total > 0).map(([month, m]) => [month, m.content / m.total]),
        ),
        breakdown: shares(
          rows
            .filter((r) => r.month === ctx.window.month)
            .map((r) => ({ key: r.channel, value: num(r.gmv_fen) })),
        ),
      };
    },
  },
  {
    id: 'cold_start_coverage',
    unit: 'ratio',
    definition: COLD_START,
    figures: async (ctx) => {
      const rows = await ctx.sources.coldStartCoverage(firstDay(ctx.window.from), firstDay(ctx.window.month));
      const current = rows.find((r) => monthKey(r.month) === ctx.window.month);
      return {
        values: new Map(
          rows.filter((r) => r.stores > 0).map((r) => [monthKey(r.month), r.covered / r.stores]),
        ),
        breakdown: current
          ? shares([
              { key: 'covered', value: current.covered },
              { key: 'not_covered', value: current.stores - current.covered },
            ])
          : [],
      };
    },
  },
  {
    id: 'plan_fan_growth',
    unit: 'ratio',
    definition: PLAN_FAN_GROWTH,
    figures: async (ctx) => planFanGrowth(ctx),
  },
];

/** The last business date of a month, or today when the month is the current one. */
function monthEnd(month: string, today: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return ([last, today].sort() as [string])[0];
}

async function planFanGrowth(ctx: PanelContext): Promise<Figures> {
  const plans = ctx.sources.fanPlans;
  if (!plans) return { values: new Map(), breakdown: [] };
  const stores = await plans.planStores();
  const values = new Map<string, number>();
  let breakdown: Breakdown = [];
  for (const month of new Set([...ctx.window.series, ctx.window.previous, ctx.window.lastYear])) {
    const start = firstDay(month);
    const end = monthEnd(month, ctx.today);
    if (end < start) continue;
    const running = stores.filter((s) => s.startedOn <= end && s.endsOn >= start);
    if (running.length === 0) continue;
    // One count per distinct day: a plan that ended in the month is measured on its last day.
    const days = new Map<string, typeof running>();
    for (const s of running) {
      const [day] = [s.endsOn, end].sort() as [string];
      days.set(day, [...(days.get(day) ?? []), s]);
    }
    let gained = 0;
    let started = 0;
    let met = 0;
    for (const [day, group] of days) {
      const counts = await plans.fanCountsOn(
        group.map((s) => s.storeId),
        day,
      );
      for (const s of group) {
        const fans = counts.get(s.storeId) ?? 0;
        gained += fans - s.startFans;
        started += s.startFans;
        if (fans >= s.targetFans) met += 1;
      }
    }
    // A plan of stores that all started from zero fans has no base: its growth is shown as fans gained.
    values.set(month, started > 0 ? gained / started : gained);
    if (month === ctx.window.month) {
      breakdown = shares([
        { key: 'target_met', value: met },
        { key: 'in_progress', value: running.length - met },
      ]);
    }
  }
  return { values, breakdown };
}

const STORE_GMV =
  'What buyers paid for my orders paid in the month, in fen, after discounts, before refunds.';
const STORE_ORDERS = 'My orders paid in the month.';
const VISITORS =
  "Feed clicks: clicks on my feed items (products, videos, lives) in the month, from the traffic module's daily rollup; buyers who came by search, a link or my store page are not counted.";
const CONVERSION =
  'Orders credited to a clicked feed impression of mine in the month, over those feed clicks (traffic module); no value in a month without clicks.';
const FANS =
  "My fans at the month's end (or today): follows less unfollows since the store opened; broken down by where the month's new fans followed from, and the month's unfollows.";
const TRAFFIC_SOURCES =
  'Impressions of my items in the feed in the month, broken down by traffic source (organic, cold start, launch, Fuyao, fan growth).';
const STORE_REFUNDS =
  'My refunds in the month (after-sale refunds and paid orders cancelled), broken down by reason, size reasons grouped `size`.';

function storeColumn(id: string, unit: MetricPanel['unit'], column: string, definition: string): PanelSpec {
  return {
    id,
    unit,
    definition,
    figures: async (ctx) => ({
      values: new Map((await storeMonths(ctx)).map((r) => [r.month as string, num(r[column])])),
    }),
  };
}

/** The store's traffic by month, both panels reading the same figures. */
async function storeTraffic(ctx: PanelContext) {
  const rows = await ctx.sources.storeTraffic(
    ctx.storeId as string,
    firstDay(ctx.window.from),
    firstDay(ctx.window.month),
  );
  const byMonth = new Map<string, { impressions: number; clicks: number; orders: number }>();
  for (const r of rows) {
    const key = monthKey(r.month);
    const m = byMonth.get(key) ?? { impressions: 0, clicks: 0, orders: 0 };
    m.impressions += r.impressions;
    m.clicks += r.clicks;
    m.orders += r.orders;
    byMonth.set(key, m);
  }
  return { rows, byMonth };
}

export const STORE_PANELS: PanelSpec[] = [
  storeColumn('gmv', 'fen', 'gmv_fen', STORE_GMV),
  storeColumn('orders', 'count', 'paid_orders', STORE_ORDERS),
  {
    id: 'visitors',
    unit: 'count',
    definition: VISITORS,
    figures: async (ctx) => {
      const { byMonth } = await storeTraffic(ctx);
      return { values: new Map([...byMonth].map(([month, m]) => [month, m.clicks])) };
    },
  },
  {
    id: 'conversion',
    unit: 'ratio',
    definition: CONVERSION,
    figures: async (ctx) => {
      const { byMonth } = await storeTraffic(ctx);
      return {
        values: new Map(
          [...byMonth].filter(([, m]) => m.clicks > 0).map(([month, m]) => [month, m.orders / m.clicks]),
        ),
      };
    },
  },
  {
    id: 'fans',
    unit: 'count',
    definition: FANS,
    figures: async (ctx) => {
      const [months, sources] = await Promise.all([
        sql<{ month: string; fans: string; unfollows: string }>`
          select to_char(month, 'YYYY-MM') as month, unfollows,
                 sum(follows - unfollows) over (order by month) as fans
          from analytics_store_months
          where store_id = ${ctx.storeId} and month <= ${firstDay(ctx.window.month)}::date
          order by month`.execute(ctx.db),
        sql<{ source: string; follows: string }>`
          select source, follows from analytics_store_month_fan_sources
          where store_id = ${ctx.storeId} and month = ${firstDay(ctx.window.month)}::date`.execute(ctx.db),
      ]);
      // A month without a row holds the fans of the month before.
      const values = new Map<string, number>();
      let next = 0;
      let fans: number | undefined;
      for (const month of allMonths(ctx.window.from, ctx.window.month)) {
        for (; next < months.rows.length && (months.rows[next]?.month as string) <= month; next += 1) {
          fans = num(months.rows[next]?.fans);
        }
        if (fans !== undefined) values.set(month, fans);
      }
      const follows = new Map(sources.rows.map((r) => [r.source, num(r.follows)]));
      const current = months.rows.find((r) => r.month === ctx.window.month);
      return {
        values,
        breakdown: [
          ...shares(FAN_SOURCES.map((s) => ({ key: s, value: follows.get(s) ?? 0 }))),
          { key: 'unfollows', value: num(current?.unfollows), share: null, group: 'unfollows' },
        ],
      };
    },
  },
  {
    id: 'traffic_sources',
    unit: 'count',
    definition: TRAFFIC_SOURCES,
    figures: async (ctx) => {
      const { rows, byMonth } = await storeTraffic(ctx);
      return {
        values: new Map([...byMonth].map(([month, m]) => [month, m.impressions])),
        breakdown: shares(
          rows
            .filter((r) => monthKey(r.month) === ctx.window.month)
            .map((r) => ({ key: r.source, value: r.impressions })),
        ),
      };
    },
  },
  {
    id: 'refunds',
    unit: 'count',
    definition: STORE_REFUNDS,
    figures: async (ctx) => {
      const [months, reasons] = await Promise.all([
        storeMonths(ctx),
        sql<{ reason: string; refunds: string }>`
          select reason, refunds from analytics_store_month_refund_reasons
          where store_id = ${ctx.storeId} and month = ${firstDay(ctx.window.month)}::date
          order by refunds desc, reason`.execute(ctx.db),
      ]);
      return {
        values: new Map(months.map((r) => [r.month as string, num(r.refunds)])),
        breakdown: refundBreakdown(reasons.rows),
      };
    },
  },
];

/** Every month from `from` to `to` (YYYY-MM), oldest first. */
export function allMonths(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let month = from; month <= to; ) {
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    month = `${y}-${String(m).padStart(2, '0')}`;
  }
  return out;
}

/** The panel's value, bases, changes and series from its figures. */
export function toPanel(spec: PanelSpec, window: PanelWindow, figures: Figures): MetricPanel {
  // A count or an amount without activity is 0; a ratio or an average without a denominator has no value.
  const missing = spec.unit === 'count' || spec.unit === 'fen' ? 0 : null;
  const value = figures.values.get(window.month) ?? missing;
  const previous = figures.values.get(window.previous) ?? missing;
  const lastYear = figures.values.get(window.lastYear) ?? missing;
  const change = (base: number | null) => (base && value !== null ? value / base - 1 : null);
  return {
    id: spec.id,
    unit: spec.unit,
    value,
    previous,
    lastYear,
    mom: change(previous),
    yoy: change(lastYear),
    series: window.series.map((month) => ({ month, value: figures.values.get(month) ?? missing })),
    breakdownUnit: spec.breakdownUnit ?? 'count',
    breakdown: figures.breakdown ?? [],
    definition: spec.definition,
  };
}
