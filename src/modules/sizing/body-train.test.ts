import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORE_ZONES, loadAnsurDir } from './ansur-csv.ts';
import { defaultBodyModel } from './body-estimate.ts';
import { evaluateBodyModel } from './body-eval.ts';
import { predictSex } from './body-model.ts';
import { trainBodyModel } from './body-train.ts';

const SLICE = fileURLToPath(new URL('../../../test/fixtures/sizing/ansur-slice', import.meta.url));

describe('body model training and evaluation on the committed ANSUR slice', () => {
  const subjects = loadAnsurDir(SLICE);

  it('parses both files (Latin-1, CRLF, different id column names)', () => {
    expect(subjects.filter((s) => s.sex === 'male')).toHaveLength(60);
    expect(subjects.filter((s) => s.sex === 'female')).toHaveLength(60);
    const s = subjects[0];
    expect(s.heightCm).toBeGreaterThan(140);
    expect(s.body.chest).toBeGreaterThan(60);
    expect(s.body.chest).toBeLessThan(160);
  });

  it('trains a small JSON model that predicts sensibly', () => {
    let calls = 0;
    const model = trainBodyModel(subjects, { onProgress: () => calls++ });
    expect(calls).toBe(16);
    expect(JSON.stringify(model).length).toBeLessThan(40_000);
    const p = predictSex(model.sexes.male, 178, 80, 30);
    expect(p.mean.chest).toBeGreaterThan(90);
    expect(p.mean.chest).toBeLessThan(110);
    const r = evaluateBodyModel(model, subjects);
    for (const z of CORE_ZONES) expect(r.maeCm[z]).toBeGreaterThan(0);
  });

  it('committed model beats the in-sample least-squares baseline in total on the slice', () => {
    const r = evaluateBodyModel(defaultBodyModel(), subjects);
    expect(r.subjects).toBe(120);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(r.maeCm)).toBeLessThan(sum(r.baselineMaeCm));
    expect(r.maeCm.waist).toBeLessThan(r.baselineMaeCm.waist);
  });
});
