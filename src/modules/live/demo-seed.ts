import type { SeedContext } from '../../seed/extensions.ts';

const HOUR = 3_600_000;
/** How many demo buyers reserved the demo session. */
export const DEMO_RESERVATIONS = 6;

/**
 * The live demo: the first demo store schedules a session two hours after the seed's present, selling
 * its first products (up to 6), and a few demo buyers reserve it. `gravity live demo` starts it and
 * pushes a generated stream; the videos demo announces it with a reservation video.
 */
export async function seedLiveDemo(ctx: SeedContext): Promise<void> {
  const { live } = ctx.services;
  const store = ctx.data.merchants[0];
  if (!store) return;
  const productIds = ctx.data.products
    .filter((p) => p.storeId === store.storeId)
    .slice(0, 6)
    .map((p) => p.id);
  if (productIds.length === 0) return;
  ctx.clock.set(ctx.now);
  const merchant = {
    accountId: store.accountId,
    role: 'merchant' as const,
    phone: store.phone,
    storeId: store.storeId,
  };
  const { session } = await live.create(merchant, {
    title: `${store.storeName} 新品直播`,
    cover: null,
    scheduledAt: new Date(ctx.now.getTime() + 2 * HOUR).toISOString(),
    productIds,
  });
  for (const buyer of ctx.data.buyers.slice(0, DEMO_RESERVATIONS)) {
    await live.reserve(
      { accountId: buyer.accountId, role: 'buyer', phone: buyer.phone, storeId: null },
      session.id,
    );
  }
}
