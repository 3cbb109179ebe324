import type { Gravity } from '../../src/app.ts';

/**
 * Lets the sandbox provider and the event bus run until nothing is left to do: webhooks delivered,
 * captures and refunds sent, every subscriber's events delivered. What `gravity start`'s workers do on timers, done synchronously.
 */
export async function settlePayments(g: Pick<Gravity, 'services' | 'events'>, maxRounds = 50): Promise<void> {
  for (let round = 0; round < maxRounds; round += 1) {
    const delivered = await g.services.sandboxPayments.deliverDue();
    const ran = await g.events.runOnce();
    if (delivered === 0 && ran === 0) return;
  }
  throw new Error('payments did not settle');
}
