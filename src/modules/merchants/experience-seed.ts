import type { SeedContext } from '../../seed/extensions.ts';

/**
 * The demo's store experience scores: computed for the seed's present from the orders, after-sales
 * and reviews the steps before laid out, so a fresh `npm start` shows a score on every store page
 * (the daily task computes the next days). One transaction with its record.
 */
export async function seedExperienceScores(ctx: SeedContext): Promise<void> {
  ctx.clock.set(ctx.now);
  await ctx.services.merchants.computeExperienceScores();
}
