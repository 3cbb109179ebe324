/**
 * One arm of the simulation: the real feed engine (`createFeedEngine`) serving the synthetic world's
 * buyers page by page through each simulated day. Buyers click and order with the latent truth's
 * probabilities; the engine learns online from those outcomes; the pacer steps every few simulated
 * minutes. Arm `pure`: no contracts (pure ranking). Arm `gravity`: every new store with a live product
 * gets a cold-start minimum each day of its first `coldStartDays` days.
 */
import { INTEREST_WEIGHT, interestsAfter, itemVector } from '../engine/embedding.ts';
import { createFeedEngine, type ExtendedFeedEngine, type FeedEngineOptions } from '../engine/feed-engine.ts';
import type { FeedItem, PlanContract, TrafficSource, Viewer } from '../engine/types.ts';
import { TRAFFIC_SOURCES } from '../engine/types.ts';
import { stream } from './random.ts';
import { clickProbability, DAY_MS, orderProbability, type Product, type World } from './world.ts';

export type Arm = 'pure' | 'gravity';

export interface DayResult {
  day: number;
  impressions: number;
  bySource: Record<TrafficSource, number>;
  orders: number;
  /** Realised GMV (fen): the orders the simulated buyers placed. */
  gmvFen: number;
  /** Expected GMV (fen): Σ over impressions of P(click)·P(order|click)·price under the latent truth. */
  expectedGmvFen: number;
  /**
   * Expected GMV of the same requests' organic pages (what pure ranking would have shown with the
   * same learned state): the expected GMV with each plan placement replaced by the item it displaced.
   */
  organicExpectedGmvFen: number;
  /** New stores with at least one live product today (the coverage denominator). */
  newStores: number;
  /** Of those, the ones that reached the minimum today. */
  reached: number;
  /** Impressions of the new stores that missed their minimum today. */
  missed: number[];
  /** Expected GMV today of stores that opened during the run and have left cold start. */
  graduatedExpectedGmvFen: number;
  graduatedGmvFen: number;
  /** Expected-value cost of plan placements (displaced organic value − plan item value), fen. */
  planCostFen: number;
  /** Largest plan share of impressions seen after any page today, and the cap. */
  maxPlanShare: number;
  /** Pages on which a budget or the cap was exceeded (must stay 0). */
  violations: number;
  /** Cold-start impressions given to a store that is not new (must stay 0). */
  coldStartToOldStores: number;
}

export interface ArmOptions {
  arm: Arm;
  /** Pacing step, simulated milliseconds (default 5 minutes). */
  paceEveryMs?: number;
  pageSize?: number;
  maxPages?: number;
  engine?: FeedEngineOptions;
  /** Changes every random draw (for measuring run-to-run noise); default ''. */
  salt?: string;
  /** Called after each simulated day. */
  onDay?: (result: DayResult, engine: ExtendedFeedEngine) => void;
}

export const SIM_EPOCH = Date.UTC(2026, 0, 1);

