/**
 * The feed engine (`createFeedEngine`): candidates from the ANN index (the buyer's interests), the
 * popular list, a sample of new items and a sample of contracted stores' items; a Thompson-sampled
 * expected value per impression for each; the pacer's boost for contracted stores, weighted by fit;
 * a page whose plan placements never exceed a budget or the global cap. Pure and in memory.
 */
import { AnnIndex } from './ann-index.ts';
import { dot, EMBEDDING_DIMENSION } from './embedding.ts';
import { DEFAULT_GAINS, type PiGains, pacedTarget, piStep, TrafficProfile } from './pacing.ts';
import {
  type Counts,
  FIT_BANDS,
  fitBand,
  fitLifts,
  meanValue,
  optimisticValue,
  pooledRate,
  type Rate,
  sampledValue,
} from './ranking.ts';
import type {
  FeedEngine,
  FeedItem,
  Placement,
  PlanContract,
  PlanSource,
  RankRequest,
  TrafficSource,
  Viewer,
} from './types.ts';

export interface FeedEngineOptions {
  /** Item vector dimension (default 32, `embedding.ts`). */
  dimension?: number;
  /** Largest share of all impressions today that plans may source (default 0.1). Never exceeded. */
  planShareCap?: number;
  /** Candidates from the buyer's interests (default 200). */
  annCandidates?: number;
  /** Popular items (by an optimistic value) considered per request (default 60). */
  popularCandidates?: number;
  /** New items (fewer than `freshImpressions`) sampled per request (default 12). */
  freshCandidates?: number;
  freshImpressions?: number;
  /** Contracted stores' items per request: by fit from their own index, and sampled by boost. */
  contractFitCandidates?: number;
  contractSampledCandidates?: number;
  /** Share of the day's traffic by which a contract should be fully delivered (default 0.9). */
  finishBy?: number;
  gains?: Partial<PiGains>;
  /** Prior strengths (pseudo-impressions / pseudo-clicks) of items' rates toward their category's. */
  itemPriorStrength?: { ctr: number; cvr: number };
  /** Initial global rates before any data. */
  initialRates?: { ctr: number; cvr: number };
  /** Boost weight for viewers with no interests (fit unknown). */
  anonymousFit?: number;
  /** Seed of the ANN index's construction. */
  seed?: number;
}

interface ItemState {
  item: FeedItem;
  counts: Counts;
  /** Hash of the key: with the request's seed, it seeds the item's Thompson draws. */
  hash: number;
  /** Impressions (plain count; `counts.impressions` is fit-weighted). */
  shown: number;
}

/** FNV-1a of a string. */
function hashKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: the per-item uniform stream of one request. */
function itemStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ContractState {
  contract: PlanContract;
  /** Plan-sourced impressions today. */
  planDelivered: number;
  boost: number;
  integral: number;
  /** Past its `endsAt`: no boost, no plan placement. */
  ended: boolean;
}

export interface ContractView extends PlanContract {
  /** Minimum contracts: the store's impressions today (every source); budgets: the plan's impressions. */
  delivered: number;
  /** Impressions this plan sourced today (the boost moved them onto the page). */
  planDelivered: number;
  boost: number;
  /** Where the pacer wants delivery to be now. */
  pacedTarget: number;
}

export interface EnginePlacement extends Placement {
  /** Posterior-mean expected value per impression of the item for this viewer (fen). */
  expectedValueFen: number;
  /** Plan placements: posterior-mean expected value of the organic item it displaced (fen). */
  displacedValueFen?: number;
  /** Plan placements: the organic item it displaced (what pure ranking would have shown instead). */
  displacedKey?: string;
}

