import { describe, expect, it } from 'vitest';
import { impressionIdOf, newPageId, pageOfImpression, pageTimeOf } from './impression-ids.ts';

const at = new Date('2026-11-30T08:00:00.123Z');

describe('impression ids: a page id and the card index', () => {
  it('names the page and the slot, round trip', () => {
    const page = newPageId(at);
    expect(page).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{8}0000$/);
    for (const i of [0, 1, 19, 49, 255]) {
      const id = impressionIdOf(page, i);
      expect(id).toHaveLength(36);
      expect(pageOfImpression(id)).toEqual({ pageId: page, index: i });
    }
    expect(impressionIdOf(page, 0)).toBe(page);
    expect(impressionIdOf(page, 26)).toBe(`${page.slice(0, 32)}001a`);
  });

  it('two pages never share an impression id; upper case reads the same; junk is null', () => {
    const a = newPageId(at);
    const b = newPageId(at);
    expect(a).not.toBe(b);
    expect(impressionIdOf(a, 3)).not.toBe(impressionIdOf(b, 3));
    expect(pageOfImpression(impressionIdOf(a, 7).toUpperCase())).toEqual({ pageId: a, index: 7 });
    expect(pageOfImpression('nope')).toBeNull();
    expect(pageOfImpression(`${a}0`)).toBeNull();
  });

  it('a page id carries the time it was shown, to the millisecond', () => {
    const page = newPageId(at);
    expect(pageTimeOf(page)).toEqual(at);
    expect(pageTimeOf(impressionIdOf(page, 9).slice(0, 32) + '0000')).toEqual(at);
    expect(pageTimeOf(newPageId(new Date(0)))).toEqual(new Date(0));
  });
});
