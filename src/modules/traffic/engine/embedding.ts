/**
 * Item and buyer embeddings from what the platform knows. An item's vector mixes a direction per
 * category (and its parents), a direction for its price level and a small one for its store, so items
 * of one category sit near each other and cheap and dear items of a category apart. A buyer's
 * interests are a running mix of the vectors of the items they clicked or bought. Unit vectors:
 * the inner product of interests and an item is their fit in [-1, 1].
 */

export const EMBEDDING_DIMENSION = 32;

export interface ItemFacts {
  categoryId: string | null;
  /** Parents of the category, nearest first (optional). */
  parentCategoryIds?: readonly string[];
  priceFen: number;
  storeId: string;
}

/** FNV-1a of a string, for deterministic directions. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic pseudo-random unit direction named by `name` (mulberry32 from its hash, Box–Muller). */
export function direction(name: string, dimension = EMBEDDING_DIMENSION): Float32Array {
  let state = hash(name);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const v = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const u = Math.max(next(), 1e-12);
    v[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  }
  return normalized(v);
}

export function normalized(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  const out = new Float32Array(v.length);
  if (norm === 0) return out;
  for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Price level: 0 below 10 yuan, one step per doubling, at most 10. */
export function priceLevel(priceFen: number): number {
  return Math.max(0, Math.min(10, Math.floor(Math.log2(Math.max(1, priceFen) / 1000)) + 1));
}

/** The item's vector: category 1, parents 0.5 and 0.25 …, price level 0.3, store 0.15 (then normalised). */
export function itemVector(facts: ItemFacts, dimension = EMBEDDING_DIMENSION): Float32Array {
  const v = new Float32Array(dimension);
  const add = (name: string, weight: number) => {
    const d = direction(name, dimension);
    for (let i = 0; i < dimension; i++) v[i] += weight * d[i];
  };
  add(`category:${facts.categoryId ?? 'none'}`, 1);
  let weight = 0.5;
  for (const parent of facts.parentCategoryIds ?? []) {
    add(`category:${parent}`, weight);
    weight /= 2;
  }
  add(`price:${facts.categoryId ?? 'none'}:${priceLevel(facts.priceFen)}`, 0.3);
  add(`store:${facts.storeId}`, 0.15);
  return normalized(v);
}

/**
 * The buyer's interests after an interaction with an item: a running mix, `weight` the share the
 * item takes (e.g. 0.1 for a click, 0.3 for an order). No previous interests: the item itself.
 */
export function interestsAfter(
  previous: Float32Array | null,
  itemVec: Float32Array,
  weight: number,
): Float32Array {
  if (!previous || previous.length !== itemVec.length) return normalized(itemVec);
  const w = Math.max(0, Math.min(1, weight));
  const v = new Float32Array(itemVec.length);
  for (let i = 0; i < v.length; i++) v[i] = (1 - w) * previous[i] + w * itemVec[i];
  return normalized(v);
}

/** Interaction weights for `interestsAfter`. */
export const INTEREST_WEIGHT = { click: 0.1, order: 0.3 } as const;
