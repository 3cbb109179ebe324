import { describe, expect, it } from 'vitest';
import { dot, EMBEDDING_DIMENSION, interestsAfter, itemVector, priceLevel } from './embedding.ts';

describe('itemVector', () => {
  it('is a deterministic unit vector of the embedding dimension', () => {
    const a = itemVector({ categoryId: 'shoes', priceFen: 9900, storeId: 's1' });
    const b = itemVector({ categoryId: 'shoes', priceFen: 9900, storeId: 's1' });
    expect(a).toHaveLength(EMBEDDING_DIMENSION);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(dot(a, a)).toBeCloseTo(1, 5);
  });

  it('puts items of one category near each other and apart from other categories', () => {
    const shoes1 = itemVector({ categoryId: 'shoes', priceFen: 9900, storeId: 's1' });
    const shoes2 = itemVector({ categoryId: 'shoes', priceFen: 12900, storeId: 's2' });
    const tea = itemVector({ categoryId: 'tea', priceFen: 9900, storeId: 's1' });
    expect(dot(shoes1, shoes2)).toBeGreaterThan(0.7);
    expect(dot(shoes1, shoes2)).toBeGreaterThan(dot(shoes1, tea) + 0.4);
  });

  it('brings sibling categories closer through a shared parent', () => {
    const boots = itemVector({
      categoryId: 'boots',
      parentCategoryIds: ['shoes'],
      priceFen: 9900,
      storeId: 's1',
    });
    const sneakers = itemVector({
      categoryId: 'sneakers',
      parentCategoryIds: ['shoes'],
      priceFen: 9900,
      storeId: 's2',
    });
    const tea = itemVector({ categoryId: 'tea', parentCategoryIds: ['food'], priceFen: 9900, storeId: 's3' });
    expect(dot(boots, sneakers)).toBeGreaterThan(dot(boots, tea));
  });

  it('price levels step by doubling', () => {
    expect(priceLevel(500)).toBe(0);
    expect(priceLevel(1000)).toBe(1);
    expect(priceLevel(2000)).toBe(2);
    expect(priceLevel(10 ** 9)).toBe(10);
  });
});

describe('interestsAfter', () => {
  it('starts at the item and moves toward what the buyer clicks, staying a unit vector', () => {
    const shoes = itemVector({ categoryId: 'shoes', priceFen: 9900, storeId: 's1' });
    const tea = itemVector({ categoryId: 'tea', priceFen: 9900, storeId: 's1' });
    const first = interestsAfter(null, shoes, 0.1);
    expect(dot(first, shoes)).toBeCloseTo(1, 5);
    let interests = first;
    const before = dot(interests, tea);
    for (let i = 0; i < 10; i++) interests = interestsAfter(interests, tea, 0.3);
    expect(dot(interests, tea)).toBeGreaterThan(before + 0.5);
    expect(dot(interests, interests)).toBeCloseTo(1, 5);
  });

  it('does not mutate its inputs', () => {
    const a = itemVector({ categoryId: 'a', priceFen: 100, storeId: 's' });
    const b = itemVector({ categoryId: 'b', priceFen: 100, storeId: 's' });
    const copy = Array.from(a);
    interestsAfter(a, b, 0.5);
    expect(Array.from(a)).toEqual(copy);
  });
});
