import { describe, expect, it } from 'vitest';
import { keptFor } from './kept-feed.ts';

describe('keptFor: the home feed kept for back navigation', () => {
  const kept = { owner: 'a1', state: { items: ['x'] } };
  it('comes back for the same account on back/forward navigation', () => {
    expect(keptFor(kept, 'a1', true)).toEqual({ items: ['x'] });
    expect(keptFor(kept, 'a1', false)).toBeNull();
  });
  it('never for another account or after signing out (and not the other way round)', () => {
    expect(keptFor(kept, 'a2', true)).toBeNull();
    expect(keptFor(kept, null, true)).toBeNull();
    expect(keptFor({ owner: null, state: 1 }, 'a1', true)).toBeNull();
    expect(keptFor(null, 'a1', true)).toBeNull();
  });
});
