import { describe, expect, it } from 'vitest';
import { SIZE_ZONES } from '../../../src/modules/catalog/index.ts';
import { garmentZoneSchema } from '../../../src/modules/sizing/schemas.ts';
import { CHART_ZONES, chartSizes, chartZones } from './size-chart.ts';

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
