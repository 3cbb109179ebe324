import type { FanFact, OrderFact } from '../modules/analytics/index.ts';
import { Rng } from './prng.ts';

/**
 * A marketplace's past for the dashboards (`gravity seed --history 12m`): orders per day with a
 * weekly and a seasonal shape and growth, stores opening over the period, buyers coming back,
 * refunds with reasons, follows by source, channels — as analytics facts, generated day by day from
 * `seed` alone (the same seed and period give the same facts, so a second run adds nothing).
 */

const DAY_MS = 86_400_000;

export interface HistoryStore {
  storeId: string;
  /** Apparel stores see size refunds. */
  apparel: boolean;
  products: Array<{ productId: string; categoryId: string; priceFen: number }>;
}

export interface HistoryOptions {
  /** Months of history before `now`. */
  months: number;
  seed: number;
  now: Date;
  /** Stores that exist (the demo's): they sell from the start. More open over the period. */
  stores: HistoryStore[];
  /** Buyers that exist (the demo's): they are among the returning ones. */
  buyers: string[];
  /** Orders on an average day at the end of the period (the start has about half). */
  ordersPerDay: number;
}

export interface HistoryDay {
  day: string;
  orders: OrderFact[];
  fans: FanFact[];
}

const REASONS = [
  'size_too_small',
  'size_too_large',
  'quality',
  'not_as_described',
  'not_received',
  'changed_mind',
  'other',
] as const;
const FAN_SOURCES = ['live', 'video', 'store', 'coupon', 'product', 'other'] as const;
const CATEGORIES = [
  'women-tshirt',
  'women-dress',
  'men-tshirt',
  'men-jeans',
  'snacks',
  'tea',
  'fruit',
  'beauty',
];

