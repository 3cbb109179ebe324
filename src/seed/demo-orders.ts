import pino from 'pino';
import { buildApp } from '../app.ts';
import { IdentityService } from '../modules/identity/index.ts';
import { ManualClock } from '../platform/clock.ts';
import type { SeedContext } from './extensions.ts';
import { Rng } from './prng.ts';

const DAY = 24 * 3600_000;
/** Demo orders placed by a default seed. */
export const DEMO_ORDERS = 80;

/** How far a demo order gets: most complete, some are on their way, a few are cancelled. */
type Fate = 'completed' | 'delivered' | 'shipped' | 'paid' | 'cancelled';
const FATES: Array<[Fate, number]> = [
  ['completed', 0.5],
  ['delivered', 0.15],
  ['shipped', 0.15],
  ['paid', 0.12],
  ['cancelled', 0.08],
];
const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '京东物流'];

/** What placing order n produced, recorded so a resumed seed goes on with the same order. */
interface Placed {
  checkoutId: string;
  orderId: string;
  skuId: string;
  fit: 'small' | 'fit' | 'large' | null;
}

/**
 * Demo orders over the two weeks before the seed's present, placed and paid through the real API
 * in-process (checkout, sandbox payment with its signed webhooks, shipping, the sandbox carrier,
 * receipt), so the ledger, sales counts and consoles have history on a fresh install.
 *
 * Resumable order by order: each order draws from a generator of its own; placing it is recorded
 * (`demo order n placed`) and so is its end (`demo order n`); checkout and payment carry idempotency
 * keys derived from the seed, and every later move is made only if the order's status still needs it,
 * so running an interrupted order again finishes it without doing anything twice.
 */
