import type { Clock } from '../../platform/clock.ts';
import type { Publisher } from '../../platform/events.ts';
import type { IdentityService } from '../identity/index.ts';
import type { OrdersService } from '../orders/index.ts';
import type { SizingService } from '../sizing/index.ts';
import type { ReviewsDb } from './tables.ts';

export interface ReviewsDeps {
  db: ReviewsDb;
  clock: Clock;
  events: Publisher;
  /** Where uploaded photos are stored (`<dataDir>/media`, served like product images). */
  dataDir: string;
  orders: OrdersService;
  sizing: SizingService;
  identity: IdentityService;
}

/** The buyer's side of reviews (write, follow up, photos) and what product pages read. */
export class ReviewsService {
  constructor(readonly deps: ReviewsDeps) {}
}
