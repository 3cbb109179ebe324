import { describe, expect, it } from 'vitest';
import { SIZE_ZONES } from '../../../src/modules/catalog/index.ts';
import { garmentZoneSchema } from '../../../src/modules/sizing/schemas.ts';
import { en } from '../i18n/en.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { CHART_ZONES, chartSizes, chartZones, zoneLabelKey } from './size-chart.ts';

describe('size charts as the web shows and edits them', () => {
  it('offers every measurement the catalog accepts, which covers every zone the size assistant judges', () => {
    expect([...CHART_ZONES].sort()).toEqual([...SIZE_ZONES].sort());
    for (const zone of garmentZoneSchema.options) expect(CHART_ZONES).toContain(zone);
  });

  it('lists rows in the order the product sells its sizes', () => {
    const chart = { L: { chest: 104 }, M: { chest: 100 }, S: { chest: 96 }, XXL: { chest: 112 } };
    expect(chartSizes(chart, ['S', 'M', 'L', 'XL'])).toEqual(['S', 'M', 'L', 'XXL']);
  });

  it('shows every measurement the chart gives, inseam and shoulder included, and no empty column', () => {
    const chart = {
      '27': { waist: 68, hip: 92, length: 100, inseam: 74 },
      '28': { waist: 70.5, hip: 94.5, length: 100.5, inseam: 74.5 },
    };
    expect(chartZones(chart)).toEqual(['waist', 'hip', 'length', 'inseam']);
    expect(chartZones({ M: { chest: 100, shoulder: 40, length: 64 } })).toEqual([
      'chest',
      'shoulder',
      'length',
    ]);
  });
});

describe('size chart column names', () => {
  it('names a length for the garment: trousers and jeans, dresses, and tops', () => {
    expect(zoneLabelKey('length', 'women-jeans')).toBe('buyer.zones.lengthTrousers');
    expect(zoneLabelKey('length', 'kids-pants')).toBe('buyer.zones.lengthTrousers');
    expect(zoneLabelKey('length', 'women-dress')).toBe('buyer.zones.lengthDress');
    expect(zoneLabelKey('length', 'men-tshirt')).toBe('buyer.zones.length');
    expect(zoneLabelKey('waist', 'men-jeans')).toBe('buyer.zones.waist');
  });

  it('has each of those names in both languages', () => {
    for (const dict of [zhCN, en]) {
      const zones = dict.buyer.zones as Record<string, string>;
      for (const key of ['length', 'lengthTrousers', 'lengthDress', ...CHART_ZONES])
        expect(zones[key]).toBeTruthy();
    }
    expect(zhCN.buyer.zones.lengthTrousers).toBe('裤长');
  });
});
