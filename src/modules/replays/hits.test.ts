import { describe, expect, it } from 'vitest';
import { CLIP_RULES, suggestClips } from './clip-suggestions.ts';
import { rankHits } from './hits.ts';

const p = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const sale = (n: number, units: number, gmvFen: number, orders = 1) => ({
  productId: p(n),
  title: `商品${n}`,
  units,
  gmvFen,
  orders,
});

describe('rankHits', () => {
  it('ranks by GMV, then units, then orders, then id; drops what sold nothing', () => {
    const hits = rankHits([
      sale(1, 2, 1000),
      sale(2, 1, 5000),
      sale(3, 5, 1000),
      sale(4, 0, 0),
      sale(5, 5, 1000, 3),
    ]);
    expect(hits.map((h) => [h.rank, h.productId])).toEqual([
      [1, p(2)],
      [2, p(5)],
      [3, p(3)],
      [4, p(1)],
    ]);
    expect(hits[0]?.gmvShare).toBeCloseTo(5000 / 8000);
    expect(hits.reduce((n, h) => n + h.gmvShare, 0)).toBeCloseTo(1);
  });

  it('keeps at most `limit`, and an empty session has no hits', () => {
    expect(rankHits([sale(1, 1, 100), sale(2, 1, 200), sale(3, 1, 300)], 2).map((h) => h.productId)).toEqual([
      p(3),
      p(2),
    ]);
    expect(rankHits([])).toEqual([]);
  });
});

describe('suggestClips', () => {
  const start = new Date('2026-11-30T10:00:00Z');
  const at = (s: number) => new Date(start.getTime() + s * 1000);
  const rec = { startedAt: start, endedAt: at(600), durationMs: 600_000 };
  const hits = rankHits([sale(1, 3, 3000), sale(2, 1, 1000), sale(3, 9, 9000)]);

  it('cuts each hit’s pinned intervals with a lead-in and a tail, best seller first', () => {
    const clips = suggestClips(
      hits,
      [
        { productId: p(1), pinnedAt: at(100), unpinnedAt: at(130) },
        { productId: p(3), pinnedAt: at(200), unpinnedAt: at(220) },
      ],
      rec,
    );
    expect(clips).toEqual([
      { productId: p(3), title: '商品3', rank: 1, fromMs: 197_000, toMs: 222_000 },
      { productId: p(1), title: '商品1', rank: 2, fromMs: 97_000, toMs: 132_000 },
    ]);
  });

  it('clamps to the recording and to the longest clip; a pin left on runs to the end', () => {
    const clips = suggestClips(
      hits.slice(0, 1),
      [
        { productId: p(3), pinnedAt: at(1), unpinnedAt: at(20) }, // the lead-in would start before 0
        { productId: p(3), pinnedAt: at(580), unpinnedAt: null }, // to the end, clamped at 600 s
      ],
      rec,
    );
    // The longer presentation first (23 s, then 22 s).
    expect(clips).toEqual([
      { productId: p(3), title: '商品3', rank: 1, fromMs: 577_000, toMs: 600_000 },
      { productId: p(3), title: '商品3', rank: 1, fromMs: 0, toMs: 22_000 },
    ]);
    const long = suggestClips(
      hits.slice(0, 1),
      [{ productId: p(3), pinnedAt: at(10), unpinnedAt: at(400) }],
      rec,
    );
    expect(long).toEqual([
      { productId: p(3), title: '商品3', rank: 1, fromMs: 7_000, toMs: 7_000 + CLIP_RULES.maxMs },
    ]);
    // A recording shorter than the session: clamped to what was recorded.
    const short = suggestClips(
      hits.slice(0, 1),
      [{ productId: p(3), pinnedAt: at(10), unpinnedAt: at(30) }],
      {
        ...rec,
        durationMs: 15_000,
      },
    );
    expect(short).toEqual([{ productId: p(3), title: '商品3', rank: 1, fromMs: 7_000, toMs: 15_000 }]);
  });

  it('drops windows too short or outside the recording, never-pinned hits, and keeps the per-product and total caps', () => {
    expect(
      suggestClips(hits, [{ productId: p(3), pinnedAt: at(700), unpinnedAt: at(710) }], rec), // after the recording
    ).toEqual([]);
    expect(suggestClips(hits, [], rec)).toEqual([]);
    const many = Array.from({ length: 5 }, (_, i) => ({
      productId: p(3),
      pinnedAt: at(i * 100),
      unpinnedAt: at(i * 100 + 10 + i), // longer each time
    }));
    const clips = suggestClips(hits, many, rec);
    expect(clips.map((c) => c.fromMs)).toEqual([397_000, 297_000]); // the two longest
    const everyHit = [1, 2, 3].flatMap((n) =>
      Array.from({ length: 3 }, (_, i) => ({
        productId: p(n),
        pinnedAt: at(n * 150 + i * 40),
        unpinnedAt: at(n * 150 + i * 40 + 20),
      })),
    );
    expect(suggestClips(hits, everyHit, rec, { ...CLIP_RULES, total: 5 })).toHaveLength(5);
  });
});