/** A version-4 UUID drawn from the generator (deterministic ids: a rerun inserts nothing new). */
export function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + rng.int(0, 3)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** A number from a text (seeds each day's generator from the seed and the date). */
function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * How busy a day is, relative to an ordinary weekday: weekends higher, the 618 and Double 11 festivals
 * far higher (with their run-up), the Spring Festival lower (couriers stop), and a month-end payday lift.
 */
export function dayShape(day: Date): number {
  const dow = day.getUTCDay();
  const month = day.getUTCMonth() + 1;
  const date = day.getUTCDate();
  let f = dow === 0 || dow === 6 ? 1.25 : dow === 5 ? 1.1 : 1;
  if (month === 6 && date >= 1 && date <= 18) f *= date >= 16 ? 2.6 : 1.4;
  if (month === 11 && date >= 1 && date <= 11) f *= date >= 10 ? 3.2 : 1.5;
  if (month === 12 && date === 12) f *= 1.8;
  if (month === 2 && date <= 15) f *= 0.6;
  if (date >= 25) f *= 1.08;
  return f;
}

/** The facts of every day of the period, oldest first; a generator so a long history streams. */
export function* historyDays(opts: HistoryOptions): Generator<HistoryDay> {
  const end = Math.floor(opts.now.getTime() / DAY_MS) * DAY_MS;
  const startDate = new Date(end);
  startDate.setUTCMonth(startDate.getUTCMonth() - opts.months);
  const start = startDate.getTime();
  const days = Math.round((end - start) / DAY_MS);
  const setup = new Rng(hashOf(`history:${opts.seed}`));

  // The stores: the existing ones sell from the start; new ones open over the period (more of them later).
  const stores = opts.stores.map((s) => ({ ...s, opensAt: start, weight: 0.5 + setup.float() * 2 }));
  const newStores = Math.max(20, opts.stores.length * 6);
  for (let i = 0; i < newStores; i++) {
    const apparel = setup.chance(0.6);
    // A fifth of them sell from the start, the others open over the period.
    const opensAt = i < newStores / 5 ? start : start + Math.floor(Math.sqrt(setup.float()) * days) * DAY_MS;
    const products = Array.from({ length: setup.int(3, 30) }, () => ({
      productId: uuidFrom(setup),
      categoryId: apparel ? setup.pick(CATEGORIES.slice(0, 4)) : setup.pick(CATEGORIES.slice(4)),
      priceFen: setup.int(19, 399) * 100 + 90,
    }));
    // A few stores grow big (Zipf-like weights), most stay small.
    stores.push({
      storeId: uuidFrom(setup),
      apparel,
      products,
      opensAt,
      weight: (1 / (1 + (i % 40)) ** 0.8) * (1 + setup.float()),
    });
  }
  const buyers: string[] = [...opts.buyers];

  for (let d = 0; d < days; d++) {
    const at = start + d * DAY_MS;
    const day = new Date(at);
    const iso = day.toISOString().slice(0, 10);
    const rng = new Rng(hashOf(`${opts.seed}:${iso}`));
    const open = stores.filter((s) => s.opensAt <= at && s.products.length > 0);
    if (open.length === 0) {
      yield { day: iso, orders: [], fans: [] };
      continue;
    }
    const totalWeight = open.reduce((sum, s) => sum + s.weight, 0);
    const pickStore = () => {
      let x = rng.float() * totalWeight;
      for (const s of open) {
        x -= s.weight;
        if (x <= 0) return s;
      }
      return open[open.length - 1] as (typeof open)[number];
    };
    // Growth from half the end volume, the day's shape, and ±15 % noise.
    const growth = 0.5 + 0.5 * (d / Math.max(days - 1, 1));
    const count = Math.max(
      1,
      Math.round(opts.ordersPerDay * growth * dayShape(day) * (0.85 + rng.float() * 0.3)),
    );
    // Live selling grows over the year; short videos hold; replays and the rest share what is left.
    const liveShare = 0.25 + 0.2 * (d / days);
    const orders: OrderFact[] = [];
    for (let i = 0; i < count; i++) {
      const store = pickStore();
      // Two in three orders come from a buyer who bought before (when there is one).
      const returning = buyers.length > 0 && rng.chance(0.65);
      const buyerId = returning
        ? (buyers[buyers.length - 1 - Math.floor(rng.float() ** 2 * buyers.length)] as string)
        : uuidFrom(rng);
      if (!returning) buyers.push(buyerId);
      const placedAt = new Date(at + rng.int(7 * 3600, 23 * 3600) * 1000);
      const paid = rng.chance(0.93);
      const c = rng.float();
      const channel =
        c < liveShare ? 'live' : c < liveShare + 0.35 ? 'video' : c < liveShare + 0.45 ? 'replay' : 'other';
      const lines = Array.from({ length: rng.chance(0.2) ? 2 : 1 }, () => {
        const p = rng.pick(store.products);
        const quantity = rng.chance(0.85) ? 1 : 2;
        return {
          productId: p.productId,
          categoryId: p.categoryId,
          channel,
          amountFen: p.priceFen * quantity,
          quantity,
        };
      });
      const total = lines.reduce((s, l) => s + l.amountFen, 0);
      const refunds: NonNullable<OrderFact['refunds']> = [];
      if (paid && rng.chance(store.apparel ? 0.12 : 0.05)) {
        const reason =
          store.apparel && rng.chance(0.55) ? rng.pick(REASONS.slice(0, 2)) : rng.pick(REASONS.slice(2));
        const refundAt = new Date(Math.min(placedAt.getTime() + rng.int(2, 10) * DAY_MS, end - 1000));
        refunds.push({ reason, amountFen: rng.chance(0.8) ? total : Math.round(total / 2), at: refundAt });
      }
      orders.push({
        orderId: uuidFrom(rng),
        storeId: store.storeId,
        buyerId,
        placedAt,
        paidAt: paid ? new Date(placedAt.getTime() + rng.int(10, 900) * 1000) : null,
        lines,
        refunds: refunds.length > 0 ? refunds : undefined,
      });
    }
    // Follows: about one in four orders brings a fan, plus page visitors; some unfollow.
    const fans: FanFact[] = [];
    const follows = Math.round(count * 0.3 * (0.8 + rng.float() * 0.4));
    for (let i = 0; i < follows; i++) {
      const store = pickStore();
      const buyerId = rng.chance(0.5) && buyers.length > 0 ? rng.pick(buyers) : uuidFrom(rng);
      const at2 = new Date(at + rng.int(8 * 3600, 23 * 3600) * 1000);
      fans.push({ storeId: store.storeId, buyerId, kind: 'follow', source: rng.pick(FAN_SOURCES), at: at2 });
      if (rng.chance(0.08)) {
        const later = new Date(Math.min(at2.getTime() + rng.int(1, 20) * DAY_MS, end - 1000));
        fans.push({ storeId: store.storeId, buyerId, kind: 'unfollow', source: null, at: later });
      }
    }
    yield { day: iso, orders, fans };
  }
}

/** How many days `historyDays` yields (for a progress bar). */
export function historyLength(months: number, now: Date): number {
  const end = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const start = new Date(end);
  start.setUTCMonth(start.getUTCMonth() - months);
  return Math.round((end - start.getTime()) / DAY_MS);
}

/** `12m`, `6m` or `90d` → months (days round up to whole months; 1–36). Null when not such a period. */
export function parseHistoryPeriod(text: string | undefined): number | null {
  const m = /^(\d{1,3})(m|d)$/.exec(text ?? '');
  if (!m) return null;
  const months = m[2] === 'm' ? Number(m[1]) : Math.ceil(Number(m[1]) / 30);
  return months >= 1 && months <= 36 ? months : null;
}
