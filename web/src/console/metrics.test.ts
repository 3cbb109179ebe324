import { describe, expect, it } from 'vitest';
import {
  breakdownChart,
  breakdownValue,
  changeText,
  changeTone,
  chartValue,
  groupedBreakdown,
  type MetricPanel,
  monthChoices,
  panelHasData,
  trendOf,
  valueText,
} from './metrics.ts';

const panel = (over: Partial<MetricPanel> = {}): MetricPanel => ({
  id: 'gmv',
  unit: 'fen',
  value: 0,
  previous: null,
  lastYear: null,
  mom: null,
  yoy: null,
  series: [],
  breakdownUnit: 'count',
  breakdown: [],
  definition: '',
  ...over,
});

describe('dashboard figures', () => {
  it('reads a value in its unit', () => {
    expect(valueText('fen', 123456)).toBe('¥1234.56');
    expect(valueText('ratio', 0.1234)).toBe('12.3%');
    expect(valueText('average', 2.5)).toBe('2.50');
    expect(valueText('count', 1234567)).toBe('1,234,567');
    expect(valueText('count', null)).toBe('—');
    expect(chartValue('fen', 12345)).toBe(123.45);
    expect(chartValue('ratio', 0.12345)).toBe(12.35);
    expect(chartValue('count', 7)).toBe(7);
    expect(chartValue('ratio', null)).toBeNull();
  });

  it('reads a change, and a missing base as no change', () => {
    expect(changeText(0.123)).toBe('+12.3%');
    expect(changeText(-0.04)).toBe('-4.0%');
    expect(changeText(0)).toBe('0.0%');
    expect(changeText(null)).toBe('—');
    expect(trendOf(null)).toBe('none');
    expect(trendOf(0.0001)).toBe('flat');
    expect(trendOf(-0.2)).toBe('down');
  });

  it('colours a rise of refunds as bad news and a rise of GMV as good news', () => {
    expect(changeTone('gmv', 0.1)).toBe('good');
    expect(changeTone('gmv', -0.1)).toBe('bad');
    expect(changeTone('refund_rate', 0.1)).toBe('bad');
    expect(changeTone('refunds', -0.1)).toBe('good');
    expect(changeTone('gmv', null)).toBe('neutral');
  });

  it('keeps size refund reasons apart, largest first', () => {
    const groups = groupedBreakdown([
      { key: 'quality', value: 2, share: 0.2, group: null },
      { key: 'size_too_small', value: 3, share: 0.3, group: 'size' },
      { key: 'changed_mind', value: 4, share: 0.4, group: null },
      { key: 'size_too_large', value: 1, share: 0.1, group: 'size' },
    ]);
    expect(groups.map((g) => [g.group, g.total, g.share, g.rows.map((r) => r.key)])).toEqual([
      [null, 6, 0.6000000000000001, ['changed_mind', 'quality']],
      ['size', 4, 0.4, ['size_too_small', 'size_too_large']],
    ]);
    expect(breakdownValue('fen', 12345)).toBe(123.45);
    // a ratio panel's rows are counts (refunds by reason) or fen (channels' GMV): the breakdown's unit
    expect(breakdownValue('count', 180)).toBe(180);
  });

  it('draws shares of a whole as a pie', () => {
    expect(breakdownChart('channel_share')).toBe('pie');
    expect(breakdownChart('refund_rate')).toBe('bar');
  });

  it('knows an empty panel', () => {
    expect(panelHasData(panel())).toBe(false);
    expect(
      panelHasData(panel({ unit: 'ratio', value: null, series: [{ month: '2026-01', value: null }] })),
    ).toBe(false);
    expect(panelHasData(panel({ series: [{ month: '2026-01', value: 3 }] }))).toBe(true);
  });

  it('offers this month and the two years before it', () => {
    const months = monthChoices('2026-03');
    expect(months).toHaveLength(25);
    expect(months.slice(0, 4)).toEqual(['2026-03', '2026-02', '2026-01', '2025-12']);
    expect(months.at(-1)).toBe('2024-03');
  });
});
