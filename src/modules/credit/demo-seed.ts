import type { Actor } from '../../platform/auth.ts';
import type { SeedContext } from '../../seed/extensions.ts';

const DAY = 86_400_000;

/**
 * Demo pay later (先用后付): the first stores (those with the demo coupons) switch it on, and the demo
 * operator's policy lets any buyer with a finished order use it whatever their refunds (the demo's
 * orders are refunded far more often than real ones), with the merchants' fee-free opening running
 * for 30 days.
 */
export async function seedCreditDemo(ctx: SeedContext): Promise<void> {
  const { services, data, clock } = ctx;
  const { credit } = services;
  clock.set(ctx.now);
  const operator: Actor = {
    accountId: data.operator.accountId,
    role: 'operator',
    phone: data.operator.phone,
    storeId: null,
  };
  const { policy } = await credit.policy(operator);
  await credit.setPolicy(operator, {
    baseLimitFen: policy.baseLimitFen,
    perCompletedOrderFen: policy.perCompletedOrderFen,
    maxLimitFen: policy.maxLimitFen,
    minAccountAgeDays: policy.minAccountAgeDays,
    minCompletedOrders: 1,
    // The demo's orders cancel and refund far more often than real buyers do.
    maxRefundShareBps: 10_000,
    dueDays: policy.dueDays,
    reminderDays: policy.reminderDays,
    freezeWhenOverdue: policy.freezeWhenOverdue,
    feeBps: policy.feeBps,
    promotionStartsAt: new Date(ctx.now.getTime() - DAY).toISOString(),
    promotionEndsAt: new Date(ctx.now.getTime() + 30 * DAY).toISOString(),
  });
  for (const m of data.merchants.slice(0, 3)) {
    const actor: Actor = { accountId: m.accountId, role: 'merchant', phone: m.phone, storeId: m.storeId };
    await credit.setStoreSettings(actor, { payLaterEnabled: true });
  }
}
