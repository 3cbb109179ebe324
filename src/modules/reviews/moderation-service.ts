import type { Clock } from '../../platform/clock.ts';
import type { IdentityService } from '../identity/index.ts';
import type { ReviewsDb } from './tables.ts';

export interface ReviewModerationDeps {
  db: ReviewsDb;
  clock: Clock;
  identity: IdentityService;
}

/** The merchant's reply and reports, and the operators' moderation queue. */
export class ReviewModerationService {
  constructor(readonly deps: ReviewModerationDeps) {}
}
