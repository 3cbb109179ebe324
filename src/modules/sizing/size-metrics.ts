import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { SizeMetrics } from './api-schema.ts';
import { anonymousRecommendations } from './recommendation-tally.ts';
import { type DailySizeMetrics, dailySizeMetrics } from './store-facts.ts';

const DAY_MS = 86_400_000;

export type { SizeMetrics };

const rate = (num: number, den: number) => (den > 0 ? num / den : null);

/** Operator metrics of the size assistant over the last `days` days up to `now`. */
export async function sizeMetrics(db: Db, now: Date, days: number): Promise<SizeMetrics> {
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const from = new Date(to.getTime() - days * DAY_MS);
  const daily = await dailySizeMetrics(db, from, to);
  const sum = (f: (d: DailySizeMetrics) => number) => daily.reduce((s, d) => s + f(d), 0);
  const lines = sum((d) => d.lines);
  const withRec = sum((d) => d.withRecommendation);
  const refundsWith = sum((d) => d.sizeRefundsWith);
  const refundsWithout = sum((d) => d.sizeRefundsWithout);
  const shown = await sql<{ n: number }>`
    select count(*)::int as n from size_recommendations where created_at >= ${from} and created_at < ${to}`.execute(
    db,
  );
  const outcomes = await sql<{ fit: 'small' | 'fit' | 'large'; n: number }>`
    select fit, count(*)::int as n from size_fit_outcomes where created_at >= ${from} and created_at < ${to}
    group by fit`.execute(db);
  const fitOutcomes = { small: 0, fit: 0, large: 0 };
  for (const r of outcomes.rows) fitOutcomes[r.fit] = r.n;
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
    recommendationsShown: (shown.rows[0]?.n ?? 0) + (await anonymousRecommendations(db, from, to)),
    fitOutcomes,
    daily: daily.map((d) => ({
      ...d,
      recommendationShare: rate(d.withRecommendation, d.lines),
      refundRateWith: rate(d.sizeRefundsWith, d.withRecommendation),
      refundRateWithout: rate(d.sizeRefundsWithout, d.lines - d.withRecommendation),
    })),
  };
}
