import type { FeedItem, TrafficSource } from './engine/types.ts';

/**
 * A page of the feed as logged: one row of `traffic_pages`, its cards in the arrays (card i's impression
 * id is `impressionIdOf(id, i)`). Kept in memory a while after so clicks that come soon after are
 * checked without a read.
 */
export interface LoggedPage {
  id: string;
  at: Date;
  day: string;
  viewerKey: string;
  buyerId: string | null;
  anonId: string | null;
  firstPosition: number;
  kinds: FeedItem['kind'][];
  itemIds: string[];
  itemKeys: string[];
  productIds: Array<string | null>;
  storeIds: string[];
  sources: TrafficSource[];
}

/**
 * One write: its pages (each array column as one PostgreSQL array literal of the pages' array
 * literals) and what the pages add to the rollups, summed per store/day/source and per item. Written
 * together and, when the write fails, retried as it is.
 */
export interface FlushBatch {
  pages: LoggedPage[];
  literals: { kinds: string; itemIds: string; productIds: string; storeIds: string; sources: string };
  daily: { days: string; storeIds: string; sources: string; counts: string };
  items: { keys: string; counts: string };
}

/** A PostgreSQL array literal of UUIDs or plain words (nothing to quote), null as NULL. */
export function arrayLiteral(values: ReadonlyArray<string | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += values[i] ?? 'NULL';
  }
  return `${out}}`;
}

/**
 * A PostgreSQL array literal of values that hold no quote or backslash (UUIDs, dates, timestamps,
 * numbers, the literals above), each quoted, null as NULL: one string parameter instead of the driver
 * escaping every element.
 */
export function quotedArrayLiteral(values: ReadonlyArray<string | number | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : `"${v}"`;
  }
  return `${out}}`;
}

/**
 * The pages shown and not written yet. Each page's share of the work (its array literals, its cards
 * added to the sums) is done when it is added, so taking a batch is cheap and no page waits long.
 */
export class PageBuffer {
  private pages: LoggedPage[] = [];
  private lit = {
    kinds: [] as string[],
    itemIds: [] as string[],
    productIds: [] as string[],
    storeIds: [] as string[],
    sources: [] as string[],
  };
  private daily = new Map<string, { day: string; storeId: string; source: TrafficSource; n: number }>();
  private items = new Map<string, number>();
  /** Cards in the buffered pages. */
  cards = 0;

  add(p: LoggedPage): void {
    this.pages.push(p);
    this.lit.kinds.push(arrayLiteral(p.kinds));
    this.lit.itemIds.push(arrayLiteral(p.itemIds));
    this.lit.productIds.push(arrayLiteral(p.productIds));
    this.lit.storeIds.push(arrayLiteral(p.storeIds));
    this.lit.sources.push(arrayLiteral(p.sources));
    for (let i = 0; i < p.itemIds.length; i++) {
      const storeId = p.storeIds[i] as string;
      const source = p.sources[i] as TrafficSource;
      const key = `${p.day}|${storeId}|${source}`;
      const d = this.daily.get(key);
      if (d) d.n++;
      else this.daily.set(key, { day: p.day, storeId, source, n: 1 });
      const itemKey = p.itemKeys[i] as string;
      this.items.set(itemKey, (this.items.get(itemKey) ?? 0) + 1);
    }
    this.cards += p.itemIds.length;
  }

  /** The buffered pages as one batch; the buffer is empty after. */
  take(): FlushBatch {
    const rows = [...this.daily.values()];
    const batch: FlushBatch = {
      pages: this.pages,
      literals: {
        kinds: quotedArrayLiteral(this.lit.kinds),
        itemIds: quotedArrayLiteral(this.lit.itemIds),
        productIds: quotedArrayLiteral(this.lit.productIds),
        storeIds: quotedArrayLiteral(this.lit.storeIds),
        sources: quotedArrayLiteral(this.lit.sources),
      },
      daily: {
        days: quotedArrayLiteral(rows.map((r) => r.day)),
        storeIds: quotedArrayLiteral(rows.map((r) => r.storeId)),
        sources: quotedArrayLiteral(rows.map((r) => r.source)),
        counts: quotedArrayLiteral(rows.map((r) => r.n)),
      },
      items: {
        keys: quotedArrayLiteral([...this.items.keys()]),
        counts: quotedArrayLiteral([...this.items.values()]),
      },
    };
    this.pages = [];
    this.lit = { kinds: [], itemIds: [], productIds: [], storeIds: [], sources: [] };
    this.daily = new Map();
    this.items = new Map();
    this.cards = 0;
    return batch;
  }
}