export function runArm(world: World, options: ArmOptions): DayResult[] {
  const { coldStartDays, minimumImpressions, days } = world.options;
  const cap = options.engine?.planShareCap ?? 0.1;
  const engine = createFeedEngine({ seed: world.options.seed, ...options.engine, planShareCap: cap });
  const paceEvery = options.paceEveryMs ?? 5 * 60_000;
  const pageSize = options.pageSize ?? 10;
  const maxPages = options.maxPages ?? 5;
  // Common random numbers: every draw is keyed by what it is about (day, session, page, item), not by
  // how many draws came before, so both arms draw the same for the same buyer, session and item.
  const salt = options.salt ?? '';
  const seed = world.options.seed;
  const storeById = new Map(world.stores.map((s) => [s.id, s]));
  const productByKey = new Map(world.products.map((p) => [p.key, p]));
  const interests: Array<Float32Array | null> = world.buyers.map(() => null);
  const toItem = (p: Product): FeedItem => ({
    key: p.key,
    kind: 'product',
    id: p.id,
    storeId: p.storeId,
    categoryId: `cat-${p.category}`,
    priceFen: p.priceFen,
    vector: itemVector({
      categoryId: `cat-${p.category}`,
      parentCategoryIds: [`group-${p.category % 6}`],
      priceFen: p.priceFen,
      storeId: p.storeId,
    }),
  });
  const vectors = new Map<string, Float32Array>();
  const results: DayResult[] = [];
  let nextProduct = 0;
  const products = [...world.products].sort((a, b) => a.liveDay - b.liveDay);

  for (let day = 0; day < days; day++) {
    const start = new Date(SIM_EPOCH + day * DAY_MS);
    const end = new Date(SIM_EPOCH + (day + 1) * DAY_MS);
    while (nextProduct < products.length && products[nextProduct].liveDay <= day) {
      const item = toItem(products[nextProduct++]);
      vectors.set(item.key, item.vector);
      engine.upsertItem(item);
    }
    const liveStores = new Set(products.slice(0, nextProduct).map((p) => p.storeId));
    const newStores = world.stores.filter(
      (s) =>
        s.openedDay >= 0 && s.openedDay <= day && day - s.openedDay < coldStartDays && liveStores.has(s.id),
    );
    const newStoreIds = new Set(newStores.map((s) => s.id));
    const contracts: PlanContract[] =
      options.arm === 'gravity'
        ? newStores.map((s) => ({
            storeId: s.id,
            source: 'cold_start' as const,
            targetImpressions: minimumImpressions,
            kind: 'minimum' as const,
          }))
        : [];
    engine.setContracts(contracts, { start, end });
    engine.pace(start);
    let nextPace = start.getTime() + paceEvery;

    const storeImps = new Map<string, number>();
    const result: DayResult = {
      day,
      impressions: 0,
      bySource: Object.fromEntries(TRAFFIC_SOURCES.map((s) => [s, 0])) as Record<TrafficSource, number>,
      orders: 0,
      gmvFen: 0,
      expectedGmvFen: 0,
      organicExpectedGmvFen: 0,
      newStores: newStores.length,
      reached: 0,
      missed: [],
      graduatedExpectedGmvFen: 0,
      graduatedGmvFen: 0,
      planCostFen: 0,
      maxPlanShare: 0,
      violations: 0,
      coldStartToOldStores: 0,
    };
    const graduated = (storeId: string) => {
      const s = storeById.get(storeId);
      return s !== undefined && s.openedDay >= 0 && day - s.openedDay >= coldStartDays;
    };

    for (let index = 0; index < world.sessions[day].length; index++) {
      const session = world.sessions[day][index];
      const at = start.getTime() + session.atMs;
      while (nextPace <= at) {
        engine.pace(new Date(nextPace));
        nextPace += paceEvery;
      }
      const now = new Date(at);
      const buyer = world.buyers[session.buyer];
      const shown = new Set<string>();
      for (let page = 0; page < maxPages; page++) {
        const viewer: Viewer = { buyerId: buyer.id, interests: interests[session.buyer] };
        const random = stream(seed, `${salt}rank:${day}:${index}:${page}`);
        const placements = engine.rank({ viewer, now, pageSize, exclude: shown, random });
        let ordered = false;
        for (const placement of placements) {
          const product = productByKey.get(placement.item.key) as Product;
          const store = storeById.get(product.storeId);
          const quality = store?.quality ?? 1;
          shown.add(product.key);
          engine.recordImpression(placement, viewer, now);
          result.impressions++;
          result.bySource[placement.source]++;
          storeImps.set(product.storeId, (storeImps.get(product.storeId) ?? 0) + 1);
          if (placement.source === 'cold_start' && !newStoreIds.has(product.storeId))
            result.coldStartToOldStores++;
          if (placement.source !== 'organic') {
            result.planCostFen +=
              (placement.displacedValueFen ?? placement.expectedValueFen) - placement.expectedValueFen;
          }
          const pc = clickProbability(world, buyer, product, quality);
          const po = orderProbability(buyer, product, quality);
          const value = pc * po * product.priceFen;
          result.expectedGmvFen += value;
          result.organicExpectedGmvFen += value;
          if (placement.source !== 'organic') {
            result.organicExpectedGmvFen -= value;
            const displaced = placement.displacedKey ? productByKey.get(placement.displacedKey) : undefined;
            if (displaced) {
              const q = storeById.get(displaced.storeId)?.quality ?? 1;
              result.organicExpectedGmvFen +=
                clickProbability(world, buyer, displaced, q) *
                orderProbability(buyer, displaced, q) *
                displaced.priceFen;
            }
          }
          if (graduated(product.storeId)) result.graduatedExpectedGmvFen += value;
          const behaviour = stream(seed, `${salt}buy:${day}:${index}:${product.key}`);
          if (behaviour() < pc) {
            engine.recordClick(product.key, now, viewer);
            const vector = vectors.get(product.key) as Float32Array;
            interests[session.buyer] = interestsAfter(
              interests[session.buyer],
              vector,
              INTEREST_WEIGHT.click,
            );
            if (behaviour() < po) {
              engine.recordOrder(product.key, product.priceFen, now);
              interests[session.buyer] = interestsAfter(
                interests[session.buyer],
                vector,
                INTEREST_WEIGHT.order,
              );
              result.orders++;
              result.gmvFen += product.priceFen;
              if (graduated(product.storeId)) result.graduatedGmvFen += product.priceFen;
              ordered = true;
            }
          }
        }
        const totals = engine.todayTotals();
        const share = totals.impressions ? totals.planImpressions / totals.impressions : 0;
        result.maxPlanShare = Math.max(result.maxPlanShare, share);
        if (totals.planImpressions > cap * totals.impressions + 1e-9) result.violations++;
        for (const c of engine.contractStates()) {
          if (c.kind === 'budget' && c.planDelivered > c.targetImpressions) result.violations++;
        }
        if (ordered || stream(seed, `${salt}more:${day}:${index}:${page}`)() > buyer.patience) break;
      }
    }
    for (const s of newStores) {
      const got = storeImps.get(s.id) ?? 0;
      if (got >= minimumImpressions) result.reached++;
      else result.missed.push(got);
    }
    results.push(result);
    options.onDay?.(result, engine);
  }
  return results;
}
