import type { components } from '../api/schema.gen.ts';

/**
 * Where the buyer came from, as the product page's address carries it (the buyer URL contract:
 * `?from=<channel>&imp=<impressionId>&content=<id>`, set by the feed, search and store links) and
 * as the cart and checkout take it (`attribution`, src/platform/attribution.ts on the server).
 */
export type Attribution = components['schemas']['AttributionInput'];
export type AttributionChannel = Attribution['channel'];

const CHANNELS: readonly AttributionChannel[] = [
  'feed',
  'search',
  'store',
  'video',
  'live',
  'replay',
  'direct',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idOrNull = (v: string | null) => (v && UUID.test(v) ? v.toLowerCase() : null);

/**
 * The attribution in an address's query, or undefined when it names no known channel (an id that is
 * not a uuid is dropped, so a hand-edited link never makes the cart answer 400).
 */
export function attributionFromQuery(query: URLSearchParams): Attribution | undefined {
  const from = query.get('from');
  const channel = CHANNELS.find((c) => c === from);
  if (!channel) return undefined;
  return { channel, impressionId: idOrNull(query.get('imp')), contentId: idOrNull(query.get('content')) };
}

/** The query parameters that carry an attribution on to the next page (`from`, `imp`, `content`). */
export function attributionQuery(a: Attribution | undefined): Record<string, string> {
  if (!a) return {};
  return {
    from: a.channel,
    ...(a.impressionId ? { imp: a.impressionId } : {}),
    ...(a.contentId ? { content: a.contentId } : {}),
  };
}

/** A product page's address, with where the buyer came from. */
export function productPath(
  productId: string,
  a?: Partial<Attribution> & { channel: AttributionChannel },
): string {
  const q = new URLSearchParams(
    a
      ? attributionQuery({
          channel: a.channel,
          impressionId: a.impressionId ?? null,
          contentId: a.contentId ?? null,
        })
      : {},
  ).toString();
  return `/product/${productId}${q ? `?${q}` : ''}`;
}
