/** Ridge regression with an unpenalised intercept and standardised features, optional IRLS for L1 loss. */

export interface RidgeFit {
  mean: number[];
  scale: number[];
  coef: number[];
  intercept: number;
}

/** Solves A x = b for symmetric positive definite A (Cholesky); A is n×n row-major arrays. */
export function choleskySolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) l[i][i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i][j] = s / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

function columnStats(rows: number[][]): { mean: number[]; scale: number[] } {
  const p = rows[0]?.length ?? 0;
  const mean = new Array<number>(p).fill(0);
  const scale = new Array<number>(p).fill(0);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j] / rows.length;
  for (const r of rows) for (let j = 0; j < p; j++) scale[j] += (r[j] - mean[j]) ** 2 / rows.length;
  // near-constant columns are left unscaled, so they cannot blow up through float noise
  for (let j = 0; j < p; j++) scale[j] = Math.sqrt(scale[j]) > 1e-6 ? Math.sqrt(scale[j]) : 1;
  return { mean, scale };
}

/**
 * Fits y ~ intercept + X·coef minimising Σ wᵢ(yᵢ − ŷᵢ)² + λ·n·|coef_std|².
 * With `l1Iterations` > 0 the weights are re-estimated (IRLS) to approximate median (L1) regression.
 */
export function fitRidge(rows: number[][], y: number[], lambda: number, l1Iterations = 0): RidgeFit {
  const { mean, scale } = columnStats(rows);
  const p = mean.length;
  const z = rows.map((r) => r.map((v, j) => (v - mean[j]) / scale[j]));
  let w = new Array<number>(y.length).fill(1);
  let fit: RidgeFit = { mean, scale, coef: new Array<number>(p).fill(0), intercept: 0 };
  for (let it = 0; it <= l1Iterations; it++) {
    // augmented system with intercept in position p
    const n = p + 1;
    const a: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const b = new Array<number>(n).fill(0);
    let wsum = 0;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i];
      const wi = w[i];
      wsum += wi;
      for (let j = 0; j < p; j++) {
        const v = wi * zi[j];
        for (let k = 0; k <= j; k++) a[j][k] += v * zi[k];
        a[j][p] += v;
        b[j] += v * y[i];
      }
      a[p][p] += wi;
      b[p] += wi * y[i];
    }
    for (let j = 0; j < p; j++) {
      a[p][j] = a[j][p];
      a[j][j] += lambda * wsum;
    }
    for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) a[k][j] = a[j][k];
    const x = choleskySolve(a, b);
    const coef = x.slice(0, p).map((c, j) => c / scale[j]);
    const intercept = x[p] - coef.reduce((s, c, j) => s + c * mean[j], 0);
    fit = { mean, scale, coef, intercept };
    if (it < l1Iterations) {
      w = rows.map((r, i) => 1 / Math.max(Math.abs(y[i] - predictRidge(fit, r)), 0.5));
    }
  }
  return fit;
}

export function predictRidge(fit: Pick<RidgeFit, 'coef' | 'intercept'>, row: number[]): number {
  let s = fit.intercept;
  for (let j = 0; j < fit.coef.length; j++) s += fit.coef[j] * row[j];
  return s;
}
