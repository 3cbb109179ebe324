import { ManualClock } from '../../platform/clock.ts';
import type { SeedContext } from '../../seed/extensions.ts';
import { CatalogService } from '../catalog/index.ts';
import { estimateBody } from './body-estimate.ts';
import { baseCorrections } from './feedback-store.ts';
import { type FitOutcome, key, recommendSize } from './fit-model.ts';
import { usableChart } from './product-chart.ts';
import { effectiveBody } from './profiles.ts';
import type { BodyAnswers, ProductSizing } from './schemas.ts';
import { SizingService } from './service.ts';

const DAY = 86_400_000;
/** Apparel products that get demo fit feedback, and buyers per product. */
const PRODUCTS = 60;
const BUYERS_PER_PRODUCT: [number, number] = [8, 14];
/** How a demo product really fits, as a learned-offset value: runs small, true to size, runs large. */
const TRUTHS = [-1.2, 0, 1.2];

/**
 * Demo data of the size assistant: a size profile for every demo buyer (some with a partner's too) and
 * fit feedback on demo apparel, where some products run small and some large, so recommendations,
 * merchant insights and ops charts are alive on a fresh install. The feedback goes through the same
 * path as real feedback (`applyFeedback` on the stored corrections).
 */
export async function seedSizingDemo(ctx: SeedContext): Promise<void> {
  const { db, rng, data } = ctx;
  const start = ctx.now.getTime() - 30 * DAY;
  const clock = new ManualClock(new Date(start));
  const catalog = new CatalogService({ db, clock, dataDir: ctx.config.dataDir });
  const sizing = new SizingService({
    db,
    clock,
    catalog,
    orders: {
      getForBuyer: async () => {
        throw new Error('demo seeding reads no orders');
      },
    },
  });

  const normal = () => {
    const u = Math.max(rng.float(), 1e-9);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
  };
  const answersFor = (sex: 'female' | 'male'): BodyAnswers => {
    const heightCm = Math.round(sex === 'female' ? 161 + 6 * normal() : 172 + 6.5 * normal());
    const bmi = 19 + 6 * rng.float();
    return {
      heightCm,
      weightKg: Math.round(bmi * (heightCm / 100) ** 2),
      age: rng.int(19, 48),
      sex,
      fitPreference: rng.pick(['snug', 'regular', 'regular', 'loose'] as const),
    };
  };

  const people: Array<{ accountId: string; sex: 'female' | 'male'; answers: BodyAnswers }> = [];
  for (const buyer of data.buyers) {
    const actor = { accountId: buyer.accountId, role: 'buyer' as const, phone: buyer.phone, storeId: null };
    const sex = rng.chance(0.7) ? 'female' : 'male';
    const answers = answersFor(sex);
    await sizing.profiles.create(actor, { label: 'self', name: '我', answers });
    people.push({ accountId: buyer.accountId, sex, answers });
    if (rng.chance(0.3)) {
      const other = sex === 'female' ? 'male' : 'female';
      await sizing.profiles.create(actor, {
        label: 'partner',
        name: other === 'male' ? '男友' : '女友',
        answers: answersFor(other),
      });
    }
  }
  ctx.tick('size profiles');

  const apparel = data.products.filter((p) => p.apparel && !p.categoryId.startsWith('kids'));
  const chosen = rng.sample(apparel, PRODUCTS);
  for (const [i, p] of chosen.entries()) {
    const product = await catalog.productDetail(p.id);
    const chart = usableChart(product);
    if (!chart || Object.keys(chart).length === 0) continue;
    const sizing0: ProductSizing = {
      productId: product.id,
      brand: product.brand || undefined,
      category: product.categoryId,
      fitType: product.fitType ?? undefined,
      chart,
    };
    const truth = TRUTHS[i % TRUTHS.length] as number;
    const real = baseCorrections();
    real.product[key(product.id)] = truth;
    const wearers = people.filter((w) =>
      p.categoryId.startsWith('men') ? w.sex === 'male' : w.sex === 'female',
    );
    for (const buyer of rng.sample(wearers, rng.int(...BUYERS_PER_PRODUCT))) {
      const body = effectiveBody(estimateBody(buyer.answers), {});
      // the buyer picks the size the published chart suggests; how it really fits depends on the truth
      const picked = recommendSize({ body, product: sizing0 });
      const size = picked.recommendedSize;
      // people buy garments that could fit them: skip bodies the whole size run is far from
      if (!size || picked.confidence < 0.35) continue;
      const option = recommendSize({ body, product: sizing0, corrections: real }).sizes.find(
        (s) => s.size === size,
      );
      if (!option) continue;
      const u = rng.float();
      const fit: FitOutcome = u < option.pSmall ? 'small' : u < option.pSmall + option.pFit ? 'fit' : 'large';
      await sizing.importOutcome({
        accountId: buyer.accountId,
        productId: product.id,
        storeId: product.storeId,
        size,
        fit,
        sizing: sizing0,
        body,
        at: new Date(start + rng.float() * 30 * DAY),
      });
    }
    ctx.tick('fit feedback');
  }
}
