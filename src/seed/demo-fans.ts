import type { FollowSource } from '../modules/social/index.ts';
import type { Actor } from '../platform/auth.ts';
import type { SeedContext } from './extensions.ts';

const DAY = 24 * 3600_000;
/** Follows are spread over this many days before the seed's present. */
export const FAN_DAYS = 30;
/**
 * Buyer accounts that only follow (the twenty demo buyers cannot make a store's fans a visible number):
 * phones 13588000001 … 13588000060, not demo sign-ins.
 */
export const FAN_ACCOUNTS = 60;
export const fanPhone = (n: number) => `1358800${String(n).padStart(4, '0')}`;

const FAN_NAMES_A = ['爱吃', '快乐', '认真', '元气', '安静', '早起', '晚睡', '追光', '慢慢', '小小'];
const FAN_NAMES_B = ['的猫', '的鱼', '小熊', '兔子', '橘子', '路人', '豆芽', '星球', '云朵', '饭团'];

/** Where follows come from, with weights: live rooms and videos bring most fans. */
const SOURCES: Array<[FollowSource, number]> = [
  ['live', 0.3],
  ['video', 0.25],
  ['store', 0.2],
  ['product', 0.15],
  ['coupon', 0.1],
];
/** Share of follows that end in an unfollow before the present. */
const UNFOLLOW_SHARE = 0.1;

interface FanMove {
  at: number;
  buyer: number;
  store: number;
  kind: 'follow' | 'unfollow';
  source: FollowSource;
}

/**
 * Fans (私域): the demo buyers and sixty follow-only buyers follow the demo stores over the last 30
 * days, through the social service at the demo clock (so `fan.followed` / `fan.unfollowed`, the day
 * counts and totals are real), from live rooms, videos, store and product pages and coupons; about
 * one in ten unfollows later. The first store (merchant 13700000001) gets most of them.
 *
 * Runs before the pricing demo creates follow-store coupons, so no follow here is granted one (the
 * coupon claims stay those the pricing demo makes). Deterministic from the seed; one transaction.
 */
export async function seedDemoFans(ctx: SeedContext): Promise<void> {
  const { services, data, clock, rng } = ctx;
  const end = ctx.now.getTime();
  const start = end - FAN_DAYS * DAY;
  clock.set(new Date(start - DAY));
  const fans: string[] = [];
  for (let n = 1; n <= FAN_ACCOUNTS; n++) {
    const nickname = `${rng.pick(FAN_NAMES_A)}${rng.pick(FAN_NAMES_B)}`;
    fans.push(await services.identity.provision(fanPhone(n), 'buyer', nickname));
  }
  const buyers = [...data.buyers.map((b) => b.accountId), ...fans];
  const stores = data.merchants.map((m) => m.storeId);

  const source = (): FollowSource => {
    let u = rng.float();
    for (const [s, w] of SOURCES) {
      u -= w;
      if (u < 0) return s;
    }
    return 'store';
  };
  // More follows lately (a store's fans grow): the age of a follow is drawn towards the present.
  const when = () => end - Math.floor(FAN_DAYS * DAY * (1 - Math.sqrt(rng.float()))) - 60_000;
  const moves: FanMove[] = [];
  const follow = (buyer: number, store: number) => {
    const at = when();
    const src = source();
    moves.push({ at, buyer, store, kind: 'follow', source: src });
    if (rng.chance(UNFOLLOW_SHARE)) {
      const later = at + rng.int(1, Math.max(1, Math.floor((end - at) / 60_000) - 1)) * 60_000;
      if (later < end) moves.push({ at: later, buyer, store, kind: 'unfollow', source: src });
    }
  };
  buyers.forEach((_, b) => {
    const demoBuyer = b < data.buyers.length;
    // The first store: most demo buyers and three in four follow-only buyers.
    if (rng.chance(demoBuyer ? 0.7 : 0.75)) follow(b, 0);
    // Other stores: a demo buyer follows two to five, a follow-only buyer up to two.
    const others = rng.sample(
      stores.map((_, s) => s).filter((s) => s > 0),
      demoBuyer ? rng.int(2, 5) : rng.int(0, 2),
    );
    for (const s of others) follow(b, s);
  });
  moves.sort((a, b) => a.at - b.at || a.buyer - b.buyer || a.store - b.store);

  for (const move of moves) {
    clock.set(new Date(move.at));
    const actor: Actor = {
      accountId: buyers[move.buyer] as string,
      role: 'buyer',
      phone: data.buyers[move.buyer]?.phone ?? fanPhone(move.buyer - data.buyers.length + 1),
      storeId: null,
    };
    const storeId = stores[move.store] as string;
    if (move.kind === 'follow') await services.social.follow(actor, storeId, move.source);
    else await services.social.unfollow(actor, storeId);
  }
  clock.set(ctx.now);
}
