import type { Logger } from 'pino';
import type { AftersaleService } from '../modules/aftersale/index.ts';
import type { CatalogService } from '../modules/catalog/index.ts';
import { type CreditService, seedCreditDemo } from '../modules/credit/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';
import { type LiveService, seedLiveDemo } from '../modules/live/index.ts';
import { type MerchantsService, seedExperienceScores } from '../modules/merchants/index.ts';
import type { OrdersService } from '../modules/orders/index.ts';
import type { PaymentsService, SandboxPaymentProvider } from '../modules/payments/index.ts';
import { type PricingService, seedPricingDemo } from '../modules/pricing/index.ts';
import { type ReviewsService, seedReviewsDemo } from '../modules/reviews/index.ts';
import { type SizingService, seedSizingDemo } from '../modules/sizing/index.ts';
import type { SocialService } from '../modules/social/index.ts';
import { seedTrafficDemo, type TrafficService } from '../modules/traffic/index.ts';
import { seedVideosDemo, type VideosService } from '../modules/videos/index.ts';
import type { ManualClock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import { seedDemoFans } from './demo-fans.ts';
import { seedDemoOrders } from './demo-orders.ts';
import type { DemoWorld } from './demo-world.ts';
import type { Rng } from './prng.ts';
import type { SeedSteps } from './steps.ts';

/** What the catalog seeding created, for later seeding steps (orders, fit feedback …). */
export interface SeededData {
  operator: { accountId: string; phone: string };
  merchants: Array<{
    accountId: string;
    phone: string;
    storeId: string;
    storeName: string;
    businessType: string;
  }>;
  buyers: Array<{ accountId: string; phone: string }>;
  products: Array<{ id: string; storeId: string; categoryId: string; apparel: boolean; skuIds: string[] }>;
}

/** The modules' services the seed builds the demo data with. */
export interface SeedServices {
  identity: IdentityService;
  catalog: CatalogService;
  merchants: MerchantsService;
  orders: OrdersService;
  payments: PaymentsService;
  sandboxPayments: SandboxPaymentProvider;
  sizing: SizingService;
  aftersale: AftersaleService;
  pricing: PricingService;
  credit: CreditService;
  reviews: ReviewsService;
  traffic: TrafficService;
  live: LiveService;
  videos: VideosService;
  social: SocialService;
}

/**
 * The composition root (`buildApp` in src/app.ts), handed to the seed by its caller so the seed never
 * imports the app: the seed has it wire the modules over the seed's database handle and its own clock
 * (history is laid out in the past), and builds everything through the services it returns.
 */
export type ComposeForSeed = (deps: { config: Config; db: Db; log: Logger; clock: ManualClock }) => Promise<{
  services: SeedServices;
  /** The event bus: `runOnce` delivers due events to their subscribers (sales counts, figures). */
  events: { runOnce(): Promise<number> };
  /** Stops what the composition started and flushes what it buffered. */
  stop(): Promise<void>;
  app: { close(): PromiseLike<unknown> };
}>;

export interface SeedContext {
  /** The services, composed once for the whole seed; a step's writes join its transaction. */
  services: SeedServices;
  /** Delivers the events the steps published (the composition's event bus). */
  events: { runOnce(): Promise<number> };
  /** The services' clock: a step sets it to when its part of the history happens. */
  clock: ManualClock;
  config: Config;
  /** Seeded from `config.seed`, separate from the catalog's draws. */
  rng: Rng;
  data: SeededData;
  /** The demo's hidden truth: buyers' true bodies, products' true sizing (from the seed alone). */
  world: DemoWorld;
  /** The seed's present: lay history out before it (the same when an interrupted seed resumes). */
  now: Date;
  /** How many demo orders to place. */
  orders: number;
  /** Whether steps may make demo videos with ffmpeg (slow-ish: tests that seed often turn it off). */
  videos: boolean;
  /** The seed's record of finished steps, for a `resumable` step to record its parts. */
  steps: SeedSteps;
  /** Show progress inside the step, if progress is shown. */
  tick(label: string): void;
}

/**
 * A step that adds more demo data after stores, products and buyers exist. It runs in one
 * transaction with its record of being finished (`ctx.services` write into that transaction), unless it is
 * `resumable`: then it runs outside one, records its parts in `ctx.steps`, and must be safe to run
 * again after an interruption anywhere.
 */
export type SeedExtension = { name: string; resumable?: boolean; run(ctx: SeedContext): Promise<void> };

/**
 * The hook point for other modules' demo data: add one entry per step, in the order they should
 * run (e.g. demo orders from the orders module, then fit feedback from sizing). `seedDemoData`
 * runs them after the catalog, each with its own seeded PRNG.
 */
export const seedExtensions: SeedExtension[] = [
  // Size assistant: demo buyers' size profiles, the answers of the demo world's people.
  { name: 'size profiles', run: seedSizingDemo },
  // Orders in every state over the last two weeks, through the real checkout and payment flow;
  // apparel buyers mostly ask the size assistant first (needs the profiles above); sizes fit as the
  // demo world says, which decides size after-sales and fit feedback.
  // Through services that open their own transactions, so resumable: recorded order by order.
  { name: 'demo orders', resumable: true, run: seedDemoOrders },
  // Fans: demo buyers (and sixty follow-only buyers) follow the stores over the last 30 days, most the
  // first store, some unfollow (before the pricing demo, so no follow-store coupon is granted here).
  { name: 'fans demo', run: seedDemoFans },
  // Store, follow-store and platform coupons, and a low-price subsidy budget (after the orders, so
  // the order history keeps its list prices).
  { name: 'pricing demo', run: seedPricingDemo },
  // Pay later: the demo stores with coupons offer it, and buyers with a finished order may use it.
  { name: 'pay later demo', run: seedCreditDemo },
  // Reviews of delivered demo lines (text, tags, a few photos and follow-ups; fit told carries over).
  { name: 'reviews demo', run: seedReviewsDemo },
  // Feed traffic of the last week: new stores in cold start, launch credits, a Fuyao store (issue 13).
  { name: 'traffic demo', run: seedTrafficDemo },
  // A scheduled live session of the first demo store, with reservations (issue 14).
  { name: 'live demo', run: seedLiveDemo },
  // Short videos made with ffmpeg (moving pattern, product name and price burned in), one announcing the
  // first store's scheduled live session (keep after the live demo step, which seeds that session).
  { name: 'videos demo', run: seedVideosDemo },
  // Store experience scores for the seed's day (keep last: they read the orders, after-sales and reviews above).
  { name: 'store experience scores', run: seedExperienceScores },
];
