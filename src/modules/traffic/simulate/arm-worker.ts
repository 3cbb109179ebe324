/** Runs one arm of `gravity simulate` in a worker thread (the two arms run side by side). */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedEngineOptions } from '../engine/feed-engine.ts';
import { type Arm, runArm } from './run.ts';
import { createWorld, type WorldOptions } from './world.ts';

const data = workerData as { arm: Arm; world: WorldOptions; engine: FeedEngineOptions };
const world = createWorld(data.world);
const days = runArm(world, {
  arm: data.arm,
  engine: data.engine,
  onDay: (day) => parentPort?.postMessage({ day }),
});
parentPort?.postMessage({ done: days });
