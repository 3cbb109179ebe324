import { describe, expect, it } from 'vitest';
import { earnedFen, isGoodReview, profileComplete, VILLAGE_STEPS } from './village.ts';

describe('newbie village rules', () => {
  it('earns rate × net GMV, rounded down, capped, never below zero', () => {
    expect(earnedFen({ gmvFen: 10_000, refundsFen: 0, rateBps: 500, capFen: 1_000 })).toBe(500);
    expect(earnedFen({ gmvFen: 10_001, refundsFen: 2, rateBps: 333, capFen: 1_000 })).toBe(332);
    expect(earnedFen({ gmvFen: 1_000_000, refundsFen: 0, rateBps: 500, capFen: 1_000 })).toBe(1_000);
    expect(earnedFen({ gmvFen: 100, refundsFen: 200, rateBps: 500, capFen: 1_000 })).toBe(0);
    // Large GMV does not lose precision.
    expect(
      earnedFen({
        gmvFen: 900_000_000_000_000,
        refundsFen: 1,
        rateBps: 9_999,
        capFen: Number.MAX_SAFE_INTEGER,
      }),
    ).toBe(899_909_999_999_999);
  });

  it('counts a buyer review of 4 or 5 stars, never the default one', () => {
    expect(isGoodReview({ rating: 4, isDefault: false })).toBe(true);
    expect(isGoodReview({ rating: 3, isDefault: false })).toBe(false);
    expect(isGoodReview({ rating: 5, isDefault: true })).toBe(false);
  });

  it('wants a description and a logo for a complete profile', () => {
    expect(profileComplete({ description: '原创女装', logoUrl: 'https://x/logo.png' })).toBe(true);
    expect(profileComplete({ description: '  ', logoUrl: 'https://x/logo.png' })).toBe(false);
    expect(profileComplete({ description: '原创女装', logoUrl: '' })).toBe(false);
  });

  it('has eight steps, the size chart only for apparel', () => {
    expect(VILLAGE_STEPS.map((s) => s.key)).toHaveLength(8);
    expect(VILLAGE_STEPS.filter((s) => 'apparelOnly' in s).map((s) => s.key)).toEqual(['size_chart']);
  });
});
