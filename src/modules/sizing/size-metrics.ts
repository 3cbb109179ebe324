import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { SizeMetrics } from './api-schema.ts';
import { anonymousRecommendations } from './recommendation-tally.ts';
import { type DailySizeMetrics, dailySizeMetrics, type StoreFactSources } from './store-facts.ts';

const DAY_MS = 86_400_000;
/**
 * A day is settled (its figures kept in size_metrics_days and never computed again) once it ended this
 * many days ago: longer than an order takes to be delivered and its return window to close.
 */
export const SETTLED_DAYS = 30;
/** Days computed together: bounds the order lines held at once, whatever the period asked for. */
const CHUNK_DAYS = 7;

export type { SizeMetrics };

type Sources = Pick<StoreFactSources, 'apparelProductIds' | 'purchasedLines'>;

interface DayFigures extends DailySizeMetrics {
  shown: number;
  fit: { small: number; fit: number; large: number };
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Every day of [from, to) (UTC midnights) with its figures, zero on quiet days; four queries. */
async function computeDays(db: Db, sources: Sources, from: Date, to: Date): Promise<DayFigures[]> {
  const daily = new Map((await dailySizeMetrics(db, sources, from, to)).map((d) => [d.day, d]));
  const shown = await sql<{ day: string; n: number }>`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
    from size_recommendations where created_at >= ${from} and created_at < ${to} group by 1`.execute(db);
  const outcomes = await sql<{ day: string; fit: 'small' | 'fit' | 'large'; n: number }>`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, fit, count(*)::int as n
    from size_fit_outcomes where created_at >= ${from} and created_at < ${to} group by 1, 2`.execute(db);
  const shownByDay = new Map(shown.rows.map((r) => [r.day, r.n]));
  const days: DayFigures[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) {
    const day = dayOf(new Date(t));
    const d = daily.get(day);
    days.push({
      day,
      lines: d?.lines ?? 0,
      withRecommendation: d?.withRecommendation ?? 0,
      sizeRefundsWith: d?.sizeRefundsWith ?? 0,
      sizeRefundsWithout: d?.sizeRefundsWithout ?? 0,
      shown: shownByDay.get(day) ?? 0,
      fit: { small: 0, fit: 0, large: 0 },
    });
  }
  const byDay = new Map(days.map((d) => [d.day, d]));
  for (const o of outcomes.rows) {
    const d = byDay.get(o.day);
    if (d) d.fit[o.fit] = o.n;
  }
  return days;
}

/** The figures of [from, to), a chunk of days at a time. */
async function computeInChunks(db: Db, sources: Sources, from: Date, to: Date): Promise<DayFigures[]> {
  const out: DayFigures[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += CHUNK_DAYS * DAY_MS) {
    const end = new Date(Math.min(t + CHUNK_DAYS * DAY_MS, to.getTime()));
    out.push(...(await computeDays(db, sources, new Date(t), end)));
  }
  return out;
}

/**
 * The settled days of [from, to): read from size_metrics_days, the missing ones computed and kept
 * (two requests computing the same day at once keep the first: the figures are the same).
 */
async function settledDays(db: Db, sources: Sources, from: Date, to: Date): Promise<DayFigures[]> {
  if (from >= to) return [];
  const kept = await sql<{
    day: string;
    lines: number;
    with_recommendation: number;
    size_refunds_with: number;
    size_refunds_without: number;
    recommendations_shown: number;
    fit_small: number;
    fit_fit: number;
    fit_large: number;
  }>`select to_char(day, 'YYYY-MM-DD') as day, lines, with_recommendation, size_refunds_with,
      size_refunds_without, recommendations_shown, fit_small, fit_fit, fit_large
    from size_metrics_days where day >= ${dayOf(from)}::date and day < ${dayOf(to)}::date`.execute(db);
  const days = new Map<string, DayFigures>(
    kept.rows.map((r) => [
      r.day,
      {
        day: r.day,
        lines: r.lines,
        withRecommendation: r.with_recommendation,
        sizeRefundsWith: r.size_refunds_with,
        sizeRefundsWithout: r.size_refunds_without,
        shown: r.recommendations_shown,
        fit: { small: r.fit_small, fit: r.fit_fit, large: r.fit_large },
      },
    ]),
  );
  // Missing days in runs, so a first request over a long period computes each run a chunk at a time.
  let runStart: number | null = null;
  const runs: Array<[number, number]> = [];
  for (let t = from.getTime(); t <= to.getTime(); t += DAY_MS) {
    const missing = t < to.getTime() && !days.has(dayOf(new Date(t)));
    if (missing && runStart === null) runStart = t;
    if (!missing && runStart !== null) {
      runs.push([runStart, t]);
      runStart = null;
    }
  }
  for (const [start, end] of runs) {
    const computed = await computeInChunks(db, sources, new Date(start), new Date(end));
    await sql`insert into size_metrics_days (day, lines, with_recommendation, size_refunds_with,
        size_refunds_without, recommendations_shown, fit_small, fit_fit, fit_large)
      select * from unnest(${computed.map((d) => d.day)}::date[], ${computed.map((d) => d.lines)}::int[],
        ${computed.map((d) => d.withRecommendation)}::int[], ${computed.map((d) => d.sizeRefundsWith)}::int[],
        ${computed.map((d) => d.sizeRefundsWithout)}::int[], ${computed.map((d) => d.shown)}::int[],
        ${computed.map((d) => d.fit.small)}::int[], ${computed.map((d) => d.fit.fit)}::int[],
        ${computed.map((d) => d.fit.large)}::int[])
      on conflict (day) do nothing`.execute(db);
    for (const d of computed) days.set(d.day, d);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Operator metrics of the size assistant over the last `days` days up to `now`. Settled days come
 * from size_metrics_days; only the last SETTLED_DAYS days are computed from orders per request.
 */
export async function sizeMetrics(db: Db, sources: Sources, now: Date, days: number): Promise<SizeMetrics> {
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const from = new Date(to.getTime() - days * DAY_MS);
  const settledEnd = new Date(Math.max(from.getTime(), to.getTime() - (SETTLED_DAYS + 1) * DAY_MS));
  const all = [
    ...(await settledDays(db, sources, from, settledEnd)),
    ...(await computeInChunks(db, sources, settledEnd, to)),
  ];
  const sum = (f: (d: DayFigures) => number) => all.reduce((s, d) => s + f(d), 0);
  const lines = sum((d) => d.lines);
  const withRec = sum((d) => d.withRecommendation);
  const refundsWith = sum((d) => d.sizeRefundsWith);
  const refundsWithout = sum((d) => d.sizeRefundsWithout);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    days,
    apparelLines: lines,
    linesWithRecommendation: withRec,
    recommendationShare: rate(withRec, lines),
    sizeRefundRate: {
      withRecommendation: rate(refundsWith, withRec),
      withoutRecommendation: rate(refundsWithout, lines - withRec),
    },
    sizeRefunds: { withRecommendation: refundsWith, withoutRecommendation: refundsWithout },
    recommendationsShown: sum((d) => d.shown) + (await anonymousRecommendations(db, from, to)),
    fitOutcomes: {
      small: sum((d) => d.fit.small),
      fit: sum((d) => d.fit.fit),
      large: sum((d) => d.fit.large),
    },
    // the days with apparel lines, as before
    daily: all
      .filter((d) => d.lines > 0)
      .map(({ shown: _shown, fit: _fit, ...d }) => ({
        ...d,
        recommendationShare: rate(d.withRecommendation, d.lines),
        refundRateWith: rate(d.sizeRefundsWith, d.withRecommendation),
        refundRateWithout: rate(d.sizeRefundsWithout, d.lines - d.withRecommendation),
      })),
  };
}
