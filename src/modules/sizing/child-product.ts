/**
 * Children's clothes against a grown-up's body: a children's product (the `kids` category and its
 * children) sized by height (90 … 160 cm) cannot fit someone far taller than its largest size, so the
 * assistant asks for a child's profile instead of recommending "140, 11% fit".
 */

/** Someone up to this much taller than the largest size may still wear it (a loose, short fit). */
export const OUTGROWN_MARGIN_CM = 10;
/** From this age on a profile is a grown-up's when the sizes are not heights. */
export const GROWN_UP_AGE = 16;

export const isChildrensCategory = (categoryId: string) =>
  categoryId === 'kids' || categoryId.startsWith('kids-');

/** The heights (cm) a children's size run covers, when its labels are heights. */
export function heightRange(sizes: readonly string[]): [number, number] | undefined {
  const heights = sizes.filter((s) => /^\d{2,3}$/.test(s.trim())).map(Number);
  const plausible = heights.filter((h) => h >= 50 && h <= 190);
  if (plausible.length === 0 || plausible.length !== sizes.length) return undefined;
  return [Math.min(...plausible), Math.max(...plausible)];
}

export interface ChildProfileNeeded {
  /** The heights the product's sizes cover, when they are heights. */
  sizeRangeCm: [number, number] | null;
  heightCm: number;
}

/** Whether a body is a grown-up's on a children's product: then it needs a child's profile. */
export function childProfileNeeded(
  product: { categoryId: string; sizes: readonly string[] },
  body: { heightCm: number; age?: number },
): ChildProfileNeeded | null {
  if (!isChildrensCategory(product.categoryId)) return null;
  const range = heightRange(product.sizes);
  const grownUp = range
    ? body.heightCm > range[1] + OUTGROWN_MARGIN_CM
    : body.age !== undefined && body.age >= GROWN_UP_AGE;
  return grownUp ? { sizeRangeCm: range ?? null, heightCm: body.heightCm } : null;
}
