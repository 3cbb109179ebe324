import { describe, expect, it } from 'vitest';
import { type Attribution, DIRECT } from '../../platform/attribution.ts';
import {
  attributionColumns,
  attributionOf,
  eventLines,
  leadingAttribution,
  lineAttribution,
} from './line-attribution.ts';

const feed: Attribution = {
  channel: 'feed',
  impressionId: '11111111-1111-4111-8111-111111111111',
  contentId: null,
};
const video: Attribution = {
  channel: 'video',
  impressionId: null,
  contentId: '22222222-2222-4222-8222-222222222222',
};
const search: Attribution = { channel: 'search', impressionId: null, contentId: null };

describe('line attribution', () => {
  it('a buy-now line takes its own, else the request’s, else the cart line’s, else direct', () => {
    expect(lineAttribution(feed, search, video)).toEqual(feed);
    expect(lineAttribution(undefined, search, video)).toEqual(search);
    expect(lineAttribution(undefined, undefined, video)).toEqual(video);
    expect(lineAttribution(undefined, undefined, null)).toEqual(DIRECT);
  });

  it('a checkout or order takes the request’s, else its line that paid the most (ties: lower SKU id)', () => {
    const lines = [
      { skuId: 'b', paidFen: 500, attribution: feed },
      { skuId: 'c', paidFen: 900, attribution: video },
      { skuId: 'a', paidFen: 900, attribution: search },
    ];
    expect(leadingAttribution(feed, lines)).toEqual(feed);
    expect(leadingAttribution(undefined, lines)).toEqual(search);
    expect(leadingAttribution(undefined, lines.slice(0, 2))).toEqual(video);
    expect(leadingAttribution(undefined, [])).toEqual(DIRECT);
  });

  it('columns and values map both ways; rows from before attribution are direct', () => {
    expect(attributionOf(attributionColumns(video))).toEqual(video);
    expect(attributionOf({ channel: 'direct', impression_id: null, content_id: null })).toEqual(DIRECT);
    expect(
      attributionColumns({
        channel: 'feed',
        impressionId: feed.impressionId?.toUpperCase() ?? null,
        contentId: null,
      }),
    ).toEqual({ channel: 'feed', impression_id: feed.impressionId, content_id: null });
  });

  it('event lines carry product, quantity, what was paid and attribution, in SKU-id order', () => {
    const row = (sku: string, paid: number | null, a: Attribution) => ({
      sku_id: sku,
      product_id: `p-${sku}`,
      quantity: 2,
      paid_fen: paid as number,
      unit_price_fen: 300,
      ...attributionColumns(a),
    });
    expect(eventLines([row('b', 450, feed), row('a', null, video)])).toEqual([
      { skuId: 'a', productId: 'p-a', quantity: 2, amountFen: 600, attribution: video },
      { skuId: 'b', productId: 'p-b', quantity: 2, amountFen: 450, attribution: feed },
    ]);
  });
});
