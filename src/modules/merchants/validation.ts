import { z } from 'zod';

// PostgreSQL text and jsonb cannot hold NUL or other C0 controls (except tab/newline); refusing them
// here keeps such input a 400 instead of a database error.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Trimmed user text without control characters. */
export function plainText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');
}

/**
 * An image reference a page can show: an http(s) URL, one of our uploads (`/media/<file>`), or a
 * small inline image (`data:image/...`, what the demo data uses).
 */
export const imageUrl = z
  .string()
  .max(16_000)
  .regex(
    /^(https?:\/\/[^\s"'<>\\]+|\/media\/[A-Za-z0-9._-]+|data:image\/(png|jpeg|webp|svg\+xml)(;base64)?,[A-Za-z0-9+/=%._~!$&'()*,;:@-]+)$/,
    'an http(s) URL, /media/<file> or a data:image URL',
  )
  .refine((s) => !CONTROL.test(s), 'must not contain control characters');

export const chinaPhone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'A phone number is 11 digits starting with 13–19');
