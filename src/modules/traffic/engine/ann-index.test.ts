import { describe, expect, it } from 'vitest';
import { AnnIndex } from './ann-index.ts';
import { direction, dot } from './embedding.ts';

describe('AnnIndex', () => {
  it('finds the nearest items by inner product, grows past its capacity, forgets removed items', () => {
    const index = new AnnIndex({ dimension: 16, initialCapacity: 16 });
    const vectors = new Map<string, Float32Array>();
    for (let i = 0; i < 500; i++) {
      const v = direction(`item-${i}`, 16);
      vectors.set(`k${i}`, v);
      index.upsert(`k${i}`, v);
    }
    expect(index.size).toBe(500);
    const query = direction('item-7', 16);
    const top = index.search(query, 10);
    expect(top[0].key).toBe('k7');
    expect(top[0].similarity).toBeCloseTo(1, 4);
    // Exact top-10 by brute force: the ANN's recall is high.
    const exact = [...vectors].sort((a, b) => dot(query, b[1]) - dot(query, a[1])).slice(0, 10);
    const found = new Set(top.map((t) => t.key));
    expect(exact.filter(([k]) => found.has(k)).length).toBeGreaterThanOrEqual(8);

    index.remove('k7');
    expect(index.has('k7')).toBe(false);
    expect(index.search(query, 10).some((t) => t.key === 'k7')).toBe(false);
    // A removed slot is reused.
    index.upsert('new', query);
    expect(index.search(query, 1)[0].key).toBe('new');
    expect(index.size).toBe(500);
  });

  it('answers with at most the items it holds', () => {
    const index = new AnnIndex({ dimension: 4 });
    expect(index.search(direction('q', 4), 5)).toEqual([]);
    index.upsert('a', direction('a', 4));
    expect(index.search(direction('q', 4), 5).map((x) => x.key)).toEqual(['a']);
  });

  it('replaces an item vector in place', () => {
    const index = new AnnIndex({ dimension: 8 });
    index.upsert('a', direction('x', 8));
    index.upsert('b', direction('y', 8));
    index.upsert('a', direction('y', 8));
    expect(index.size).toBe(2);
    const hits = index.search(direction('y', 8), 2);
    expect(hits.every((h) => h.similarity > 0.99)).toBe(true);
  });
});

describe('AnnIndex: removals and re-adds in any order', () => {
  it('never loses a live key (deleted slots replaced, labels not reused)', () => {
    const index = new AnnIndex({ dimension: 4, initialCapacity: 16 });
    const vec = (i: number) => {
      const v = Float32Array.from([Math.cos(i), Math.sin(i), Math.cos(i / 3), Math.sin(i / 3)]);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const live = new Set<string>();
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 20; i++) {
        const key = `k${(round * 7 + i * 3) % 40}`;
        if (round % 2 === 0) {
          index.upsert(key, vec(i + round));
          live.add(key);
        } else {
          index.remove(key);
          live.delete(key);
        }
      }
      expect(index.size).toBe(live.size);
    }
    for (const key of [...live]) index.remove(key);
    expect(index.size).toBe(0);
    index.upsert('again', vec(1));
    expect(index.search(vec(1), 5).map((h) => h.key)).toEqual(['again']);
  });
});
