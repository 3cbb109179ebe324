/**
 * Feed sessions and recent impressions held in this process's memory, both bounded (least recently
 * used go first), so a page of the feed needs no database read: a session remembers the items already
 * shown (not shown again on its next pages) and where the next page starts; recent impressions answer
 * "was this impression shown to this viewer?" for clicks that come soon after, without a read.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

export interface FeedSession {
  /** Who the session belongs to (`b:<buyer>` or `a:<anonymous id>`): another viewer's cursor starts afresh. */
  viewerKey: string;
  shown: Set<string>;
  /** The next page's number and first position. */
  page: number;
  position: number;
}

/** At most this many items are kept per session to exclude (older ones may come back). */
export const SESSION_SHOWN_MAX = 500;

/** `<session id>.<page>`: the page number keeps a replayed cursor from skipping ahead. */
export function parseCursor(cursor: string | undefined): { sessionId: string; page: number } | null {
  if (!cursor) return null;
  const dot = cursor.lastIndexOf('.');
  if (dot <= 0) return null;
  const page = Number(cursor.slice(dot + 1));
  if (!Number.isInteger(page) || page < 0) return null;
  return { sessionId: cursor.slice(0, dot), page };
}

export function formatCursor(sessionId: string, page: number): string {
  return `${sessionId}.${page}`;
}
