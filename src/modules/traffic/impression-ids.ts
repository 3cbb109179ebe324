import { randomUUID } from 'node:crypto';

/**
 * Impression ids. The feed logs one row per page (`traffic_pages`), not one per card: the page's id is
 * a random UUID whose last 4 hex digits are 0000, and the impression id of the card at index i on the
 * page (0-based) is that id with its last 4 hex digits = i. So an impression id names its page row and
 * its slot in the page's arrays exactly (the `traffic_impressions` view unnests pages the same way).
 */
export const MAX_PAGE_CARDS = 0x10000;

/**
 * A new page id, shown at `at`: laid out as a version-7 UUID (its first 48 bits are the time in
 * milliseconds, the rest random) ending in 0000. The time lets the order credit tell an impression not
 * written yet (a recent page, worth retrying) from one that never existed or was pruned (not worth it).
 */
export function newPageId(at: Date): string {
  const ms = Math.max(0, Math.min(at.getTime(), 0xffffffffffff)).toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19, 32)}0000`;
}

/** When the page an id names says it was shown (any UUID-shaped id reads as some time: a claim, not a fact). */
export function pageTimeOf(pageId: string): Date {
  return new Date(Number.parseInt(pageId.slice(0, 8) + pageId.slice(9, 13), 16));
}

/** The impression id of the card at `index` on page `pageId`. */
export function impressionIdOf(pageId: string, index: number): string {
  return pageId.slice(0, 32) + index.toString(16).padStart(4, '0');
}

/** The page and the card's index an impression id names (null for anything not shaped as a UUID). */
export function pageOfImpression(impressionId: string): { pageId: string; index: number } | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(impressionId)) return null;
  const id = impressionId.toLowerCase();
  return { pageId: `${id.slice(0, 32)}0000`, index: Number.parseInt(id.slice(32), 16) };
}
