import { describe, expect, it } from 'vitest';
import { arrayLiteral, type LoggedPage, PageBuffer, quotedArrayLiteral } from './page-buffer.ts';

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';

function page(
  id: string,
  day: string,
  cards: Array<[item: string, store: string, source: LoggedPage['sources'][number]]>,
): LoggedPage {
  return {
    id,
    at: new Date('2026-03-01T02:00:00Z'),
    day,
    viewerKey: 'a:x',
    buyerId: null,
    anonId: 'x',
    firstPosition: 0,
    kinds: cards.map(() => 'product'),
    itemIds: cards.map((c) => c[0]),
    itemKeys: cards.map((c) => `product:${c[0]}`),
    productIds: cards.map((c) => c[0]),
    storeIds: cards.map((c) => c[1]),
    sources: cards.map((c) => c[2]),
  };
}

describe('page buffer: pages and their sums per store/day/source and per item', () => {
  it('sums every card once, per batch, and empties on take', () => {
    const b = new PageBuffer();
    b.add(
      page('p1', '2026-03-01', [
        ['i1', S1, 'organic'],
        ['i2', S2, 'cold_start'],
        ['i1', S1, 'organic'],
      ]),
    );
    b.add(page('p2', '2026-03-02', [['i2', S2, 'cold_start']]));
    expect(b.cards).toBe(4);
    const batch = b.take();
    expect(batch.pages.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(batch.daily).toEqual({
      days: '{"2026-03-01","2026-03-01","2026-03-02"}',
      storeIds: `{"${S1}","${S2}","${S2}"}`,
      sources: '{"organic","cold_start","cold_start"}',
      counts: '{"2","1","1"}',
    });
    expect(batch.items).toEqual({ keys: '{"product:i1","product:i2"}', counts: '{"2","2"}' });
    expect(batch.literals.itemIds).toBe('{"{i1,i2,i1}","{i2}"}');
    expect(b.cards).toBe(0);
    expect(b.take().pages).toEqual([]);
  });

  it('writes array literals with NULL for null', () => {
    expect(arrayLiteral(['a', null, 'b'])).toBe('{a,NULL,b}');
    expect(quotedArrayLiteral(['a', null, 3])).toBe('{"a",NULL,"3"}');
    expect(quotedArrayLiteral([])).toBe('{}');
  });
});