export interface ExtendedFeedEngine extends FeedEngine {
  rank(request: RankRequest): EnginePlacement[];
  contractStates(): ContractView[];
  /** Clicks with the viewer let the engine learn how fit lifts click-through. */
  recordClick(itemKey: string, at: Date, viewer?: Viewer): void;
  /**
   * `delivered[].impressions`: plan-sourced impressions of (store, source) today; `storeImpressions`:
   * all of the store's impressions today (counts toward a minimum). `totals`: all impressions today and
   * the plan-sourced ones (for the cap).
   */
  syncDelivered(
    delivered: ReadonlyArray<{
      storeId: string;
      source: PlanSource;
      impressions: number;
      storeImpressions?: number;
    }>,
    totals?: { impressions: number; planImpressions: number },
  ): void;
  /** Today's impressions: all, plan-sourced, and by source. */
  todayTotals(): { impressions: number; planImpressions: number; bySource: Record<TrafficSource, number> };
  stats(): {
    items: number;
    stores: number;
    contracts: number;
    typicalValueFen: number;
    /** Items written to or removed from the contracted stores' index by `setContracts` so far. */
    contractIndexWrites: number;
  };
  getItem(key: string): FeedItem | undefined;
  /** An item's outcome counts as the engine holds them (its Beta posteriors' data), or undefined. */
  itemCounts(key: string): Counts | undefined;
  /** The plan share cap in force. */
  planShareCap(): number;
}

const contractKey = (storeId: string, source: PlanSource) => `${storeId}\u0000${source}`;

