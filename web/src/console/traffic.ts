/**
 * What both consoles say about traffic: the sources an impression is credited to (the engine's
 * TRAFFIC_SOURCES), their colours in every chart, the sums the pages draw from the API's rows
 * (one row per day and source), and small formatters.
 */
export const SOURCES = ['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth'] as const;
export type Source = (typeof SOURCES)[number];
/** The plans (paced contracts): every source but organic ranking. */
export const PLANS = ['cold_start', 'launch', 'fuyao', 'fan_growth'] as const;
export type Plan = (typeof PLANS)[number];

export const SOURCE_COLORS: Record<Source, string> = {
  organic: '#8c8c8c',
  cold_start: '#1677ff',
  launch: '#ff4d00',
  fuyao: '#722ed1',
  fan_growth: '#13c2c2',
};

/** A row of traffic as the API answers it: one day, one source. */
export interface SourceRow {
  day: string;
  source: Source;
  impressions: number;
  clicks: number;
  orders: number;
  gmvFen: number;
}

/** Impressions per source on each of `days` (in their order); a quiet day or source is 0. */
export function impressionsPerDay(
  days: readonly string[],
  rows: readonly SourceRow[],
): Array<{ day: string; impressions: Record<Source, number> }> {
  const at = new Map(days.map((day) => [day, zeros()]));
  for (const r of rows) {
    const d = at.get(r.day);
    if (d) d[r.source] += r.impressions;
  }
  return days.map((day) => ({ day, impressions: at.get(day) as Record<Source, number> }));
}

export interface SourceTotals {
  source: Source;
  impressions: number;
  clicks: number;
  orders: number;
  gmvFen: number;
}

/** The rows summed per source, every source in SOURCES order (0 where it brought nothing). */
export function totalsBySource(rows: readonly SourceRow[]): SourceTotals[] {
  const totals = new Map<Source, SourceTotals>(
    SOURCES.map((source) => [source, { source, impressions: 0, clicks: 0, orders: 0, gmvFen: 0 }]),
  );
  for (const r of rows) {
    const t = totals.get(r.source);
    if (!t) continue;
    t.impressions += r.impressions;
    t.clicks += r.clicks;
    t.orders += r.orders;
    t.gmvFen += r.gmvFen;
  }
  return SOURCES.map((s) => totals.get(s) as SourceTotals);
}

function zeros(): Record<Source, number> {
  return { organic: 0, cold_start: 0, launch: 0, fuyao: 0, fan_growth: 0 };
}

/** Clicks per impression as a percentage with two decimals ("—" without impressions). */
export const ctrText = (clicks: number, impressions: number) =>
  impressions > 0 ? `${((clicks / impressions) * 100).toFixed(2)}%` : '—';

/** A share 0–1 as a percentage with one decimal ("—" when unknown). */
export const shareText = (share: number | null | undefined) =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(1)}%`;

/** Basis points as a percentage: 250 → "2.50%", 1500 → "15.00%". */
export const bpsText = (bps: number | null | undefined) =>
  bps === null || bps === undefined || !Number.isFinite(bps) ? '—' : `${(bps / 100).toFixed(2)}%`;

/** 12345 → "12,345" (thousands grouped the same in both languages). */
export const countText = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');

/** Part of a whole as a whole percentage for a progress bar, 0–100 (0 when there is no whole). */
export const percentOf = (part: number, whole: number) =>
  whole > 0 ? Math.max(0, Math.min(100, Math.round((part / whole) * 100))) : 0;
