import type { Actor } from '../../platform/auth.ts';
import type { SeedContext } from '../../seed/extensions.ts';

const DAY = 86_400_000;

/**
 * Demo pricing (after the demo orders, so their history keeps its list prices): each of the first
 * stores gets a 满X减Y store coupon to claim, an automatic fixed coupon and a follow-store coupon for
 * new customers; the platform a 满199减20 coupon applied automatically; and a low-price subsidy budget
 * over a few SKUs of different stores, open from now for 30 days. One transaction with its record.
 */
export async function seedPricingDemo(ctx: SeedContext): Promise<void> {
  const { services, data, clock } = ctx;
  const { pricing } = services;
  clock.set(ctx.now);
  const window = {
    startsAt: new Date(ctx.now.getTime() - DAY).toISOString(),
    endsAt: new Date(ctx.now.getTime() + 30 * DAY).toISOString(),
  };
  for (const m of data.merchants.slice(0, 3)) {
    const actor: Actor = { accountId: m.accountId, role: 'merchant', phone: m.phone, storeId: m.storeId };
    await pricing.createCoupon(actor, {
      kind: 'store_coupon',
      title: '满200减30',
      discountFen: 3000,
      thresholdFen: 20_000,
      ...window,
      perBuyerLimit: 1,
      totalQuantity: 500,
    });
    await pricing.createCoupon(actor, {
      kind: 'store_coupon',
      title: '店铺立减5元',
      discountFen: 500,
      ...window,
      perBuyerLimit: 2,
      totalQuantity: 1000,
      autoClaim: true,
    });
    await pricing.createCoupon(actor, {
      kind: 'follow_coupon',
      title: '新客关注立减10元',
      discountFen: 1000,
      thresholdFen: 5000,
      ...window,
      totalQuantity: 1000,
    });
  }
  const operator: Actor = {
    accountId: data.operator.accountId,
    role: 'operator',
    phone: data.operator.phone,
    storeId: null,
  };
  await pricing.createCoupon(operator, {
    kind: 'platform_coupon',
    title: '平台满199减20',
    discountFen: 2000,
    thresholdFen: 19_900,
    ...window,
    perBuyerLimit: 3,
    totalQuantity: 100_000,
    autoClaim: true,
  });
  // One SKU of each of the first products of every store: 5 yuan off a unit (every demo price is ≥ 10 yuan).
  const seen = new Set<string>();
  const skus: Array<{ skuId: string; fenPerUnit: number; capUnits: number }> = [];
  for (const p of data.products) {
    if (seen.has(p.storeId) || !p.skuIds[0]) continue;
    seen.add(p.storeId);
    skus.push({ skuId: p.skuIds[0], fenPerUnit: 500, capUnits: 200 });
  }
  if (skus.length > 0)
    await pricing.createSubsidy(operator, {
      title: '低价商品补贴',
      totalFen: 500_000,
      ...window,
      skus,
    });
}
