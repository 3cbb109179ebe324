import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';

export interface GrowthDeps {
  db: Db;
  clock: Clock;
}

export class GrowthService {
  constructor(readonly deps: GrowthDeps) {}
}
