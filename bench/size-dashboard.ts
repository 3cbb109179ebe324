import os from 'node:os';
import { sql } from 'kysely';
import { sizeMetrics } from '../src/modules/sizing/size-metrics.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { seedDemoData } from '../src/seed/seed.ts';

/**
 * `SEED=42 npx tsx bench/size-dashboard.ts`: seeds the demo data into a fresh in-memory database and
 * prints what the size dashboards headline (ops size metrics over 30 days) and how fit feedback
 * relates to what was sold. One JSON object.
 */
const seed = Number(process.env.SEED ?? 42);
const database = await openDatabase({});
try {
  await migrate(database.db);
  await seedDemoData(database.db, { ...loadConfig({}), seed, dataDir: os.tmpdir() }, { progress: false });
  const m = await sizeMetrics(database.db, new Date(), 30);
  const one = async (query: string) =>
    (await sql.raw<Record<string, number>>(query).execute(database.db)).rows[0];
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  console.log(
    JSON.stringify({
      seed,
      apparelLines: m.apparelLines,
      linesWithRecommendation: m.linesWithRecommendation,
      sizeRefunds: m.sizeRefunds,
      sizeRefundRatePct: {
        withRecommendation: pct(m.sizeRefundRate.withRecommendation),
        withoutRecommendation: pct(m.sizeRefundRate.withoutRecommendation),
      },
      fitOutcomes: m.fitOutcomes,
      feedback: await one(`
        select count(*)::int as total,
          count(*) filter (where p.sales = 0)::int as "onProductsNeverSold",
          (select count(*)::int from order_lines l join orders o on o.id = l.order_id
            join products p on p.id = l.product_id join categories c on c.id = p.category_id
            where c.is_apparel and o.status in ('delivered', 'completed')) as "deliveredApparelLines"
        from size_fit_outcomes f join products p on p.id = f.product_id`),
    }),
  );
} finally {
  await database.close();
}
