import { CATEGORY_GROUPS, type CategoryGroup } from './fit-charts.ts';
import {
  defaultCorrections,
  EASE_SCALE_CM,
  type FitCorrections,
  LEVELS,
  levelKeys,
  sigmoid,
  ZONES,
} from './fit-model.ts';
import type { PreparedRecord } from './fit-prepare.ts';
import { createRng } from './random.ts';

export interface FitTrainConfig {
  /** L2 strength of product/brand/category offsets and of buyer offsets (penalty reg·b² per epoch). */
  regItem: number;
  regBuyer: number;
  epochs?: number;
  learningRate?: number;
  /** L2 strength of the per-buyer width of the fit band; Infinity turns it off (default 3). */
  regWidth?: number;
  seed?: number;
}

/** d(−log P(y))/df and d/dt1, d/dt2 of the ordinal logistic loss. */
export function ordinalGradient(y: number, f: number, t1: number, t2: number): [number, number, number] {
  const a = sigmoid(t1 - f);
  const b = sigmoid(t2 - f);
  if (y === 0) return [1 - a, -(1 - a), 0];
  if (y === 2) return [-b, 0, b];
  const p = Math.max(b - a, 1e-9);
  return [(b * (1 - b) - a * (1 - a)) / p, (a * (1 - a)) / p, (-b * (1 - b)) / p];
}

/**
 * Fits zone weights, ordinal thresholds and hierarchical offsets by SGD on the ordinal logistic loss.
 * Zone weights stay ≥ 0 so a larger body never scores as a better fit for a smaller size.
 */
export function trainFitCorrections(data: PreparedRecord[], cfg: FitTrainConfig): FitCorrections {
  const c = defaultCorrections();
  const epochs = cfg.epochs ?? 15;
  const lr0 = cfg.learningRate ?? 0.05;
  const regs = [cfg.regItem, cfg.regItem, cfg.regItem, cfg.regBuyer, cfg.regBuyer];
  LEVELS.forEach((level, l) => {
    c.reg[level] = regs[l];
  });
  const index = LEVELS.map(() => new Map<string, number>());
  const ids = data.map((r) =>
    levelKeys(r, r.group).map((k, l) => {
      if (k === '') return -1;
      let i = index[l].get(k);
      if (i === undefined) {
        i = index[l].size;
        index[l].set(k, i);
      }
      return i;
    }),
  );
  const params = index.map((m) => new Float64Array(m.size));
  const counts = index.map((m) => new Float64Array(m.size));
  const BUYER = LEVELS.indexOf('buyer');
  const width = new Float64Array(index[BUYER].size);
  const regWidth = cfg.regWidth ?? 3;
  for (const row of ids) for (let l = 0; l < row.length; l++) if (row[l] >= 0) counts[l][row[l]]++;
  const groupIdx = new Map<CategoryGroup, number>(CATEGORY_GROUPS.map((g, i) => [g, i]));
  const w = CATEGORY_GROUPS.map((g) => ZONES.map((z) => c.weights[g][z] ?? 0));
  const zoneOk = CATEGORY_GROUPS.map((g) => ZONES.map((z) => c.weights[g][z] !== undefined));
  let { t1, t2, global } = c;
  const rng = createRng(cfg.seed ?? 1);
  const order = Int32Array.from(data.keys());
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    const lr = lr0 / (1 + 0.3 * e);
    for (let n = 0; n < order.length; n++) {
      const r = data[order[n]];
      const id = ids[order[n]];
      const g = groupIdx.get(r.group) as number;
      const wg = w[g];
      let f = global;
      for (let z = 0; z < ZONES.length; z++) {
        const v = r.excess[z];
        if (!Number.isNaN(v)) f += wg[z] * (v / EASE_SCALE_CM);
      }
      for (let l = 0; l < LEVELS.length; l++) if (id[l] >= 0) f += params[l][id[l]];
      const bi = id[BUYER];
      const wd = bi >= 0 ? width[bi] : 0;
      const [gf, g1, g2] = ordinalGradient(r.y, f, t1 - wd, t2 + wd);
      if (bi >= 0 && regWidth < Number.POSITIVE_INFINITY) {
        const minW = -(t2 - t1 - 0.1) / 2;
        width[bi] = Math.max(minW, wd - lr * 0.5 * (g2 - g1 + (regWidth * wd) / counts[BUYER][bi]));
      }
      global -= lr * 0.2 * gf;
      for (let l = 0; l < LEVELS.length; l++) {
        const i = id[l];
        if (i < 0) continue;
        const p = params[l];
        p[i] -= lr * (gf + (regs[l] * p[i]) / counts[l][i]);
      }
      for (let z = 0; z < ZONES.length; z++) {
        const v = r.excess[z];
        if (Number.isNaN(v) || !zoneOk[g][z]) continue;
        wg[z] = Math.max(0, wg[z] - lr * 0.2 * gf * (v / EASE_SCALE_CM));
      }
      t1 -= lr * 0.2 * g1;
      t2 -= lr * 0.2 * g2;
      if (t2 < t1 + 0.1) t2 = t1 + 0.1;
    }
  }
  c.t1 = t1;
  c.t2 = t2;
  c.global = global;
  CATEGORY_GROUPS.forEach((grp, gi) => {
    ZONES.forEach((z, zi) => {
      if (zoneOk[gi][zi]) c.weights[grp][z] = w[gi][zi];
    });
  });
  for (const [k, i] of index[BUYER]) if (width[i] !== 0) c.buyerWidth[k] = width[i];
  LEVELS.forEach((lvl, l) => {
    for (const [k, i] of index[l]) {
      c[lvl][k] = params[l][i];
      c.counts[lvl][k] = counts[l][i];
    }
  });
  c.learningRate = lr0;
  return c;
}
