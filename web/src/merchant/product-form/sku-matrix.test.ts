import { describe, expect, it } from 'vitest';
import type { Sku } from '../../api.ts';
import { sizeChartPayload } from './size-chart-payload.ts';
import { skuRows, splitLabels } from './sku-matrix.ts';

const sku = (size: string, color: string) => ({ id: `${size}-${color}`, size, color }) as Sku;
const plain = (rows: Array<{ size: string; color: string; saved: boolean }>) =>
  rows.map((r) => `${r.size}/${r.color}${r.saved ? ' saved' : ''}`);

describe('product form: the SKU matrix', () => {
  it('reads sizes and colours typed with any separator, once each', () => {
    expect(splitLabels('S, M，L / XL;XL\n XXL、')).toEqual(['S', 'M', 'L', 'XL', 'XXL']);
    expect(splitLabels('  ')).toEqual([]);
  });

  it('offers every size × colour for a new product, one blank row when nothing is typed', () => {
    expect(plain(skuRows(['S', 'M'], ['红', '蓝'], null))).toEqual(['S/红', 'S/蓝', 'M/红', 'M/蓝']);
    expect(plain(skuRows([], [], null))).toEqual(['/']);
  });

  it('lists saved SKUs first and adds only combinations with a new size or colour', () => {
    // The product sells S/红 and M/蓝 only: S/蓝 and M/红 are not asked for; L (new) is, in both colours.
    const saved = [sku('S', '红'), sku('M', '蓝')];
    expect(plain(skuRows(['S', 'M', 'L'], ['红', '蓝'], saved))).toEqual([
      'S/红 saved',
      'M/蓝 saved',
      'L/红',
      'L/蓝',
    ]);
  });
});

describe('product form: the size chart sent', () => {
  it('keeps positive measurements of the sizes sold, and sends none for a product that is no garment', () => {
    const chart = { S: { chest: 90, waist: 0 }, M: { chest: 95 }, XL: { chest: 110 } };
    expect(sizeChartPayload(chart, ['S', 'M'], true)).toEqual({ S: { chest: 90 }, M: { chest: 95 } });
    expect(sizeChartPayload(chart, ['S', 'M'], false)).toBeNull();
    expect(sizeChartPayload({ S: { chest: 0 } }, ['S'], true)).toBeNull();
  });
});
