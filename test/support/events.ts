import type { Gravity } from '../../src/app.ts';

/** Delivers every event due now to its subscribers (what the `platform.events` worker does on a timer). */
export async function deliverEvents(g: Pick<Gravity, 'events'>, maxRounds = 50): Promise<void> {
  for (let round = 0; round < maxRounds; round += 1) if ((await g.events.runOnce()) === 0) return;
  throw new Error('events did not settle');
}
