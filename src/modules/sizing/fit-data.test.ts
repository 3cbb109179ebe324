import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  parseFit,
  parseFitLine,
  parseHeightCm,
  parseWeightKg,
  readFitItems,
  readFitRecords,
} from './fit-data.ts';

const lines = [
  JSON.stringify({
    user_id: 'u1',
    item_id: 'i1',
    size: 'M',
    fit: 'fit',
    height: `5' 6"`,
    weight: '130lbs',
    age: '28',
    gender: 'F',
    'bust size': '34c',
    extra: 1,
  }),
  JSON.stringify({ user_id: 'u2', item_id: 'i1', size: 8, fit: 'Just Right', split: 'valid' }),
  JSON.stringify({ user_id: 'u3', item_id: 'i2', size: 'L', fit: 'LARGE' }),
  JSON.stringify({ user_id: 'u4', item_id: 'i2', size: 'L', fit: 'perfect' }),
  JSON.stringify({ user_id: 'u5', item_id: 'i2', size: 'L' }),
  '{"user_id": "u6", broken',
  '[1,2,3]',
  'null',
  '',
  JSON.stringify({ user_id: 'u7', item_id: 'i3', size: 'S', fit: 'Small', split: 'test' }),
];

describe('fit-feedback parsing', () => {
  it('normalises RTR/ModCloth fields', () => {
    expect(parseFit('just right')).toBe('fit');
    expect(parseFit('Small')).toBe('small');
    expect(parseFit('huge')).toBeUndefined();
    expect(parseHeightCm(`5' 6"`)).toBeCloseTo(167.64, 2);
    expect(parseHeightCm('170cm')).toBe(170);
    expect(parseWeightKg('130lbs')).toBeCloseTo(58.97, 2);
    expect(parseWeightKg('60kg')).toBe(60);
    const r = parseFitLine(lines[0]);
    expect(r).toMatchObject({
      userId: 'u1',
      itemId: 'i1',
      size: 'M',
      fit: 'fit',
      age: 28,
      sex: 'female',
      braSize: '34c',
    });
    expect(parseFitLine(lines[1])).toMatchObject({ size: '8', fit: 'fit', split: 'valid' });
  });

  it('skips and counts bad lines, plain and gzipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fit-data-'));
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(dir, 'a.jsonl'), text);
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(text));
    for (const f of ['a.jsonl', 'a.jsonl.gz']) {
      const { records, skipped } = await readFitRecords(join(dir, f));
      expect(records.map((r) => r.userId)).toEqual(['u1', 'u2', 'u3', 'u7']);
      expect(skipped).toBe(5);
    }
    writeFileSync(
      join(dir, 'items.jsonl'),
      `${JSON.stringify({ item_id: 'i1', category: 'dress', brand: 'B', fit_type: 'slim', gender: 'F', size_chart: { M: { chest: 96 } } })}\nbad\n`,
    );
    const items = await readFitItems(join(dir, 'items.jsonl'));
    expect(items.get('i1')).toMatchObject({
      brand: 'B',
      fitType: 'slim',
      sex: 'female',
      chart: { M: { chest: 96 } },
    });
  });
});
