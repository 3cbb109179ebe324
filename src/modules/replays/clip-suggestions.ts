import type { HitProduct } from './hits.ts';

/** A product's time on screen: when the merchant pinned it (讲解中) and when it was unpinned. */
export interface PinInterval {
  productId: string;
  pinnedAt: Date;
  /** Null when it stayed pinned until the end. */
  unpinnedAt: Date | null;
}

export interface ClipSuggestion {
  productId: string;
  title: string;
  /** The hit's rank (1 = best seller). */
  rank: number;
  /** Milliseconds into the recording. */
  fromMs: number;
  toMs: number;
}

export interface ClipRules {
  /** Seconds kept before the pin (the merchant's lead-in) and after the unpin. */
  leadMs: number;
  tailMs: number;
  /** A suggested clip is never longer than this (the start of the presentation is kept). */
  maxMs: number;
  /** Shorter windows (after clamping) are not worth a clip. */
  minMs: number;
  /** At most this many clips per product (its longest presentations) and in all. */
  perProduct: number;
  total: number;
}

export const CLIP_RULES: ClipRules = {
  leadMs: 3_000,
  tailMs: 2_000,
  maxMs: 60_000,
  minMs: 3_000,
  perProduct: 2,
  total: 6,
};

export interface RecordingWindow {
  /** When the recording starts (the session's start: the recording begins with the first publish). */
  startedAt: Date;
  /** The recording's length, or else the session's (end − start). */
  durationMs: number;
  /** The session's end, for a pin that was never unpinned. */
  endedAt: Date;
}

/**
 * Suggested replay clips: each hit product (best first) × the intervals it was pinned, as windows
 * into the recording (lead-in before the pin, a tail after the unpin, clamped to the recording and
 * to `maxMs`); the longest presentations of a product first, at most `perProduct` each and `total`
 * in all. Hits that were never pinned get no clip (nothing shows them on screen).
 */
export function suggestClips(
  hits: HitProduct[],
  pins: PinInterval[],
  rec: RecordingWindow,
  rules: ClipRules = CLIP_RULES,
): ClipSuggestion[] {
  const start = rec.startedAt.getTime();
  const out: ClipSuggestion[] = [];
  for (const hit of hits) {
    const windows = pins
      .filter((p) => p.productId === hit.productId)
      .map((p) => {
        const on = p.pinnedAt.getTime() - start;
        const off = (p.unpinnedAt ?? rec.endedAt).getTime() - start;
        const fromMs = Math.max(0, Math.round(on - rules.leadMs));
        const toMs = Math.min(rec.durationMs, Math.round(off + rules.tailMs), fromMs + rules.maxMs);
        return { fromMs, toMs };
      })
      .filter((w) => w.toMs - w.fromMs >= rules.minMs)
      .sort((a, b) => b.toMs - b.fromMs - (a.toMs - a.fromMs) || a.fromMs - b.fromMs)
      .slice(0, rules.perProduct);
    for (const w of windows) {
      if (out.length >= rules.total) return out;
      out.push({ productId: hit.productId, title: hit.title, rank: hit.rank, ...w });
    }
  }
  return out;
}
