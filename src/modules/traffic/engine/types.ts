/**
 * The traffic engine's contract: what decides which items a buyer sees. Pure and in memory (no
 * database, no HTTP, no clock of its own), so the service (`../service.ts`) feeds it from the database
 * and events, and the simulator (`gravity simulate`) drives the very same code on a synthetic world.
 *
 * Money is integer fen. Times are the caller's `Date`s (a controllable clock in tests and the simulator).
 */

/** Why an impression was shown: organic ranking, or the plan whose boost put it on the page. */
export const TRAFFIC_SOURCES = ['organic', 'cold_start', 'launch', 'fuyao', 'fan_growth'] as const;
export type TrafficSource = (typeof TRAFFIC_SOURCES)[number];
/** The sources that are paced contracts (a store's minimum or budget of impressions). */
export type PlanSource = Exclude<TrafficSource, 'organic'>;

export const ITEM_KINDS = ['product', 'video', 'live'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** One thing the feed can show. `key` is unique across kinds (e.g. `product:<uuid>`). */
export interface FeedItem {
  key: string;
  kind: ItemKind;
  id: string;
  storeId: string;
  /** Leaf category, or null (videos and lives take their main product's). */
  categoryId: string | null;
  /** The final price a buyer pays (pricing's), for expected value per impression. */
  priceFen: number;
  /** The item's embedding (same dimension for all items; see `embedding.ts`). */
  vector: Float32Array;
}

/** A paced contract for one store and one source on one day (cold-start minimum, launch credits …). */
export interface PlanContract {
  storeId: string;
  source: PlanSource;
  /** Impressions the store must (cold start) or may (budgets) receive today. */
  targetImpressions: number;
  /** Whether `targetImpressions` is a floor to reach (cold start) or a budget not to exceed (launch, Fuyao, fan growth). */
  kind: 'minimum' | 'budget';
  /**
   * When the contract stops applying within the day (a store that leaves cold start at its `newUntil`):
   * no plan placement and no boost from then on. Absent = the end of the day.
   */
  endsAt?: Date;
}

export interface Viewer {
  /** Signed-in buyer, or null (anonymous). */
  buyerId: string | null;
  /** The buyer's interest vector (same dimension as items), or null when nothing is known yet. */
  interests: Float32Array | null;
}

export interface RankRequest {
  viewer: Viewer;
  now: Date;
  pageSize: number;
  /** Item keys not to show (already on an earlier page of this feed session). */
  exclude?: ReadonlySet<string>;
  /** Uniform [0,1) source for Thompson sampling: seeded in tests and the simulator. */
  random: () => number;
}

export interface Placement {
  item: FeedItem;
  /** The source credited with this impression: a plan only when its boost moved the item onto the page. */
  source: TrafficSource;
  position: number;
  score: number;
}

/** The engine one process holds; the service persists what it learns. */
export interface FeedEngine {
  upsertItem(item: FeedItem): void;
  removeItem(key: string): void;
  /** Outcomes, learned online (Beta posteriors of click-through and conversion per item). */
  recordImpression(placement: Placement, viewer: Viewer, at: Date): void;
  recordClick(itemKey: string, at: Date): void;
  recordOrder(itemKey: string, amountFen: number, at: Date): void;
  /** Today's contracts (replaces the previous set); the pacer spreads each over the day. */
  setContracts(contracts: readonly PlanContract[], day: { start: Date; end: Date }): void;
  /**
   * Delivered impressions today per contract, from the database: several API processes share one day,
   * so before a pacing step the service replaces the engine's own tally with the platform's.
   */
  syncDelivered(delivered: ReadonlyArray<{ storeId: string; source: PlanSource; impressions: number }>): void;
  /** A pacing step (every few minutes): updates each contract's shadow price from delivered vs paced target. */
  pace(now: Date): void;
  /** Each contract as it stands (for the merchant's and operator's views). */
  contractStates(): Array<PlanContract & { delivered: number; boost: number }>;
  rank(request: RankRequest): Placement[];
  /**
   * Warm start: an item's outcomes so far (from the service's stats table), replacing what the engine
   * holds for it, so its posteriors after a restart are those before. Unknown keys are ignored.
   */
  restoreCounts(key: string, counts: { impressions: number; clicks: number; orders: number }): void;
  /** The largest share of today's impressions plans may source (the operator's setting), from the next page on. */
  setPlanShareCap(share: number): void;
}
