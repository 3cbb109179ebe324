/**
 * The simulator's synthetic marketplace, all drawn from one seed: categories with latent directions,
 * buyers with latent tastes (a direction) and budgets, stores with latent quality (established ones,
 * and new ones arriving every day), products with true appeal and prices, and each day's browsing
 * sessions (buyer and time). Both arms of a comparison run on the very same world.
 */
import { logNormal, normal, poisson, type Random, stream, unitVector } from './random.ts';

export interface WorldOptions {
  seed: number;
  days: number;
  buyers: number;
  categories: number;
  establishedStores: number;
  /** Mean new stores per day (Poisson). */
  newStoresPerDay: number;
  /** Mean sessions per buyer per day. */
  sessionsPerBuyer: number;
  /** Days a store counts as new (gets a cold-start contract). */
  coldStartDays: number;
  /** Impressions a new store must get per day. */
  minimumImpressions: number;
  /** Latent taste dimension. */
  tasteDimension: number;
}

export const DEFAULT_WORLD: Omit<WorldOptions, 'seed' | 'days'> = {
  buyers: 800,
  categories: 24,
  establishedStores: 120,
  newStoresPerDay: 4,
  sessionsPerBuyer: 1.2,
  coldStartDays: 7,
  minimumImpressions: 30,
  tasteDimension: 8,
};

export interface Buyer {
  id: string;
  taste: Float32Array;
  /** Price (fen) above which the buyer rarely buys. */
  budgetFen: number;
  /** How much the buyer browses (pages). */
  patience: number;
}

export interface Store {
  id: string;
  quality: number;
  /** Day it opened (negative: established before the run). */
  openedDay: number;
}

export interface Product {
  key: string;
  id: string;
  storeId: string;
  category: number;
  priceFen: number;
  appeal: number;
  /** Day the product goes live. */
  liveDay: number;
}

export interface Session {
  buyer: number;
  /** Milliseconds after the day's start. */
  atMs: number;
}

export interface World {
  options: WorldOptions;
  categoryDirections: Float32Array[];
  categoryPriceFen: number[];
  buyers: Buyer[];
  stores: Store[];
  products: Product[];
  /** Sessions per day, in time order. */
  sessions: Session[][];
}

export const DAY_MS = 86_400_000;

/** Time of a session within the day: a quiet night, a lunch peak and an evening peak. */
function sessionTime(random: Random): number {
  const r = random();
  let hour: number;
  if (r < 0.15) hour = random() * 24;
  else if (r < 0.45) hour = 12.5 + normal(random) * 1.5;
  else hour = 20.5 + normal(random) * 1.8;
  hour = ((hour % 24) + 24) % 24;
  return Math.floor(hour * 3_600_000);
}

export function createWorld(options: WorldOptions): World {
  const r = stream(options.seed, 'world');
  const categoryDirections = Array.from({ length: options.categories }, () =>
    unitVector(r, options.tasteDimension),
  );
  const categoryPriceFen = Array.from(
    { length: options.categories },
    () => Math.round(4000 * logNormal(r, 0.5)) + 500,
  );
  const buyers: Buyer[] = Array.from({ length: options.buyers }, (_, i) => ({
    id: `buyer-${i}`,
    taste: unitVector(r, options.tasteDimension),
    budgetFen: Math.round(6000 * logNormal(r, 0.8)),
    patience: 0.5 + 0.35 * r(),
  }));
  const stores: Store[] = [];
  const products: Product[] = [];
  const addStore = (openedDay: number) => {
    const store: Store = { id: `store-${stores.length}`, quality: logNormal(r, 0.45), openedDay };
    stores.push(store);
    // A store sells in one or two categories.
    const main = Math.floor(r() * options.categories);
    const second = r() < 0.4 ? Math.floor(r() * options.categories) : main;
    const count = openedDay < 0 ? 5 + Math.floor(r() * 20) : 1 + Math.floor(r() * 8);
    for (let p = 0; p < count; p++) {
      const category = r() < 0.7 ? main : second;
      // New stores list their products over their first days (some on day one, the rest later).
      const liveDay = openedDay < 0 ? openedDay : openedDay + (p === 0 ? 0 : Math.floor(r() * 3));
      products.push({
        key: `product:${store.id}-${p}`,
        id: `${store.id}-${p}`,
        storeId: store.id,
        category,
        priceFen: Math.max(100, Math.round(categoryPriceFen[category] * logNormal(r, 0.3))),
        appeal: logNormal(r, 0.4),
        liveDay,
      });
    }
  };
  for (let s = 0; s < options.establishedStores; s++) addStore(-1 - Math.floor(r() * 365));
  const sessions: Session[][] = [];
  for (let day = 0; day < options.days; day++) {
    const arrivals = poisson(r, options.newStoresPerDay);
    for (let s = 0; s < arrivals; s++) addStore(day);
    const list: Session[] = [];
    for (let b = 0; b < buyers.length; b++) {
      const n = poisson(r, options.sessionsPerBuyer);
      for (let k = 0; k < n; k++) list.push({ buyer: b, atMs: sessionTime(r) });
    }
    list.sort((a, b) => a.atMs - b.atMs);
    sessions.push(list);
  }
  return { options, categoryDirections, categoryPriceFen, buyers, stores, products, sessions };
}

/** The latent truth: probability the buyer clicks the product when shown it. */
export function clickProbability(world: World, buyer: Buyer, product: Product, quality: number): number {
  const dir = world.categoryDirections[product.category];
  let affinity = 0;
  for (let i = 0; i < dir.length; i++) affinity += dir[i] * buyer.taste[i];
  return Math.min(0.6, 0.03 * product.appeal * Math.sqrt(quality) * Math.exp(2 * affinity));
}

/** The latent truth: probability the buyer orders after clicking. */
export function orderProbability(buyer: Buyer, product: Product, quality: number): number {
  const afford = 1 / (1 + Math.exp((product.priceFen - buyer.budgetFen) / (0.3 * buyer.budgetFen)));
  return Math.min(0.8, 0.15 * quality * afford);
}
