import os from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import {
  chartHasSizeFor,
  estimateBody,
  pickFromChart,
  pickUsualSize,
  recommendSize,
  trueFit,
} from '../src/modules/sizing/index.ts';
import { usableChart } from '../src/modules/sizing/product-chart.ts';
import { effectiveBody } from '../src/modules/sizing/profiles.ts';
import { sizeMetrics } from '../src/modules/sizing/size-metrics.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrations.ts';
import { mulberry32 } from '../src/platform/random.ts';
import { SIZE_RETURN_SHARE } from '../src/seed/demo-orders.ts';
import { wearerSex, worldGarment } from '../src/seed/demo-world.ts';
import { seedExtensions } from '../src/seed/extensions.ts';
import { type SeedContext, seedDemoData } from '../src/seed/seed.ts';

/**
 * `npm run bench:size-demo [-- SEED …]` (default seeds 42 7 2026): seeds the demo into a fresh
 * in-memory database per seed and prints
 * - what the size dashboards headline (ops size metrics over 30 days) and how fit feedback relates
 *   to what was sold;
 * - in the demo's latent world, every adult against every garment of their sex made for bodies
 *   like theirs: how often the size the assistant recommends from their answers (before any
 *   feedback) really fails to fit, against the size they usually buy.
 * Last line: one JSON object with the figures per seed.
 */

interface Tally {
  pairs: number;
  misfits: number;
}

async function assistantAgainstUsualSize(ctx: SeedContext) {
  const { catalog } = ctx.services;
  const rng = mulberry32(ctx.config.seed);
  const withRec: Tally = { pairs: 0, misfits: 0 };
  const usual: Tally = { pairs: 0, misfits: 0 };
  for (const [i, p] of ctx.data.products.entries()) {
    const sex = wearerSex(p.categoryId);
    if (sex !== 'female' && sex !== 'male') continue;
    const product = await catalog.productDetail(p.id);
    const chart = usableChart(product);
    if (!product.sizeChart || !chart) continue;
    const garment = worldGarment(
      { ...product, sizeChart: product.sizeChart },
      ctx.world.productOffsetCm[i] ?? 0,
    );
    const sizing = {
      productId: p.id,
      brand: product.brand,
      category: product.categoryId,
      fitType: product.fitType ?? undefined,
      chart,
    };
    for (const h of ctx.world.households) {
      for (const person of [h.self, h.partner]) {
        if (person?.sex !== sex || !chartHasSizeFor(garment, person.wearer)) continue;
        const body = effectiveBody(estimateBody(person.answers), {});
        const own = pickUsualSize(garment, person.usual) ?? pickFromChart(garment, person.wearer, rng);
        const recommended = recommendSize({ body, product: sizing }).recommendedSize ?? own;
        withRec.pairs += 1;
        if (trueFit(garment, person.wearer, recommended, rng) !== 'fit') withRec.misfits += 1;
        usual.pairs += 1;
        if (trueFit(garment, person.wearer, own, rng) !== 'fit') usual.misfits += 1;
      }
    }
  }
  const rate = (t: Tally) => Math.round((1000 * SIZE_RETURN_SHARE * t.misfits) / t.pairs) / 10;
  return { pairs: withRec.pairs, sizeReturnPct: { recommended: rate(withRec), usualSize: rate(usual) } };
}

async function dashboardFigures(seed: number) {
  const database = await openDatabase({});
  try {
    await migrate(database.db);
    let world: Awaited<ReturnType<typeof assistantAgainstUsualSize>> | undefined;
    await seedDemoData(
      database.db,
      { ...loadConfig({}), seed, dataDir: os.tmpdir() },
      {
        progress: false,
        compose: buildApp,
        extensions: [
          ...seedExtensions,
          {
            name: 'measure',
            run: async (ctx) => {
              world = await assistantAgainstUsualSize(ctx);
            },
          },
        ],
      },
    );
    const m = await sizeMetrics(database.db, new Date(), 30);
    const feedback = (
      await sql<Record<string, number>>`
        select count(*)::int as total,
          count(*) filter (where p.sales = 0)::int as "onProductsNeverSold",
          (select count(*)::int from order_lines l join orders o on o.id = l.order_id
            join products p on p.id = l.product_id join categories c on c.id = p.category_id
            where c.is_apparel and o.status in ('delivered', 'completed')) as "deliveredApparelLines"
        from size_fit_outcomes f join products p on p.id = f.product_id`.execute(database.db)
    ).rows[0];
    const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    return {
      seed,
      apparelLines: m.apparelLines,
      linesWithRecommendation: m.linesWithRecommendation,
      sizeRefunds: m.sizeRefunds,
      dashboardSizeRefundPct: {
        withRecommendation: pct(m.sizeRefundRate.withRecommendation),
        withoutRecommendation: pct(m.sizeRefundRate.withoutRecommendation),
      },
      feedback,
      world,
    };
  } finally {
    await database.close();
  }
}

export async function main(args: string[] = []): Promise<number> {
  const seeds = args.length > 0 ? args.map(Number) : [42, 7, 2026];
  if (seeds.some((s) => !Number.isInteger(s))) {
    console.error('usage: gravity bench size-demo [SEED …]');
    return 2;
  }
  const results = [];
  for (const seed of seeds) {
    console.log(`seed ${seed}: seeding the demo …`);
    const r = await dashboardFigures(seed);
    results.push(r);
    const d = r.dashboardSizeRefundPct;
    console.log(
      `  dashboard: size-refund rate ${d.withRecommendation}% with a recommendation, ${d.withoutRecommendation}% without ` +
        `(${r.apparelLines} apparel lines, ${r.linesWithRecommendation} with a recommendation, ${r.sizeRefunds.withRecommendation + r.sizeRefunds.withoutRecommendation} size refunds)`,
    );
    console.log(
      `  fit feedback: ${r.feedback?.total} against ${r.feedback?.deliveredApparelLines} delivered apparel lines; ` +
        `${r.feedback?.onProductsNeverSold} on products never sold`,
    );
    if (r.world)
      console.log(
        `  latent world (${r.world.pairs} buyer × garment pairs): size returns ${r.world.sizeReturnPct.recommended}% ` +
          `taking the recommendation, ${r.world.sizeReturnPct.usualSize}% taking the usual size`,
      );
  }
  console.log(JSON.stringify({ seeds: results }));
  return 0;
}
