import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';

export interface SocialDeps {
  db: Db;
  clock: Clock;
}

export class SocialService {
  constructor(readonly deps: SocialDeps) {}
}
