import { ManualClock } from '../../platform/clock.ts';
import type { SeedContext } from '../../seed/extensions.ts';
import { CatalogService } from '../catalog/index.ts';
import { SizingService } from './service.ts';

const DAY = 86_400_000;

const noOrders = async (): Promise<never> => {
  throw new Error('demo profiles read no orders');
};

/**
 * Demo size profiles: every demo buyer's answers (and a partner's, for some), as the people of the
 * demo world (`ctx.world`) give them. No fit feedback here: it comes only from demo orders that were
 * delivered, as a buyer's feedback or a size after-sale, so its counts match what was sold.
 */
export async function seedSizingDemo(ctx: SeedContext): Promise<void> {
  const { db, data, world } = ctx;
  const clock = new ManualClock(new Date(ctx.now.getTime() - 30 * DAY));
  const catalog = new CatalogService({ db, clock, dataDir: ctx.config.dataDir });
  const sizing = new SizingService({
    db,
    clock,
    catalog,
    orders: {
      getForBuyer: noOrders,
      purchasedLineCounts: noOrders,
      purchasedLines: noOrders,
    },
  });
  for (const [i, buyer] of data.buyers.entries()) {
    const household = world.households[i];
    if (!household) continue;
    const actor = { accountId: buyer.accountId, role: 'buyer' as const, phone: buyer.phone, storeId: null };
    // No names: the app shows each profile by its label in the reader's language (我 / Me, 伴侣 / Partner).
    await sizing.profiles.create(actor, { label: 'self', answers: household.self.answers });
    if (household.partner) {
      await sizing.profiles.create(actor, { label: 'partner', answers: household.partner.answers });
    }
    ctx.tick('size profiles');
  }
}
