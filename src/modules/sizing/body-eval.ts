import { type AnsurSubject, CORE_ZONES } from './ansur-csv.ts';
import { type BodyModel, predictSex } from './body-model.ts';
import { fitRidge, predictRidge } from './body-ridge.ts';

export type CoreZone = (typeof CORE_ZONES)[number];

export interface BodyEvalResult {
  subjects: number;
  maeCm: Record<CoreZone, number>;
  baselineMaeCm: Record<CoreZone, number>;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Scores the model on subjects using only their self-reported height, weight, age and sex, beside an
 * in-sample ordinary least-squares baseline per sex (target ~ 1 + height + weight) fitted on these subjects.
 */
export function evaluateBodyModel(model: BodyModel, subjects: AnsurSubject[]): BodyEvalResult {
  const maeCm = {} as Record<CoreZone, number>;
  const baselineMaeCm = {} as Record<CoreZone, number>;
  const preds = subjects.map((s) => predictSex(model.sexes[s.sex], s.heightCm, s.weightKg, s.age));
  for (const z of CORE_ZONES) {
    let err = 0;
    let errBase = 0;
    for (const sex of ['male', 'female'] as const) {
      const idx = subjects.map((s, i) => (s.sex === sex ? i : -1)).filter((i) => i >= 0);
      if (idx.length === 0) continue;
      for (const i of idx) err += Math.abs(preds[i].mean[z] - subjects[i].body[z]);
      const rows = idx.map((i) => [subjects[i].heightCm, subjects[i].weightKg]);
      const ols = fitRidge(
        rows,
        idx.map((i) => subjects[i].body[z]),
        0,
      );
      idx.forEach((i, k) => {
        errBase += Math.abs(predictRidge(ols, rows[k]) - subjects[i].body[z]);
      });
    }
    maeCm[z] = r3(err / subjects.length);
    baselineMaeCm[z] = r3(errBase / subjects.length);
  }
  return { subjects: subjects.length, maeCm, baselineMaeCm };
}

export function formatBodyEvalTable(r: BodyEvalResult): string {
  const lines = [`subjects: ${r.subjects}`, 'measure     model MAE cm   baseline MAE cm   gain'];
  let a = 0;
  let b = 0;
  for (const z of CORE_ZONES) {
    a += r.maeCm[z];
    b += r.baselineMaeCm[z];
    const gain = ((1 - r.maeCm[z] / r.baselineMaeCm[z]) * 100).toFixed(1);
    lines.push(
      `${z.padEnd(10)}  ${r.maeCm[z].toFixed(3).padStart(12)}   ${r.baselineMaeCm[z].toFixed(3).padStart(15)}   ${gain}%`,
    );
  }
  lines.push(
    `${'total'.padEnd(10)}  ${a.toFixed(3).padStart(12)}   ${b.toFixed(3).padStart(15)}   ${((1 - a / b) * 100).toFixed(1)}%`,
  );
  return lines.join('\n');
}
