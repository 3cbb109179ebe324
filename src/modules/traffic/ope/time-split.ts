/**
 * The honest protocol's split: rounds sorted by time (stable for equal timestamps), the first
 * `trainShare` (floor) to learn from, the rest to estimate on.
 */
export function splitByTime<T extends { timeUs: number }>(
  rounds: readonly T[],
  trainShare = 0.7,
): { train: T[]; evaluation: T[] } {
  if (!(trainShare > 0 && trainShare < 1)) throw new Error('trainShare must be in (0, 1)');
  return splitByTimeAt(rounds, Math.floor(rounds.length * trainShare));
}

/** The same, cut after the first `cut` rounds in time order. */
export function splitByTimeAt<T extends { timeUs: number }>(
  rounds: readonly T[],
  cut: number,
): { train: T[]; evaluation: T[] } {
  if (!(Number.isInteger(cut) && cut >= 0 && cut <= rounds.length)) throw new Error('cut out of range');
  const sorted = rounds
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.timeUs - b.r.timeUs || a.i - b.i)
    .map((x) => x.r);
  return { train: sorted.slice(0, cut), evaluation: sorted.slice(cut) };
}
