import type { SeedContext } from '../../seed/extensions.ts';

const DAY = 86_400_000;

/**
 * Demo size profiles: every demo buyer's answers (and a partner's, for some), as the people of the
 * demo world (`ctx.world`) give them, through the size assistant's service. No fit feedback here: it
 * comes only from demo orders that were delivered, as a buyer's feedback or a size after-sale, so its
 * counts match what was sold.
 */
export async function seedSizingDemo(ctx: SeedContext): Promise<void> {
  const { data, world } = ctx;
  const { sizing } = ctx.services;
  ctx.clock.set(new Date(ctx.now.getTime() - 30 * DAY));
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
