/** Size-label parsing: letter sizes to an ordinal index, numeric sizes, bra sizes. */

const LETTERS = ['XXXS', 'XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL', 'XXXXL'];

/** Letter size to an ordinal index with M = 0 (S = −1, XL = 1, 2XL = XXL = 2, …); undefined if not a letter size. */
export function letterIndex(label: string): number | undefined {
  let s = label.trim().toUpperCase().replace(/\s+/g, '');
  const m = /^(\d)X(S|L)$/.exec(s);
  if (m) s = 'X'.repeat(Number(m[1])) + m[2];
  if (s === 'SMALL') s = 'S';
  if (s === 'MEDIUM') s = 'M';
  if (s === 'LARGE') s = 'L';
  const i = LETTERS.indexOf(s);
  return i < 0 ? undefined : i - 4;
}

/** A purely numeric label (e.g. '8', '10.5'), else undefined. */
export function numericSize(label: string): number | undefined {
  const s = label.trim();
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/**
 * Position of a label on a common ordinal axis (letter index units, M = 0): US women's numeric sizes map
 * 8 → M with 4 numeric steps per letter step. Undefined when the label is neither.
 */
export function sizeOrdinal(label: string): number | undefined {
  const li = letterIndex(label);
  if (li !== undefined) return li;
  const n = numericSize(label);
  if (n === undefined) return undefined;
  if (n >= 32 && n <= 60) return (n - 30 - 8) / 4; // EU women's sizes (EU 38 = US 8)
  return (n - 8) / 4;
}

/** Body chest (cm) typical of a letter/numeric size for each sex (used for the `usualSize` answer). */
export function chestForUsualSize(label: string, sex: 'female' | 'male'): number | undefined {
  const o = sizeOrdinal(label);
  if (o === undefined) return undefined;
  return sex === 'male' ? 98 + 8 * o : 92 + 7 * o;
}

/** Bra size ('34C', '75B', '36DD') to an estimated full-bust circumference in cm. */
export function bustFromBraSize(bra: string): number | undefined {
  const m = /^\s*(\d{2,3})\s*([A-Ka-k]{1,3})(?:\/[A-Ka-k]+)?\s*$/.exec(bra);
  if (!m) return undefined;
  const band = Number(m[1]);
  const cupText = m[2].toUpperCase();
  const cups = ['AA', 'A', 'B', 'C', 'D', 'DD', 'DDD', 'G', 'H', 'I', 'J', 'K'];
  let cup = cups.indexOf(cupText);
  if (cup < 0 && /^D+$/.test(cupText)) cup = 3 + cupText.length - 1;
  if (cup < 0) cup = 'ABCDEFGHIJK'.indexOf(cupText[0]) + 1;
  if (cup < 0) return undefined;
  if (band >= 26 && band <= 52) return (band + cup) * 2.54; // US/UK: inches, 1 inch per cup
  if (band >= 60 && band <= 130) return band + 11 + 2 * cup; // EU: underbust cm, 2 cm per cup (A ≈ 13 cm)
  return undefined;
}
