import { AppError } from '../../platform/errors.ts';

/**
 * Keyset cursors of the review lists: the sort key of the last item of a page, as an opaque string.
 * A cursor that does not decode is a 400 (`invalid_cursor`), never a 500.
 */
export interface ReviewCursor {
  /** Listing group (product page: 0 with photos, 1 written, 2 default; other lists 0). */
  g: number;
  /** created_at, ISO. */
  t: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What `toISOString` gives for years 0–9999; PostgreSQL reads years 1–9999 of it (no year 0, no signs). */
const ISO = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(c: ReviewCursor): string {
  return Buffer.from(JSON.stringify([c.g, c.t, c.id])).toString('base64url');
}

export function decodeCursor(s: string | undefined): ReviewCursor | null {
  if (s === undefined || s === '') return null;
  const bad = new AppError(400, 'invalid_cursor', 'The cursor is not one this list gave');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad;
  const [g, t, id] = parsed as unknown[];
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > 2) throw bad;
  if (typeof t !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw bad;
  const year = ISO.exec(t)?.[1];
  if (year === undefined || Number(year) < 1) throw bad;
  const at = new Date(t);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== t) throw bad;
  return { g, t, id };
}
