import { describe, expect, it } from 'vitest';
import { chartInSizeOrder } from './size-chart-order.ts';

describe('chartInSizeOrder', () => {
  it('lists rows in the order the product sells its sizes, not the stored order', () => {
    const stored = { L: { chest: 104 }, M: { chest: 100 }, S: { chest: 96 }, XL: { chest: 108 } };
    expect(Object.keys(chartInSizeOrder(stored, ['S', 'M', 'L', 'XL']))).toEqual(['S', 'M', 'L', 'XL']);
  });

  it('keeps rows of sizes no SKU sells, after the sold ones', () => {
    const stored = { XXL: { chest: 112 }, M: { chest: 100 }, S: { chest: 96 } };
    expect(chartInSizeOrder(stored, ['S', 'M'])).toEqual({
      S: { chest: 96 },
      M: { chest: 100 },
      XXL: { chest: 112 },
    });
  });
});
