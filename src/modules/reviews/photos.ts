import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Marks the photos as used by the review, inside the writing transaction: each must be one of this
 * buyer's uploads, not used yet (else 400 `invalid_photo`, and the transaction rolls back).
 * The conditional update takes each row once, so two reviews racing for one photo cannot both get it.
 * Statements: one (none without photos).
 */
export async function claimPhotos(
  trx: Db,
  buyerId: string,
  reviewId: string,
  photos: string[],
): Promise<void> {
  if (photos.length === 0) return;
  const unique = [...new Set(photos)];
  const taken = await sql<{ url: string }>`
    update review_photo_uploads set used_by = ${reviewId}
    where url = any(${unique}::text[]) and buyer_id = ${buyerId} and used_by is null
    returning url`.execute(trx);
  if (unique.length !== photos.length || taken.rows.length !== unique.length) {
    const ok = new Set(taken.rows.map((r) => r.url));
    throw new AppError(400, 'invalid_photo', 'Use photos you uploaded for this review, each once', {
      photos: unique.filter((p) => !ok.has(p)),
    });
  }
}
