import { type CategoryGroup, GROUP_ZONES, idealEase } from './fit-charts.ts';
import type { FitOutcome } from './fit-model.ts';
import { gaussian } from './random.ts';
import type { FitType, GarmentZone, SizeChart } from './schemas.ts';
import { letterIndex, numericSize } from './size-labels.ts';

/**
 * How garments really fit people, in a simulated world the size assistant does not see: the truth
 * behind `gravity sizing simulate` and the demo's orders. The assistant only ever sees answers,
 * charts and outcomes; here the outcome follows from the wearer's true body and the garment's true
 * measurements, never from the assistant's own probabilities.
 */

/** A garment as it really is: its published chart, and how far (cm, every zone) it measures off it. */
export interface WorldGarment {
  group: CategoryGroup;
  fitType: FitType;
  chart: SizeChart;
  /** True measurement − published measurement, cm (negative: runs small). */
  offsetCm: number;
}

/** A wearer as they really are: true measurements (cm) and how much more ease than usual they like. */
export interface WorldWearer {
  body: Partial<Record<GarmentZone, number>>;
  prefCm: number;
}

/** The zones the garment's fit is judged on: its group's, where the chart gives them; the first weighs most. */
function judgedZones(g: WorldGarment): GarmentZone[] {
  const first = Object.values(g.chart)[0] ?? {};
  return GROUP_ZONES[g.group].filter((z) => first[z] !== undefined);
}

/**
 * Excess ease of a size over what the wearer likes, summed over the judged zones in units of 5 cm:
 * on the published chart (`trueSizing` false) or as the garment really measures, for a body that
 * may be off by `bodyNoise` (a wearer's idea of their own measurements).
 */
function excess(
  g: WorldGarment,
  w: WorldWearer,
  size: string,
  trueSizing: boolean,
  bodyNoise: Partial<Record<GarmentZone, number>> = {},
): number {
  return judgedZones(g).reduce((sum, z, i) => {
    const garment = (g.chart[size]?.[z] as number) + (trueSizing ? g.offsetCm : 0);
    const body = (w.body[z] as number) + (bodyNoise[z] ?? 0);
    const weight = i === 0 ? 1 : 0.5;
    return sum + (weight * (garment - body - idealEase(g.group, z, g.fitType) - w.prefCm)) / 5;
  }, 0);
}

/**
 * Whether the garment is made for bodies like this one: some size of its published chart is in the
 * fit band for the wearer's true body. People do not shop garments whose whole size run misses them.
 */
export function chartHasSizeFor(g: WorldGarment, w: WorldWearer): boolean {
  return Object.keys(g.chart).some((size) => {
    const s = excess(g, w, size, false);
    return s >= -0.9 && s <= 1.1;
  });
}

/**
 * The size a wearer picks on their own: the one that looks right on the published chart for a noisy
 * idea of their body (±4 cm a zone), and now and then one up or down on a hunch.
 */
export function pickFromChart(g: WorldGarment, w: WorldWearer, rng: () => number): string {
  const sizes = Object.keys(g.chart);
  const guess = Object.fromEntries(judgedZones(g).map((z) => [z, gaussian(rng) * 4]));
  let pick = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  sizes.forEach((size, i) => {
    const score = Math.abs(excess(g, w, size, false, guess));
    if (score < bestScore) [bestScore, pick] = [score, i];
  });
  const u = rng();
  if (u < 0.15) pick = Math.max(0, pick - 1);
  else if (u < 0.3) pick = Math.min(sizes.length - 1, pick + 1);
  return sizes[pick] as string;
}

/** How the size really fits the wearer: from the garment's true measurements and the true body, a little noise. */
export function trueFit(g: WorldGarment, w: WorldWearer, size: string, rng: () => number): FitOutcome {
  const s = excess(g, w, size, true) + gaussian(rng) * 0.5;
  return s < -0.9 ? 'small' : s > 1.1 ? 'large' : 'fit';
}

/** The size a shopper habitually buys: a letter size (M = 0, L = 1 …) and a waist size in inches. */
export interface UsualSize {
  letter: number;
  waistInches: number;
}

/**
 * The shopper's usual size as the chart sells it: the letter size nearest their usual one, or for
 * waist-size charts (25, 26 … inches) the waist nearest theirs; the larger one on a tie. Undefined
 * when the chart's labels are neither.
 */
export function pickUsualSize(g: WorldGarment, usual: UsualSize): string | undefined {
  let best: string | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const size of Object.keys(g.chart)) {
    const letter = letterIndex(size);
    const waist = numericSize(size);
    const gap =
      letter !== undefined
        ? Math.abs(letter - usual.letter)
        : waist !== undefined
          ? Math.abs(waist - usual.waistInches)
          : Number.NaN;
    if (gap <= bestGap) [best, bestGap] = [size, gap];
  }
  return best;
}
