/**
 * Ranking by expected value per impression: P(click) × P(order | click) × final price. Each item's
 * click-through and conversion are Beta posteriors whose priors are its category's rates (themselves
 * smoothed toward the global rates), so an item with little data starts at its category's rate; a
 * Thompson draw from the posteriors explores items whose rates are still uncertain. The buyer's fit
 * (inner product of interests and item vector) scales the click-through by a learned lift per fit band.
 */

export interface Counts {
  impressions: number;
  clicks: number;
  orders: number;
}

export interface Rate {
  /** Prior mean. */
  mean: number;
  /** Prior strength (pseudo-observations). */
  strength: number;
}

/** A gamma(shape, 1) draw (Marsaglia–Tsang), `random` uniform [0,1). */
export function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) {
    const u = Math.max(random(), 1e-12);
    return sampleGamma(shape + 1, random) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let tries = 0; tries < 64; tries++) {
    let x: number;
    let v: number;
    do {
      const u1 = Math.max(random(), 1e-12);
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = Math.max(random(), 1e-12);
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
  return d;
}

/**
 * A Beta(a, b) draw. With 20 or more (pseudo-)observations, a log-normal with the Beta's mean and
 * variance (capped at 1): continuous in the two uniforms it takes, so two rankings that see nearly the
 * same posteriors with the same uniforms draw nearly the same values (common random numbers), and
 * cheap. Fewer observations: exact, from two gamma draws.
 */
export function sampleBeta(a: number, b: number, random: () => number): number {
  const n = a + b;
  if (n >= 20 && a > 0 && b > 0) {
    const mean = a / n;
    const variance = (a * b) / (n * n * (n + 1));
    const s2 = Math.log(1 + variance / (mean * mean));
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.min(1, Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * z));
  }
  const x = sampleGamma(a, random);
  const y = sampleGamma(b, random);
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

/** Posterior Beta parameters of a rate from `successes` of `trials` with a prior. */
export function posterior(prior: Rate, successes: number, trials: number): { a: number; b: number } {
  const s = Math.max(0, Math.min(successes, trials));
  return { a: prior.mean * prior.strength + s, b: (1 - prior.mean) * prior.strength + (trials - s) };
}

/** A prior from pooled counts, smoothed toward a parent rate (category → global). */
export function pooledRate(successes: number, trials: number, parent: Rate, strength: number): Rate {
  const { a, b } = posterior(parent, successes, trials);
  return { mean: a / (a + b), strength };
}

export interface ValueInputs {
  counts: Counts;
  ctrPrior: Rate;
  cvrPrior: Rate;
  priceFen: number;
  /** Click-through multiplier for this buyer (fit lift), 1 when unknown. */
  lift: number;
}

/** Posterior-mean expected value per impression, in fen. */
export function meanValue(v: ValueInputs): number {
  const ctr = posterior(v.ctrPrior, v.counts.clicks, v.counts.impressions);
  const cvr = posterior(v.cvrPrior, v.counts.orders, v.counts.clicks);
  return Math.min(1, (v.lift * ctr.a) / (ctr.a + ctr.b)) * (cvr.a / (cvr.a + cvr.b)) * v.priceFen;
}

/** Thompson-sampled expected value per impression, in fen. */
export function sampledValue(v: ValueInputs, random: () => number): number {
  const ctr = posterior(v.ctrPrior, v.counts.clicks, v.counts.impressions);
  const cvr = posterior(v.cvrPrior, v.counts.orders, v.counts.clicks);
  return (
    Math.min(1, v.lift * sampleBeta(ctr.a, ctr.b, random)) * sampleBeta(cvr.a, cvr.b, random) * v.priceFen
  );
}

/** Fit bands for the learned click-through lift: fit in [-1, 1] mapped to FIT_BANDS bands. */
export const FIT_BANDS = 8;
export function fitBand(fit: number): number {
  return Math.max(0, Math.min(FIT_BANDS - 1, Math.floor(((fit + 1) / 2) * FIT_BANDS)));
}

/**
 * Click-through lift per fit band: the band's smoothed click-through over the overall one, so that
 * buyers whose interests fit an item are predicted to click it more, as far as the data says so.
 */
export function fitLifts(
  bands: ReadonlyArray<{ impressions: number; clicks: number }>,
  strength = 200,
): number[] {
  let imps = 0;
  let clicks = 0;
  for (const b of bands) {
    imps += b.impressions;
    clicks += b.clicks;
  }
  const overall = (clicks + 1) / (imps + 50);
  return bands.map((b) => {
    const rate = (b.clicks + overall * strength) / (b.impressions + strength);
    return Math.max(0.2, Math.min(5, rate / overall));
  });
}

/**
 * An optimistic expected value (upper confidence: each rate at its posterior mean plus `z` standard
 * deviations), for the popular list: an item whose rates are still uncertain stays in reach of
 * Thompson sampling instead of being buried by a few unlucky early impressions.
 */
export function optimisticValue(v: ValueInputs, z = 1): number {
  const upper = (p: { a: number; b: number }) => {
    const n = p.a + p.b;
    const mean = p.a / n;
    return Math.min(1, mean + z * Math.sqrt((p.a * p.b) / (n * n * (n + 1))));
  };
  const ctr = posterior(v.ctrPrior, v.counts.clicks, v.counts.impressions);
  const cvr = posterior(v.cvrPrior, v.counts.orders, v.counts.clicks);
  return Math.min(1, v.lift * upper(ctr)) * upper(cvr) * v.priceFen;
}
