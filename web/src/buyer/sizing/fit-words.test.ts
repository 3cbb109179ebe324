import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

/**
 * One vocabulary of fit words: the probability bars and fit feedback (tight / fits / loose) use the
 * same words as the avatar's five levels, and a fit preference never borrows a fit word.
 */
describe.each([
  ['zh-CN', zhCN],
  ['en', en],
])('fit words in %s', (_lang, messages) => {
  const s = messages.sizing;

  it('names the three outcomes with the words of the five levels', () => {
    expect(s.fitOutcome).toEqual({
      small: s.levels.slightly_tight,
      fit: s.levels.just_right,
      large: s.levels.slightly_loose,
    });
    expect(new Set(Object.values(s.levels)).size).toBe(5);
  });

  it('keeps the fit preferences apart from the fit words', () => {
    for (const word of Object.values(s.pref)) expect(Object.values(s.levels)).not.toContain(word);
  });

  it('has no second set of bar words', () => {
    expect(Object.keys(s)).not.toEqual(expect.arrayContaining(['pSmall']));
    expect(Object.keys(s)).not.toContain('pFit');
    expect(Object.keys(s)).not.toContain('pLarge');
  });
});
