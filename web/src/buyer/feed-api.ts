/**
 * The home feed as the buyer app reads it: pages of mixed items ranked by the traffic engine
 * (`GET /feed`), each shown item an impression; a click on one is logged with its impression id
 * (`POST /feed/events`), without holding up the navigation.
 */
import { api, type ResponseOf } from '../api.ts';

export type FeedPage = ResponseOf<'/feed', 'get'>;
/** One shown item (a product now; short videos and live rooms when the content issue adds them). */
export type FeedCard = FeedPage['items'][number];

export const loadFeed = (cursor: string | null, signal?: AbortSignal) =>
  api.get('/feed', { params: { query: { cursor: cursor ?? undefined, limit: 20 } }, signal });

/** The card's link: the product page with the attribution (`from`, `imp`) of the brief's URL contract. */
export function productHref(productId: string, impressionId: string): string {
  return `/product/${encodeURIComponent(productId)}?from=feed&imp=${encodeURIComponent(impressionId)}`;
}

/** Logs a click, fire-and-forget: never awaited, never blocks the navigation; a failure is dropped. */
export function logClick(impressionId: string): void {
  api.post('/feed/events', { body: { impressionId, kind: 'click' }, keepalive: true }).catch(() => undefined);
}