export function createFeedEngine(options: FeedEngineOptions = {}): ExtendedFeedEngine {
  const dimension = options.dimension ?? EMBEDDING_DIMENSION;
  const clampShare = (share: number) => (Number.isFinite(share) ? Math.max(0, Math.min(1, share)) : 0);
  let cap = clampShare(options.planShareCap ?? 0.1);
  const annK = options.annCandidates ?? 200;
  const popularK = options.popularCandidates ?? 60;
  const freshK = options.freshCandidates ?? 12;
  const freshLimit = options.freshImpressions ?? 150;
  const contractFitK = options.contractFitCandidates ?? 40;
  const contractSampleK = options.contractSampledCandidates ?? 12;
  const finishBy = options.finishBy ?? 0.85;
  const gains: PiGains = { ...DEFAULT_GAINS, ...options.gains };
  const itemStrength = options.itemPriorStrength ?? { ctr: 100, cvr: 20 };
  const initial = options.initialRates ?? { ctr: 0.05, cvr: 0.05 };
  const anonymousFit = options.anonymousFit ?? 0.1;

  const items = new Map<string, ItemState>();
  const storeItems = new Map<string, Set<string>>();
  const categories = new Map<string, Counts>();
  const global: Counts = { impressions: 0, clicks: 0, orders: 0 };
  const fitCounts = Array.from({ length: FIT_BANDS }, () => ({ impressions: 0, clicks: 0 }));
  let lifts = new Array(FIT_BANDS).fill(1) as number[];
  let priceSum = 0;

  const ann = new AnnIndex({ dimension, seed: options.seed });
  const contractAnn = new AnnIndex({ dimension, seed: options.seed, initialCapacity: 256 });
  /** Items added to or removed from `contractAnn` by `setContracts` (stats: no rebuild per refresh). */
  let contractIndexWrites = 0;

  // New items, sampled for exploration (swap-remove array).
  const fresh: string[] = [];
  const freshAt = new Map<string, number>();
  const addFresh = (key: string) => {
    if (freshAt.has(key)) return;
    freshAt.set(key, fresh.length);
    fresh.push(key);
  };
  const dropFresh = (key: string) => {
    const at = freshAt.get(key);
    if (at === undefined) return;
    const last = fresh.pop() as string;
    if (last !== key) {
      fresh[at] = last;
      freshAt.set(last, at);
    }
    freshAt.delete(key);
  };

  let popular: string[] = [];
  let popularStale = true;

  // Contracts of the day.
  let day: { start: Date; end: Date } | null = null;
  const contracts = new Map<string, ContractState>();
  /** store → its contracts. */
  const storeContracts = new Map<string, ContractState[]>();
  /** Stores with a positive boost, and the cumulative boost for sampling. */
  let boosted: string[] = [];
  let boostedCumulative: number[] = [];
  const storeImpressions = new Map<string, number>();
  let totalToday = 0;
  let planToday = 0;
  const bySource: Record<TrafficSource, number> = {
    organic: 0,
    cold_start: 0,
    launch: 0,
    fuyao: 0,
    fan_growth: 0,
  };
  const profile = new TrafficProfile();
  let lastPace: Date | null = null;

  const globalCtr = (): Rate =>
    pooledRate(global.clicks, global.impressions, { mean: initial.ctr, strength: 200 }, 1);
  const globalCvr = (): Rate =>
    pooledRate(global.orders, global.clicks, { mean: initial.cvr, strength: 50 }, 1);
  /** Category priors, cached between pacing steps. */
  const priorCache = new Map<string, { ctr: Rate; cvr: Rate }>();
  const priorsFor = (categoryId: string | null) => {
    const key = categoryId ?? '';
    const cached = priorCache.get(key);
    if (cached) return cached;
    const computed = computePriors(categoryId);
    priorCache.set(key, computed);
    return computed;
  };
  const computePriors = (categoryId: string | null) => {
    const g = { ctr: globalCtr(), cvr: globalCvr() };
    const c = categoryId ? categories.get(categoryId) : undefined;
    if (!c)
      return { ctr: { ...g.ctr, strength: itemStrength.ctr }, cvr: { ...g.cvr, strength: itemStrength.cvr } };
    return {
      ctr: pooledRate(c.clicks, c.impressions, { mean: g.ctr.mean, strength: 500 }, itemStrength.ctr),
      cvr: pooledRate(c.orders, c.clicks, { mean: g.cvr.mean, strength: 100 }, itemStrength.cvr),
    };
  };
  const typicalValue = () => {
    const price = items.size ? priceSum / items.size : 0;
    return Math.max(1e-6, globalCtr().mean * globalCvr().mean * price);
  };

  const refreshPopular = () => {
    const scored: Array<{ key: string; v: number }> = [];
    for (const [key, s] of items) {
      const p = priorsFor(s.item.categoryId);
      scored.push({
        key,
        v: optimisticValue({
          counts: s.counts,
          ctrPrior: p.ctr,
          cvrPrior: p.cvr,
          priceFen: s.item.priceFen,
          lift: 1,
        }),
      });
    }
    scored.sort((a, b) => b.v - a.v);
    popular = scored.slice(0, Math.max(popularK * 3, 200)).map((s) => s.key);
    popularStale = false;
  };

  const isContracted = (storeId: string) => storeContracts.has(storeId);

  const rebuildBoosted = () => {
    boosted = [];
    boostedCumulative = [];
    let sum = 0;
    for (const [storeId, list] of storeContracts) {
      const b = Math.max(0, ...list.map((c) => activeBoost(c)));
      if (b > 0 && storeItems.get(storeId)?.size) {
        sum += b;
        boosted.push(storeId);
        boostedCumulative.push(sum);
      }
    }
  };

  /** A contract's delivered count toward its target. */
  const deliveredOf = (c: ContractState) =>
    c.contract.kind === 'minimum' ? (storeImpressions.get(c.contract.storeId) ?? 0) : c.planDelivered;
  /** The boost a contract applies now (0 once its target is reached or it ended). */
  const activeBoost = (c: ContractState) =>
    c.ended || deliveredOf(c) >= c.contract.targetImpressions ? 0 : c.boost;

  /** The earliest `endsAt` of a contract not ended yet (checked on each rank: O(1) until it passes). */
  let nextEndMs = Number.POSITIVE_INFINITY;
  const expireDue = (nowMs: number) => {
    if (nowMs < nextEndMs) return;
    nextEndMs = Number.POSITIVE_INFINITY;
    let changed = false;
    for (const c of contracts.values()) {
      const end = c.contract.endsAt?.getTime();
      if (end === undefined || c.ended) continue;
      if (end <= nowMs) {
        c.ended = true;
        c.boost = 0;
        changed = true;
      } else nextEndMs = Math.min(nextEndMs, end);
    }
    if (changed) rebuildBoosted();
  };

  const engine: ExtendedFeedEngine = {
    upsertItem(item) {
      if (item.vector.length !== dimension)
        throw new Error(`item ${item.key}: vector of ${item.vector.length}, engine of ${dimension}`);
      const previous = items.get(item.key);
      if (previous) {
        priceSum -= previous.item.priceFen;
        if (previous.item.storeId !== item.storeId) {
          storeItems.get(previous.item.storeId)?.delete(item.key);
          contractAnn.remove(item.key);
        }
        previous.item = item;
      } else {
        items.set(item.key, {
          item,
          counts: { impressions: 0, clicks: 0, orders: 0 },
          hash: hashKey(item.key),
          shown: 0,
        });
        addFresh(item.key);
      }
      priceSum += item.priceFen;
      let set = storeItems.get(item.storeId);
      if (!set) {
        set = new Set();
        storeItems.set(item.storeId, set);
      }
      set.add(item.key);
      ann.upsert(item.key, item.vector);
      if (isContracted(item.storeId)) contractAnn.upsert(item.key, item.vector);
      popularStale = true;
    },

    restoreCounts(key, counts) {
      const s = items.get(key);
      if (!s) return;
      const c = {
        impressions: Math.max(0, counts.impressions),
        clicks: Math.max(0, counts.clicks),
        orders: Math.max(0, counts.orders),
      };
      // Replaces what the item held (restoring twice counts once); pooled rates take the difference.
      const d = {
        impressions: c.impressions - s.counts.impressions,
        clicks: c.clicks - s.counts.clicks,
        orders: c.orders - s.counts.orders,
      };
      s.counts = c;
      s.shown = Math.max(s.shown, Math.round(c.impressions));
      if (s.shown >= freshLimit) dropFresh(key);
      else addFresh(key);
      global.impressions += d.impressions;
      global.clicks += d.clicks;
      global.orders += d.orders;
      if (!isContracted(s.item.storeId) && s.item.categoryId) {
        let cat = categories.get(s.item.categoryId);
        if (!cat) {
          cat = { impressions: 0, clicks: 0, orders: 0 };
          categories.set(s.item.categoryId, cat);
        }
        cat.impressions += d.impressions;
        cat.clicks += d.clicks;
        cat.orders += d.orders;
      }
      priorCache.clear();
      popularStale = true;
    },

    setPlanShareCap(share) {
      cap = clampShare(share);
    },

    planShareCap() {
      return cap;
    },

    itemCounts(key) {
      const s = items.get(key);
      return s ? { ...s.counts } : undefined;
    },

    removeItem(key) {
      const s = items.get(key);
      if (!s) return;
      items.delete(key);
      priceSum -= s.item.priceFen;
      storeItems.get(s.item.storeId)?.delete(key);
      if (storeItems.get(s.item.storeId)?.size === 0) storeItems.delete(s.item.storeId);
      ann.remove(key);
      contractAnn.remove(key);
      dropFresh(key);
      popular = popular.filter((k) => k !== key);
    },

    recordImpression(placement, viewer, at) {
      const key = placement.item.key;
      const s = items.get(key);
      const storeId = s?.item.storeId ?? placement.item.storeId;
      if (s) {
        // An impression counts as `lift` expected impressions: shown to a buyer whose interests fit
        // (lift > 1) it should draw more clicks, to one who does not, fewer; so forced exposure to
        // ill-fitting buyers does not bias the item's click-through down (nor targeted exposure up).
        const fit = viewer.interests ? dot(viewer.interests, s.item.vector) : Number.NaN;
        const weight = Number.isNaN(fit) ? 1 : lifts[fitBand(fit)];
        s.counts.impressions += weight;
        s.shown++;
        if (s.shown >= freshLimit) dropFresh(key);
        // Pooled rates (category priors, fit lifts) learn from stores without a contract only: a
        // contract's forced exposure would bias them for every item.
        const pooled = !isContracted(s.item.storeId);
        const cat = pooled ? s.item.categoryId : null;
        if (cat) {
          let c = categories.get(cat);
          if (!c) {
            c = { impressions: 0, clicks: 0, orders: 0 };
            categories.set(cat, c);
          }
          c.impressions += weight;
        }
        if (pooled && !Number.isNaN(fit)) fitCounts[fitBand(fit)].impressions++;
      }
      global.impressions++;
      storeImpressions.set(storeId, (storeImpressions.get(storeId) ?? 0) + 1);
      totalToday++;
      bySource[placement.source]++;
      if (placement.source !== 'organic') {
        planToday++;
        const c = contracts.get(contractKey(storeId, placement.source));
        if (c) c.planDelivered++;
      }
      if (day) profile.record(at, day);
    },

    recordClick(itemKey, _at, viewer) {
      const s = items.get(itemKey);
      global.clicks++;
      if (!s) return;
      s.counts.clicks++;
      if (isContracted(s.item.storeId)) return;
      const cat = s.item.categoryId && categories.get(s.item.categoryId);
      if (cat) cat.clicks++;
      if (viewer?.interests) fitCounts[fitBand(dot(viewer.interests, s.item.vector))].clicks++;
    },

    recordOrder(itemKey, _amountFen, _at) {
      const s = items.get(itemKey);
      global.orders++;
      if (!s) return;
      s.counts.orders++;
      if (isContracted(s.item.storeId)) return;
      const cat = s.item.categoryId && categories.get(s.item.categoryId);
      if (cat) cat.orders++;
    },

    setContracts(list, newDay) {
      const sameDay = day !== null && day.start.getTime() === newDay.start.getTime();
      if (!sameDay) {
        if (day) profile.endDay();
        storeImpressions.clear();
        totalToday = 0;
        planToday = 0;
        for (const k of Object.keys(bySource) as TrafficSource[]) bySource[k] = 0;
      }
      day = { start: newDay.start, end: newDay.end };
      const previous = sameDay ? new Map(contracts) : new Map<string, ContractState>();
      const contractedBefore = new Set(storeContracts.keys());
      contracts.clear();
      nextEndMs = Number.POSITIVE_INFINITY;
      storeContracts.clear();
      for (const contract of list) {
        if (!(contract.targetImpressions > 0)) continue;
        const key = contractKey(contract.storeId, contract.source);
        const old = previous.get(key);
        const state: ContractState = old
          ? { ...old, contract: { ...contract }, ended: false }
          : { contract: { ...contract }, planDelivered: 0, boost: 0, integral: 0, ended: false };
        const end = contract.endsAt?.getTime();
        if (end !== undefined) nextEndMs = Math.min(nextEndMs, end);
        contracts.set(key, state);
        const forStore = storeContracts.get(contract.storeId) ?? [];
        forStore.push(state);
        storeContracts.set(contract.storeId, forStore);
      }
      // The contracted stores' items index changes only by the stores that joined or left (every
      // process reloads the same contracts every pacing step: no rebuild when the set is the same).
      for (const storeId of contractedBefore) {
        if (storeContracts.has(storeId)) continue;
        for (const key of storeItems.get(storeId) ?? []) {
          contractAnn.remove(key);
          contractIndexWrites++;
        }
      }
      for (const storeId of storeContracts.keys()) {
        if (contractedBefore.has(storeId)) continue;
        for (const key of storeItems.get(storeId) ?? []) {
          const s = items.get(key);
          if (s) {
            contractAnn.upsert(key, s.item.vector);
            contractIndexWrites++;
          }
        }
      }
      rebuildBoosted();
    },

    syncDelivered(delivered, totals) {
      for (const d of delivered) {
        const c = contracts.get(contractKey(d.storeId, d.source));
        if (c) c.planDelivered = Math.max(0, d.impressions);
        if (d.storeImpressions !== undefined)
          storeImpressions.set(d.storeId, Math.max(0, d.storeImpressions));
      }
      if (totals) {
        totalToday = Math.max(0, totals.impressions);
        planToday = Math.max(0, totals.planImpressions);
      }
    },

    pace(now) {
      lifts = fitLifts(fitCounts);
      priorCache.clear();
      refreshPopular();
      lastPace = now;
      if (!day) return;
      expireDue(now.getTime());
      const share = profile.elapsedShare(now, day);
      for (const c of contracts.values()) {
        if (c.ended) continue;
        const target = c.contract.targetImpressions;
        const next = piStep(
          c,
          target,
          pacedTarget(target, share, finishBy),
          deliveredOf(c),
          gains,
          share >= finishBy,
        );
        c.boost = next.boost;
        c.integral = next.integral;
      }
      rebuildBoosted();
    },

    contractStates() {
      const share = day && lastPace ? profile.elapsedShare(lastPace, day) : 0;
      return [...contracts.values()].map((c) => ({
        ...c.contract,
        delivered: deliveredOf(c),
        planDelivered: c.planDelivered,
        boost: activeBoost(c),
        pacedTarget: pacedTarget(c.contract.targetImpressions, share, finishBy),
      }));
    },

    rank(request) {
      const { viewer, random } = request;
      const pageSize = Math.max(0, Math.floor(request.pageSize));
      const exclude = request.exclude;
      if (pageSize === 0 || items.size === 0) return [];
      expireDue(request.now.getTime());
      if (popularStale && popular.length === 0) refreshPopular();

      // Thompson draws come from a stream per item seeded by the request and the item's key, so an
      // item's draw does not depend on which other candidates the request has.
      const requestSeed = Math.floor(random() * 4294967296) >>> 0;
      const fits = new Map<string, number>();
      const consider = (key: string) => {
        if (fits.has(key) || exclude?.has(key)) return;
        const s = items.get(key);
        if (!s) return;
        fits.set(key, viewer.interests ? dot(viewer.interests, s.item.vector) : Number.NaN);
      };
      if (viewer.interests) for (const hit of ann.search(viewer.interests, annK)) consider(hit.key);
      for (let i = 0; i < Math.min(popular.length, popularK); i++) consider(popular[i]);
      for (let i = 0; i < freshK && fresh.length > 0; i++)
        consider(fresh[Math.floor(random() * fresh.length)]);
      // Candidates from here on are there only because of contracts: they may be placed as plan
      // placements, never organically, so the organic page is exactly what pure ranking would show.
      const organicCandidates = fits.size;
      if (boosted.length > 0) {
        if (viewer.interests)
          for (const hit of contractAnn.search(viewer.interests, contractFitK)) consider(hit.key);
        const total = boostedCumulative[boostedCumulative.length - 1];
        for (let i = 0; i < contractSampleK; i++) {
          const r = random() * total;
          let lo = 0;
          let hi = boostedCumulative.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (boostedCumulative[mid] > r) hi = mid;
            else lo = mid + 1;
          }
          const keys = storeItems.get(boosted[lo]);
          if (!keys || keys.size === 0) continue;
          let pick = Math.floor(random() * keys.size);
          for (const k of keys) {
            if (pick-- === 0) {
              consider(k);
              break;
            }
          }
        }
      }

      const scale = typicalValue();
      const scored: Array<{
        state: ItemState;
        organic: number;
        boosted: number;
        mean: number;
        contract: ContractState | null;
        organicCandidate: boolean;
      }> = [];
      let candidateIndex = 0;
      for (const [key, fit] of fits) {
        const organicCandidate = candidateIndex++ < organicCandidates;
        const s = items.get(key) as ItemState;
        const p = priorsFor(s.item.categoryId);
        const lift = Number.isNaN(fit) ? 1 : lifts[fitBand(fit)];
        const inputs = {
          counts: s.counts,
          ctrPrior: p.ctr,
          cvrPrior: p.cvr,
          priceFen: s.item.priceFen,
          lift,
        };
        const organic = sampledValue(inputs, itemStream(requestSeed ^ s.hash));
        let best: ContractState | null = null;
        let bestBoost = 0;
        for (const c of storeContracts.get(s.item.storeId) ?? []) {
          const b = activeBoost(c);
          if (b > bestBoost) {
            bestBoost = b;
            best = c;
          }
        }
        const weight = Number.isNaN(fit) ? anonymousFit : Math.max(0.02, fit > 0 ? fit * fit : 0);
        scored.push({
          state: s,
          organic,
          boosted: organic + bestBoost * weight * scale,
          mean: meanValue(inputs),
          contract: bestBoost * weight > 0 ? best : null,
          organicCandidate,
        });
      }

      // The organic page: the top `pageSize` by organic score (partial selection, pageSize is small).
      const organicTop: typeof scored = [];
      for (const x of scored) {
        if (!x.organicCandidate) continue;
        if (organicTop.length === pageSize && x.organic <= organicTop[pageSize - 1].organic) continue;
        let i = organicTop.length < pageSize ? organicTop.length : pageSize - 1;
        while (i > 0 && organicTop[i - 1].organic < x.organic) {
          organicTop[i] = organicTop[i - 1];
          i--;
        }
        organicTop[i] = x;
      }
      const organicPage = new Set(organicTop.map((x) => x.state.item.key));
      // The page: organic items and contracted stores' boosted items, by boosted score.
      const finalOrder = scored.filter((x) => x.contract !== null || organicPage.has(x.state.item.key));
      finalOrder.sort((a, b) => b.boosted - a.boosted);

      // Plan placements allowed on this page by the cap (counting this page's impressions).
      let capRoom = Math.floor(cap * (totalToday + pageSize) + 1e-9) - planToday;
      const pagePlan = new Map<ContractState, number>();
      const chosen: typeof scored = [];
      const sources: TrafficSource[] = [];
      for (const x of finalOrder) {
        if (chosen.length >= pageSize) break;
        if (organicPage.has(x.state.item.key)) {
          chosen.push(x);
          sources.push('organic');
          continue;
        }
        const c = x.contract;
        if (!c || capRoom <= 0) continue;
        const used = pagePlan.get(c) ?? 0;
        if (c.contract.kind === 'budget' && c.planDelivered + used + 1 > c.contract.targetImpressions)
          continue;
        if (c.contract.kind === 'minimum' && deliveredOf(c) + used >= c.contract.targetImpressions) continue;
        pagePlan.set(c, used + 1);
        capRoom--;
        chosen.push(x);
        sources.push(c.contract.source);
      }
      // Organic items displaced by plan placements, best first: what each plan placement cost.
      const chosenKeys = new Set(chosen.map((x) => x.state.item.key));
      const displaced = organicTop.filter((x) => !chosenKeys.has(x.state.item.key));
      displaced.sort((a, b) => b.mean - a.mean);
      let d = 0;
      return chosen.map((x, position) => {
        const placement: EnginePlacement = {
          item: x.state.item,
          source: sources[position],
          position,
          score: x.boosted,
          expectedValueFen: x.mean,
        };
        if (sources[position] !== 'organic' && d < displaced.length) {
          placement.displacedValueFen = displaced[d].mean;
          placement.displacedKey = displaced[d++].state.item.key;
        }
        return placement;
      });
    },

    todayTotals() {
      return { impressions: totalToday, planImpressions: planToday, bySource: { ...bySource } };
    },

    stats() {
      return {
        items: items.size,
        stores: storeItems.size,
        contracts: contracts.size,
        typicalValueFen: typicalValue(),
        contractIndexWrites,
      };
    },

    getItem(key) {
      return items.get(key)?.item;
    },
  };
  return engine;
}
