/**
 * Spreads an order-level discount over lines pro rata to what each line pays before it, in whole
 * fen: the shares sum to `total` exactly and every line still pays at least 1 fen. Largest
 * remainders get the leftover fen (ties to the earlier line), and a share that would leave a line
 * at 0 passes its excess to the lines with room. `total` must be at most Σ(amount − 1).
 */
export function allocateProRata(amounts: readonly number[], total: number): number[] {
  const n = amounts.length;
  if (!Number.isInteger(total) || total < 0) throw new Error('the discount is a whole, non-negative fen');
  if (amounts.some((a) => !Number.isInteger(a) || a < 1)) throw new Error('every line pays at least 1 fen');
  const room = amounts.reduce((s, a) => s + a - 1, 0);
  if (total > room) throw new Error(`a discount of ${total} fen leaves a line below 1 fen`);
  if (total === 0 || n === 0) return amounts.map(() => 0);
  const sum = amounts.reduce((s, a) => s + a, 0);
  // Exact integer arithmetic: floor(total·a/sum) and its remainder, without floating point.
  const big = amounts.map((a) => BigInt(total) * BigInt(a));
  const shares = big.map((b) => Number(b / BigInt(sum)));
  const remainders = big.map((b) => b % BigInt(sum));
  let left = total - shares.reduce((s, x) => s + x, 0);
  const order = amounts
    .map((_, i) => i)
    .sort((i, j) => (remainders[j] > remainders[i] ? 1 : remainders[j] < remainders[i] ? -1 : i - j));
  for (const i of order) {
    if (left === 0) break;
    shares[i] += 1;
    left -= 1;
  }
  // Keep every line at ≥ 1 fen: move any excess to the lines with the most room.
  let excess = 0;
  for (let i = 0; i < n; i += 1) {
    const max = amounts[i] - 1;
    if (shares[i] > max) {
      excess += shares[i] - max;
      shares[i] = max;
    }
  }
  while (excess > 0) {
    let best = -1;
    for (let i = 0; i < n; i += 1) {
      const free = amounts[i] - 1 - shares[i];
      if (free > 0 && (best < 0 || free > amounts[best] - 1 - shares[best])) best = i;
    }
    const give = Math.min(excess, amounts[best] - 1 - shares[best]);
    shares[best] += give;
    excess -= give;
  }
  return shares;
}