export async function seedDemoOrders(ctx: SeedContext): Promise<void> {
  const { db, config, data, steps } = ctx;
  const total = ctx.orders;
  const end = ctx.now.getTime();
  const start = end - 14 * DAY;
  const orderSeeds = Array.from({ length: total }, () => ctx.rng.int(1, 2 ** 31 - 1));
  if (orderSeeds.every((_, n) => steps.has(`demo order ${n + 1}`))) return;
  const clock = new ManualClock(new Date(start));
  // Each order's story runs forward from its placing time, but never past the present.
  const later = (ms: number) => clock.set(new Date(Math.min(end, clock.now().getTime() + ms)));
  const log = pino({ level: 'silent' });
  const quietConfig = { ...config, sandboxPayment: { failRate: 0, delayMs: 0, replayRate: 0 } };
  const gravity = await buildApp({ config: quietConfig, db, clock, log });
  const { app, services } = gravity;
  const identity = new IdentityService({ db, clock, log, exposeSandboxSmsCode: false });
  const cookieOf = async (accountId: string) => `gravity_session=${await identity.openSession(accountId)}`;
  const merchantOf = new Map(data.merchants.map((m) => [m.storeId, m.accountId]));
  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      const delivered = await services.sandboxPayments.deliverDue();
      const ran = await services.payments.outbox.runOnce();
      if (delivered === 0 && ran === 0) return;
    }
  };
  /** An API call that must succeed; a 409 with `done` as its code means it already had (a resumed order). */
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    cookie: string,
    payload?: object,
    key?: string,
    done?: string,
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });
    if (done && res.statusCode === 409 && res.json().error?.code === done) return null;
    if (res.statusCode >= 300)
      throw new Error(`demo order: ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  /**
   * Most buyers of apparel ask the size assistant first and buy the size it recommends; the others
   * pick a size themselves. How the bought size then fits is drawn from the model's own
   * probabilities for that buyer and size, so refunds for size follow from the sizes chosen.
   */
  const pickSize = async (rng: Rng, productId: string, skuIds: string[], cookie: string) => {
    const profiles = (await call('GET', '/size/profiles', cookie)).profiles as Array<{
      id: string;
      label: string;
      answers: object;
    }>;
    // Buyers shop for themselves (a partner's profile, created at the same instant, would tie on order).
    const profile = profiles.find((p) => p.label === 'self') ?? profiles[0];
    if (!profile) return null;
    const product = (await call('GET', `/products/${productId}`, cookie)).product as {
      skus: Array<{ id: string; size: string }>;
    };
    const asks = rng.chance(0.7);
    const res = asks
      ? await app.inject({
          method: 'POST',
          url: '/api/v1/size/recommend',
          headers: { cookie },
          payload: { productId, profileId: profile.id },
        })
      : // Not shown to this buyer: an anonymous estimate only to know how the size would fit.
        await app.inject({
          method: 'POST',
          url: '/api/v1/size/recommend',
          payload: { productId, answers: profile.answers },
        });
    if (res.statusCode !== 200) return null;
    const rec = res.json().recommendation as {
      recommendedSize: string | null;
      sizes: Array<{ size: string; pSmall: number; pFit: number; pLarge: number }>;
    };
    const size = asks && rec.recommendedSize ? rec.recommendedSize : rng.pick(rec.sizes).size;
    const option = rec.sizes.find((s) => s.size === size);
    const sku = product.skus.find((s) => s.size === size && skuIds.includes(s.id));
    if (!option || !sku) return null;
    const draw = rng.float();
    const fit: 'small' | 'fit' | 'large' =
      draw < option.pSmall ? 'small' : draw < option.pSmall + option.pFit ? 'fit' : 'large';
    return { skuId: sku.id, fit };
  };

  const placeOrder = async (n: number) => {
    const seed = orderSeeds[n] as number;
    // Every draw of the order's story is made up front, so a resumed order tells the same story.
    const rng = new Rng(seed);
    const buyer = rng.pick(data.buyers);
    const product = rng.pick(data.products);
    const anySku = rng.pick(product.skuIds);
    const quantity = rng.chance(0.8) ? 1 : 2;
    const city = rng.pick(['杭州市', '嘉兴市', '宁波市', '温州市']);
    const street = rng.int(1, 300);
    const fate = pickFate(rng.float());
    const shipAfter = rng.int(2, 20) * 3600_000;
    const carrier = rng.pick(CARRIERS);
    const trackingNo = `SF${String(rng.int(1e9, 9e9))}`;
    const deliverAfter = (config.sandboxDeliverySeconds + rng.int(3600, 48 * 3600)) * 1000;
    const sendBack = rng.chance(0.6);
    const rate = rng.chance(0.7);
    const receiptAfter = rng.int(1, 30) * 3600_000;

    clock.set(new Date(start + ((n + 0.5) * 14 * DAY) / total));
    const cookie = await cookieOf(buyer.accountId);
    const placedStep = `demo order ${n + 1} placed`;
    const placed = steps.has(placedStep)
      ? steps.result<Placed>(placedStep)
      : await steps.runResumable<Placed>(placedStep, async () => {
          // The size assistant's draws come from a generator of their own: they are made only here.
          const pick = product.apparel
            ? await pickSize(new Rng(seed ^ 0x5bd1e995), product.id, product.skuIds, cookie)
            : null;
          const lines = [{ skuId: pick?.skuId ?? anySku, quantity }];
          const address = {
            name: `买家${buyer.phone.slice(-4)}`,
            phone: buyer.phone,
            province: '浙江省',
            city,
            district: '中心区',
            detail: `幸福路 ${street} 号`,
          };
          const res = await call('POST', '/checkouts', cookie, { lines, address }, `demo-${seed}-checkout`);
          return {
            checkoutId: res.checkout.id,
            orderId: res.checkout.orders[0].id,
            skuId: pick?.skuId ?? anySku,
            fit: pick?.fit ?? null,
          };
        });
    const { orderId } = placed;
    const status = async () => (await call('GET', `/orders/${orderId}`, cookie)).order.status as string;
    await call('POST', `/checkouts/${placed.checkoutId}/pay`, cookie, undefined, `demo-${seed}-pay`);
    await settle();
    if (fate === 'cancelled') {
      if ((await status()) === 'paid') await call('POST', `/orders/${orderId}/cancel`, cookie);
      await settle();
      return;
    }
    if (fate === 'paid') return;
    later(shipAfter);
    if ((await status()) === 'paid') {
      const merchant = await cookieOf(merchantOf.get(product.storeId) ?? '');
      await call('POST', `/merchant/orders/${orderId}/ship`, merchant, { carrier, trackingNo });
    }
    if (fate === 'shipped') return;
    later(deliverAfter);
    await services.orders.deliverDue(clock.now());
    // Orders shipped just now (the history is capped at the present) are still on their way.
    const arrived = await status();
    if (arrived !== 'delivered' && arrived !== 'completed') return;
    // After delivery: a size that did not fit is often sent back for its size, else rated.
    if (placed.fit && placed.fit !== 'fit' && sendBack) {
      const reason = placed.fit === 'small' ? 'size_too_small' : 'size_too_large';
      const payload = { orderId, skuId: placed.skuId, reason };
      await call('POST', '/aftersale/requests', cookie, payload, undefined, 'request_exists');
    } else if (placed.fit && rate) {
      const payload = { skuId: placed.skuId, fit: placed.fit };
      await call('POST', `/orders/${orderId}/fit-feedback`, cookie, payload, undefined, 'feedback_exists');
    }
    if (fate === 'delivered') return;
    later(receiptAfter);
    if (arrived === 'delivered') await call('POST', `/orders/${orderId}/confirm-receipt`, cookie);
  };

  try {
    for (let n = 0; n < total; n++) {
      ctx.tick(`orders ${n + 1}/${total}`);
      const name = `demo order ${n + 1}`;
      if (!steps.has(name)) await steps.runResumable(name, () => placeOrder(n));
    }
  } finally {
    await gravity.stop();
    await app.close();
  }
}

function pickFate(draw: number): Fate {
  let acc = 0;
  for (const [fate, p] of FATES) {
    acc += p;
    if (draw < acc) return fate;
  }
  return 'completed';
}
