import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, photoProblem } from './review-api.ts';

describe('a review photo picked on the phone', () => {
  const file = (type: string, bytes: number) => new File([new Uint8Array(bytes)], 'x', { type });

  it('is refused before upload when it is not PNG, JPEG or WebP, or over 2 MB', () => {
    expect(photoProblem(file('image/png', 10))).toBeNull();
    expect(photoProblem(file('image/jpeg', MAX_PHOTO_BYTES))).toBeNull();
    expect(photoProblem(file('image/webp', 10))).toBeNull();
    expect(photoProblem(file('image/gif', 10))).toBe('type');
    expect(photoProblem(file('image/svg+xml', 10))).toBe('type');
    expect(photoProblem(file('', 10))).toBe('type');
    expect(photoProblem(file('image/png', MAX_PHOTO_BYTES + 1))).toBe('size');
  });
});
