import type { SeedContext } from '../../seed/extensions.ts';
import { businessDate, dayBounds } from './plan-rules.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Demo stores opened a few days before the seed's present: new, in cold start, with launch credits. */
const NEW_STORES = [
  { phone: '13700009801', name: '新芽小铺', daysAgo: 3 },
  { phone: '13700009802', name: '初见家居', daysAgo: 9 },
  { phone: '13700009803', name: '启航零食铺', daysAgo: 16 },
];
const DAYS = 7;
/** The operator's settings in the demo (see `seedTrafficDemo`). */
export const DEMO_SETTINGS = { coldStartMinDailyImpressions: 40, launchCreditsPerStore: 420 } as const;
const PAGES_PER_DAY = 160;

/**
 * Demo traffic: three new stores in cold start (each with two products copied from a seeded store's),
 * seven days of feed traffic through the real feed (anonymous and demo buyers, clicks and add-to-carts
 * at the demo's own rates), planned and paced each day as the tasks would, an operator's launch grant
 * and one Fuyao store (the best-rated established store, granted directly by the demo: its checks are
 * kept as they stood).
 */
export async function seedTrafficDemo(ctx: SeedContext): Promise<void> {
  const { identity, merchants, catalog, traffic } = ctx.services;
  const now = ctx.now.getTime();
  const models = ctx.data.products.filter((p) => !p.apparel).slice(0, NEW_STORES.length * 2);
  const fallback = ctx.data.products.slice(0, NEW_STORES.length * 2);
  const sources = models.length >= NEW_STORES.length * 2 ? models : fallback;
  const operator = {
    accountId: ctx.data.operator.accountId,
    role: 'operator' as const,
    phone: '',
    storeId: null,
  };
  // The demo's operator sets a minimum and launch credits that fit the demo's traffic (about 1,600
  // impressions a day, 15% of them at most from plans): the defaults (200 a day) suit a real marketplace.
  const firstOpening = Math.max(...NEW_STORES.map((s) => s.daysAgo));
  ctx.clock.set(new Date(now - firstOpening * DAY - 3 * 3_600_000));
  const defaults = await traffic.settings();
  await traffic.putSettings(operator, { ...defaults, ...DEMO_SETTINGS });

  const newStoreIds: string[] = [];
  /** Opens demo store `i` at the clock's time, with two products copied from seeded ones. */
  const openStore = async (i: number) => {
    const s = NEW_STORES[i] as (typeof NEW_STORES)[number];
    const accountId = await identity.provision(s.phone, 'merchant', `${s.name}店主`);
    const actor = { accountId, role: 'merchant' as const, phone: s.phone, storeId: null };
    const store = await merchants.openStore(actor, { name: s.name, businessType: 'general' });
    newStoreIds[i] = store.id;
    const owner = { ...actor, storeId: store.id };
    for (const model of sources.slice(i * 2, i * 2 + 2)) {
      const detail = await catalog.productDetail(model.id);
      await catalog.createProducts(owner, [
        {
          title: `${s.name} · ${detail.title}`.slice(0, 60),
          description: '',
          brand: '',
          categoryId: detail.categoryId,
          images: detail.images.slice(0, 1),
          skus: [
            {
              size: '',
              color: '',
              priceFen: Math.max(100, (detail.skus[0]?.priceFen ?? 1990) - 200),
              stock: 200,
            },
          ],
        },
      ]);
    }
    await traffic.refreshItems();
  };
  // Stores older than the replayed days open before it; the others at the start of their day (08:00).
  for (const [i, s] of [...NEW_STORES.entries()].sort((a, b) => b[1].daysAgo - a[1].daysAgo)) {
    if (s.daysAgo < DAYS) continue;
    ctx.clock.set(new Date(now - s.daysAgo * DAY - 2 * 3_600_000));
    await openStore(i);
  }

  const buyers = ctx.data.buyers.map((b) => b.accountId);
  for (let d = DAYS - 1; d >= 0; d--) {
    // Each business day from 08:00 to 22:00 Shanghai; today only up to the seed's present.
    const bounds = dayBounds(businessDate(new Date(now - d * DAY)));
    const dayStart = d === 0 ? bounds.start.getTime() : bounds.start.getTime() + 8 * 3_600_000;
    const span = (d === 0 ? Math.max(MINUTE, now - dayStart) : 14 * 60 * MINUTE) - MINUTE;
    ctx.clock.set(new Date(dayStart));
    for (const [i, st] of NEW_STORES.entries()) if (st.daysAgo === d) await openStore(i);
    await traffic.planDay();
    if (d === 2) {
      await traffic.grantLaunch(operator, {
        storeId: newStoreIds[1] as string,
        impressions: 800,
        periodDays: 7,
        note: '新手村加推',
      });
    }
    for (let p = 0; p < PAGES_PER_DAY; p++) {
      ctx.clock.set(new Date(dayStart + Math.floor((p * span) / PAGES_PER_DAY)));
      const buyerId =
        buyers.length > 0 && ctx.rng.chance(0.5)
          ? (buyers[ctx.rng.int(0, buyers.length - 1)] as string)
          : null;
      const viewer = { buyerId, anonId: buyerId ? null : crypto.randomUUID(), fresh: false };
      const page = await traffic.feed(viewer, { limit: 10 });
      for (const card of page.items) {
        if (!ctx.rng.chance(0.06)) continue;
        await traffic.recordEvent(viewer, { impressionId: card.impressionId, kind: 'click' });
        if (ctx.rng.chance(0.25))
          await traffic.recordEvent(viewer, { impressionId: card.impressionId, kind: 'cart' });
      }
      // A pacing step every 5 pages (about every 25 minutes of the demo day), as the task would.
      if (p % 5 === 4) await traffic.pace();
    }
    await traffic.flush();
  }
  ctx.clock.set(ctx.now);
  await traffic.planDay();
  const established = ctx.data.merchants.map((m) => m.storeId).filter((id) => !newStoreIds.includes(id));
  if (established[0]) await traffic.grantFuyaoForDemo(established[0]);
  ctx.clock.set(ctx.now);
}
