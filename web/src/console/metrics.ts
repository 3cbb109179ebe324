/**
 * Pure helpers of the dashboards (ops platform figures, merchant business figures): how a panel's
 * value and change read, which way is good, and how a breakdown is grouped.
 */
import type { ResponseOf } from '../api.ts';
import { formatFen } from '../money.ts';

export type Dashboard = ResponseOf<'/ops/metrics', 'get'>;
export type MetricPanel = Dashboard['panels'][number];
export type BreakdownRow = MetricPanel['breakdown'][number];
export type Unit = MetricPanel['unit'];

/** Figures that are better when they fall: their rise is drawn red. */
const LOWER_IS_BETTER = new Set(['refund_rate', 'refunds']);

/** Breakdowns of shares of one whole (a pie reads them best); the others are bars. */
const PIE_PANELS = new Set(['channel_share', 'traffic_sources']);

/** A panel's value in its unit: fen as yuan, ratios as percent, averages with two decimals. */
export function valueText(unit: Unit, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'fen') return formatFen(value);
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'average') return value.toFixed(2);
  return Math.round(value).toLocaleString('en-US');
}

/** A breakdown row's figure on a chart, in the panel's breakdown unit: yuan for money, counts as they come. */
export function breakdownValue(unit: MetricPanel['breakdownUnit'], value: number): number {
  return unit === 'fen' ? Math.round(value) / 100 : value;
}

/** The unit a chart axis shows: yuan for fen (ECharts draws numbers), percent for ratios; null is a gap. */
export function chartValue(unit: Unit, value: number | null): number | null {
  if (value === null) return null;
  if (unit === 'fen') return Math.round(value) / 100;
  if (unit === 'ratio') return Math.round(value * 10_000) / 100;
  return value;
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

/** Which way a change went (`none`: no base to compare with). */
export function trendOf(change: number | null | undefined): Trend {
  if (change === null || change === undefined || !Number.isFinite(change)) return 'none';
  if (Math.abs(change) < 0.0005) return 'flat';
  return change > 0 ? 'up' : 'down';
}

/** A change as text: `+12.3%`, `-4.0%`, `0.0%`, or `—` without a base. */
export function changeText(change: number | null | undefined): string {
  const trend = trendOf(change);
  if (trend === 'none') return '—';
  const pct = (change as number) * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** Whether a change is good news for this figure (refunds rising is not). */
export function changeTone(panelId: string, change: number | null | undefined): 'good' | 'bad' | 'neutral' {
  const trend = trendOf(change);
  if (trend === 'none' || trend === 'flat') return 'neutral';
  const rising = trend === 'up';
  return rising !== LOWER_IS_BETTER.has(panelId) ? 'good' : 'bad';
}

export const TONE_COLORS = { good: '#389e0d', bad: '#cf1322', neutral: '#8c8c8c' } as const;

export function breakdownChart(panelId: string): 'pie' | 'bar' {
  return PIE_PANELS.has(panelId) ? 'pie' : 'bar';
}

/**
 * A breakdown in groups: ungrouped rows each on their own, grouped rows (the size refund reasons)
 * together after a subtotal, so size reasons read apart from the others. Largest first within each.
 */
export function groupedBreakdown(
  rows: BreakdownRow[],
): Array<{ group: string | null; rows: BreakdownRow[]; total: number; share: number | null }> {
  const groups = new Map<string | null, BreakdownRow[]>();
  for (const r of [...rows].sort((a, b) => b.value - a.value)) {
    const list = groups.get(r.group) ?? [];
    list.push(r);
    groups.set(r.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)))
    .map(([group, list]) => ({
      group,
      rows: list,
      total: list.reduce((s, r) => s + r.value, 0),
      share: list.every((r) => r.share !== null) ? list.reduce((s, r) => s + (r.share ?? 0), 0) : null,
    }));
}

/** Whether a panel has anything to draw: a non-zero point in its series or its breakdown. */
export function panelHasData(panel: MetricPanel): boolean {
  return (
    (panel.value ?? 0) !== 0 ||
    panel.series.some((p) => (p.value ?? 0) !== 0) ||
    panel.breakdown.some((r) => r.value !== 0)
  );
}

/** This month and the 24 before it, newest first (the month picker's choices), from a `YYYY-MM`. */
export function monthChoices(current: string, count = 25): string[] {
  const [y, m] = current.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7),
  );
}
