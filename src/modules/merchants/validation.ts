import { z } from 'zod';
import { refuseForbiddenChars } from '../../platform/text.ts';

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
  .superRefine(refuseForbiddenChars());

export const chinaPhone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'A phone number is 11 digits starting with 13–19');
