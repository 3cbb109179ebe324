import { deflateSync } from 'node:zlib';
import type { SeedContext } from '../../seed/extensions.ts';
import type { Rng } from '../../seed/prng.ts';
import type { ReviewTag } from './tags.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** At most this many demo reviews, and per buyer (under the per-buyer hourly limit). */
const MAX_REVIEWS = 48;
const MAX_PER_BUYER = 12;

const WORDS: Record<'good' | 'ok' | 'bad', { apparel: string[]; other: string[] }> = {
  good: {
    apparel: [
      '面料很舒服，做工也细致，洗了一次没有缩水，会回购。',
      '版型好看，上身很显瘦，颜色和图片一样。',
      '质量超出预期，这个价格很值，推荐！',
      '穿着透气不闷，夏天穿刚好，家里人也说好看。',
      '尺码标准，按平时的码买的正合适。',
      '包装很用心，物流也快，第二天就到了。',
    ],
    other: [
      '味道很好，家里老人小孩都爱吃，已经回购了。',
      '包装完好，日期新鲜，发货速度快。',
      '和描述一致，性价比很高，下次还来。',
      '分量足，口感好，客服回复也及时。',
    ],
  },
  ok: {
    apparel: [
      '整体还行，就是有一点线头，不影响穿。',
      '颜色比图片稍深一点，面料还可以。',
      '尺码有点偏小，建议买大一码，其他都还好。',
    ],
    other: ['还可以，就是物流慢了一点。', '味道一般，价格倒是实惠。'],
  },
  bad: {
    apparel: ['洗了一次就起球了，质量一般，有点失望。', '和图片差别挺大，面料偏薄。'],
    other: ['收到时包装有破损，口感也一般。'],
  },
};

const TAGS: Record<'good' | 'ok' | 'bad', { apparel: ReviewTag[]; other: ReviewTag[] }> = {
  good: {
    apparel: ['quality_good', 'nice_fabric', 'comfortable', 'as_described', 'good_value', 'fast_delivery'],
    other: ['quality_good', 'good_value', 'fast_delivery', 'good_packaging', 'good_service'],
  },
  ok: { apparel: ['good_value', 'as_described', 'slow_delivery'], other: ['good_value', 'slow_delivery'] },
  bad: { apparel: ['poor_quality', 'not_as_described'], other: ['poor_quality', 'slow_delivery'] },
};

const FOLLOW_UPS = [
  '穿了两周，洗了几次没有变形，依然很满意。',
  '追评：用了一段时间，质量确实不错。',
  '家人也买了一件，大家都说好。',
];

/** Soft colours for the demo photos (a plain picture of the item's colour with a light band). */
const PHOTO_COLOURS: Array<[number, number, number]> = [
  [222, 196, 170],
  [176, 196, 222],
  [200, 220, 190],
  [236, 200, 200],
  [210, 210, 210],
];

/**
 * Demo reviews: a few dozen buyers review lines of their delivered or completed demo orders (zh-CN
 * text, tags, a few photos, a couple anonymous, a few follow-ups), through the reviews service, at a
 * plausible moment after delivery, so a fresh product page shows reviews. A line whose fit its buyer
 * already told carries that answer. Deterministic: every choice is drawn from the step's Rng, over
 * orders read in a fixed order.
 */
export async function seedReviewsDemo(ctx: SeedContext): Promise<void> {
  const { services, data, rng, clock } = ctx;
  const apparel = new Map(data.products.map((p) => [p.id, p.apparel]));
  const candidates: Array<{
    actor: { accountId: string; role: 'buyer'; phone: string; storeId: null };
    orderId: string;
    /** Sort keys that do not depend on random ids: when placed, whose, which line. */
    placedAt: number;
    buyerIndex: number;
    lineIndex: number;
    skuId: string;
    productId: string;
    deliveredAt: number;
  }> = [];
  for (const [buyerIndex, buyer] of data.buyers.entries()) {
    const actor = { accountId: buyer.accountId, role: 'buyer' as const, phone: buyer.phone, storeId: null };
    const page = await services.orders.listForBuyer(actor, {
      status: ['delivered', 'completed'],
      page: 1,
      pageSize: 100,
    });
    for (const order of page.items) {
      const at = order.deliveredAt ?? order.completedAt;
      if (!at) continue;
      for (const [lineIndex, line] of order.lines.entries()) {
        candidates.push({
          actor,
          orderId: order.id,
          placedAt: new Date(order.createdAt).getTime(),
          buyerIndex,
          lineIndex,
          skuId: line.skuId,
          productId: line.productId,
          deliveredAt: new Date(at).getTime(),
        });
      }
    }
  }
  candidates.sort(
    (a, b) => a.placedAt - b.placedAt || a.buyerIndex - b.buyerIndex || a.lineIndex - b.lineIndex,
  );
  const perBuyer = new Map<string, number>();
  let written = 0;
  for (const c of candidates) {
    if (written >= MAX_REVIEWS) break;
    // Most buyers review; some stay silent (the default-review task will speak for them later).
    const speaks = rng.chance(0.8);
    const roll = rng.float();
    const mood: 'good' | 'ok' | 'bad' = roll < 0.78 ? 'good' : roll < 0.93 ? 'ok' : 'bad';
    const rating = mood === 'good' ? (rng.chance(0.75) ? 5 : 4) : mood === 'ok' ? 3 : rng.pick([1, 2]);
    const kind = apparel.get(c.productId) ? 'apparel' : 'other';
    const body = rng.chance(0.9) ? rng.pick(WORDS[mood][kind]) : '';
    const tags = rng.sample(TAGS[mood][kind], rng.int(0, 3));
    const anonymous = rng.chance(0.08);
    const withPhoto = mood !== 'ok' && rng.chance(0.25);
    const afterHours = rng.int(6, 72);
    const followUp = rng.chance(0.08);
    const followUpText = rng.pick(FOLLOW_UPS);
    if (!speaks || (perBuyer.get(c.actor.accountId) ?? 0) >= MAX_PER_BUYER) continue;
    const at = Math.min(c.deliveredAt + afterHours * HOUR, ctx.now.getTime() - HOUR);
    if (at <= c.deliveredAt) continue;
    clock.set(new Date(at));
    const photos = withPhoto ? [(await services.reviews.uploadPhoto(c.actor, demoPhoto(rng))).url] : [];
    const { review } = await services.reviews.create(c.actor, c.orderId, {
      skuId: c.skuId,
      rating,
      body,
      tags,
      photos,
      anonymous,
    });
    perBuyer.set(c.actor.accountId, (perBuyer.get(c.actor.accountId) ?? 0) + 1);
    written += 1;
    const followAt = at + 5 * DAY;
    if (followUp && followAt < ctx.now.getTime()) {
      clock.set(new Date(followAt));
      await services.reviews.followUp(c.actor, review.id, { body: followUpText, photos: [] });
    }
    ctx.tick(`reviews ${written}`);
  }
  clock.set(ctx.now);
}

/** A small PNG (96×96): a plain colour with a lighter diagonal band, as a buyer's photo of the item. */
export function demoPhoto(rng: Rng): string {
  const [r, g, b] = rng.pick(PHOTO_COLOURS);
  const size = 96;
  const band = rng.int(20, 60);
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const light = Math.abs(x + y - size) < band / 2 ? 28 : 0;
      const o = row + 1 + x * 3;
      raw[o] = Math.min(255, r + light);
      raw[o + 1] = Math.min(255, g + light);
      raw[o + 2] = Math.min(255, b + light);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([len, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
