import { describe, expect, it } from 'vitest';
import { attributionFromQuery, attributionQuery, productPath } from './attribution.ts';

const imp = '0b6a3c1e-5d2f-4a8b-9c7d-111111111111';
const clip = '0b6a3c1e-5d2f-4a8b-9c7d-333333333333';

describe('attribution in the buyer’s addresses', () => {
  it('reads from, imp and content; an unknown channel is none; an id that is not a uuid is dropped', () => {
    expect(attributionFromQuery(new URLSearchParams(`from=feed&imp=${imp}`))).toEqual({
      channel: 'feed',
      impressionId: imp,
      contentId: null,
    });
    expect(attributionFromQuery(new URLSearchParams(`from=video&content=${clip.toUpperCase()}`))).toEqual({
      channel: 'video',
      impressionId: null,
      contentId: clip,
    });
    expect(attributionFromQuery(new URLSearchParams('from=feed&imp=1%27%20or%201'))).toEqual({
      channel: 'feed',
      impressionId: null,
      contentId: null,
    });
    expect(attributionFromQuery(new URLSearchParams('from=tv'))).toBeUndefined();
    expect(attributionFromQuery(new URLSearchParams(`imp=${imp}`))).toBeUndefined();
  });

  it('carries it on: query parameters and product links', () => {
    const a = { channel: 'feed' as const, impressionId: imp, contentId: null };
    expect(attributionFromQuery(new URLSearchParams(attributionQuery(a)))).toEqual(a);
    expect(attributionQuery(undefined)).toEqual({});
    expect(productPath('p1')).toBe('/product/p1');
    expect(productPath('p1', { channel: 'search' })).toBe('/product/p1?from=search');
    expect(productPath('p1', a)).toBe(`/product/p1?from=feed&imp=${imp}`);
  });
});
