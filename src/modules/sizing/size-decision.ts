/**
 * Whether a recommendation is a firm answer or a choice between two neighbouring sizes: when the
 * next size up or down is about as likely to fit as the best one, the buyer is told so rather than
 * shown a winner by a point or two. Pure: the web localizes the code and its parameters.
 */

/** Two neighbouring sizes whose chances of fitting differ by at most this much are "between". */
export const BETWEEN_MARGIN = 0.05;

export type FitLeaning = 'snug' | 'regular' | 'loose';

export type SizeDecision =
  | { code: 'none' }
  | { code: 'firm'; size: string }
  /**
   * The buyer is beyond the product's range: even its smallest size is likelier loose than fitting
   * (`large`), or even its largest likelier tight (`small`). `size` is that end of the range.
   */
  | { code: 'beyond'; size: string; direction: 'large' | 'small' }
  | {
      code: 'between';
      /** The smaller and the larger of the two sizes, in the product's size order. */
      smaller: string;
      larger: string;
      /** The one to pick: by the buyer's fit preference when known (snug → smaller, loose → larger), else the likelier. */
      pick: string;
      preference: 'snug' | 'loose' | null;
    };

/**
 * Decides between firm and "between" from each size's chance of fitting. `sizes` are in the product's
 * size order (smallest first), so neighbours are the sizes next to each other.
 */
export function decideSize(
  sizes: ReadonlyArray<{ size: string; pFit: number; pSmall?: number; pLarge?: number }>,
  preference: FitLeaning = 'regular',
): SizeDecision {
  if (sizes.length === 0) return { code: 'none' };
  let best = 0;
  for (let i = 1; i < sizes.length; i++) if (sizes[i].pFit > sizes[best].pFit) best = i;
  const top = sizes[best];
  if (best === 0 && (top.pLarge ?? 0) > top.pFit)
    return { code: 'beyond', size: top.size, direction: 'large' };
  if (best === sizes.length - 1 && (top.pSmall ?? 0) > top.pFit)
    return { code: 'beyond', size: top.size, direction: 'small' };
  const neighbours = [best - 1, best + 1].filter((i) => i >= 0 && i < sizes.length);
  const runnerUp = neighbours.sort((a, b) => sizes[b].pFit - sizes[a].pFit)[0];
  if (runnerUp === undefined || sizes[best].pFit - sizes[runnerUp].pFit > BETWEEN_MARGIN) {
    return { code: 'firm', size: sizes[best].size };
  }
  const smaller = sizes[Math.min(best, runnerUp)].size;
  const larger = sizes[Math.max(best, runnerUp)].size;
  const leaning = preference === 'regular' ? null : preference;
  const pick = leaning === 'snug' ? smaller : leaning === 'loose' ? larger : sizes[best].size;
  return { code: 'between', smaller, larger, pick, preference: leaning };
}
