import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAnsurDir } from './ansur-csv.ts';
import { auc } from './fit-auc.ts';
import { parseFitLine, readFitItemsFromLines } from './fit-data.ts';
import { evaluateFit, predictPrepared } from './fit-eval.ts';
import { recommendSize } from './fit-model.ts';
import { bodyForRecord, prepareRecords } from './fit-prepare.ts';
import { simulateFitData } from './fit-simulate.ts';

const SLICE = fileURLToPath(new URL('../../../test/fixtures/sizing/ansur-slice', import.meta.url));

describe('AUC', () => {
  it('matches hand-computed values', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 10);
    expect(auc([1, 1], [true, false])).toBe(0.5);
    expect(auc([1, 2], [true, true])).toBeNaN();
  });
});

describe('simulate → eval', () => {
  it('the learned model beats chart-only on a small generated file', () => {
    const subjects = loadAnsurDir(SLICE);
    const { lines, itemLines } = simulateFitData(subjects, { records: 3000, seed: 3 });
    const records = lines.map((l) => parseFitLine(l)).filter((r) => r !== undefined);
    expect(records).toHaveLength(3000);
    const r = evaluateFit(records, readFitItemsFromLines(itemLines), 0);
    expect(r.aucAvg).toBeGreaterThan(r.chartOnlyAucAvg + 0.05);
    expect(r.aucAvg).toBeGreaterThan(0.75);
    // without the items file (category typical charts only) it still learns
    const bare = evaluateFit(records, new Map(), 0);
    expect(bare.aucAvg).toBeGreaterThan(bare.chartOnlyAucAvg);
    // buyers without body answers: size-label position plus learned buyer offsets still carry signal
    const noBody = records.map(({ heightCm, weightKg, age, braSize, ...rest }) => rest);
    const nb = evaluateFit(noBody, readFitItemsFromLines(itemLines), 0);
    expect(nb.aucAvg).toBeGreaterThan(0.7);
    expect(nb.aucAvg).toBeGreaterThan(nb.chartOnlyAucAvg);
    // learned corrections are plain JSON
    const round = JSON.parse(JSON.stringify(r.corrections));
    expect(Object.keys(round.product).length).toBeGreaterThan(10);
    expect(Object.keys(round.buyerWidth).length).toBeGreaterThan(10);
  });

  it('evaluation scores records through the same path as recommendSize', () => {
    const subjects = loadAnsurDir(SLICE);
    const { lines, itemLines } = simulateFitData(subjects, { records: 400, seed: 8 });
    const records = lines.map((l) => parseFitLine(l)).filter((r) => r !== undefined);
    const items = readFitItemsFromLines(itemLines);
    const r = evaluateFit(records, items, 0);
    const prepared = prepareRecords(records, items);
    for (let i = 0; i < 50; i++) {
      const rec = records[i];
      const item = items.get(rec.itemId);
      const { body } = bodyForRecord(rec, item?.sex);
      const rec2 = recommendSize({
        body,
        product: {
          chart: item?.chart,
          category: item?.category,
          brand: item?.brand,
          fitType: item?.fitType,
          productId: rec.itemId,
        },
        corrections: r.corrections,
        buyerId: rec.userId,
      });
      const opt = rec2.sizes.find((s) => s.size === rec.size);
      const p = predictPrepared(r.corrections, prepared[i]);
      expect(opt?.pSmall).toBeCloseTo(p.small, 10);
      expect(opt?.pLarge).toBeCloseTo(p.large, 10);
    }
  });
});
