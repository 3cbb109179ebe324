import pino from 'pino';
import { buildApp } from '../app.ts';
import { IdentityService } from '../modules/identity/index.ts';
import { ManualClock } from '../platform/clock.ts';
import type { SeedContext } from './extensions.ts';

const DAY = 24 * 3600_000;
const ORDERS = 80;

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

/**
 * Demo orders over the last two weeks, placed and paid through the real API in-process (checkout,
 * sandbox payment with its signed webhooks, shipping, the sandbox carrier, receipt), so the ledger,
 * sales counts and consoles have history on a fresh install.
 */
export async function seedDemoOrders(ctx: SeedContext): Promise<void> {
  const { db, config, rng, data } = ctx;
  const end = Date.now();
  const start = end - 14 * DAY;
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
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    cookie: string,
    payload?: object,
    key?: string,
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300)
      throw new Error(`demo order: ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  /**
   * Most buyers of apparel ask the size assistant first and buy the size it recommends; the others
   * pick a size themselves. How the bought size then fits is drawn from the model's own
   * probabilities for that buyer and size, so refunds for size follow from the sizes chosen.
   */
  const pickSize = async (productId: string, skuIds: string[], cookie: string) => {
    const profiles = (await call('GET', '/size/profiles', cookie)).profiles as Array<{
      id: string;
      answers: object;
    }>;
    const profile = profiles[0];
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
  /** After delivery: a size that did not fit is often sent back for its size, else rated. */
  const tellHowItFit = async (
    orderId: string,
    skuId: string,
    fit: 'small' | 'fit' | 'large',
    cookie: string,
  ) => {
    if (fit !== 'fit' && rng.chance(0.6)) {
      const reason = fit === 'small' ? 'size_too_small' : 'size_too_large';
      await call('POST', '/aftersale/requests', cookie, { orderId, skuId, reason });
    } else if (rng.chance(0.7)) {
      await call('POST', `/orders/${orderId}/fit-feedback`, cookie, { skuId, fit });
    }
  };

  try {
    for (let n = 0; n < ORDERS; n++) {
      ctx.tick(`orders ${n + 1}/${ORDERS}`);
      clock.set(new Date(start + ((n + 0.5) * 14 * DAY) / ORDERS));
      const buyer = rng.pick(data.buyers);
      const product = rng.pick(data.products);
      const cookie = await cookieOf(buyer.accountId);
      const pick = product.apparel ? await pickSize(product.id, product.skuIds, cookie) : null;
      const lines = [{ skuId: pick?.skuId ?? rng.pick(product.skuIds), quantity: rng.chance(0.8) ? 1 : 2 }];
      const address = {
        name: `买家${buyer.phone.slice(-4)}`,
        phone: buyer.phone,
        province: '浙江省',
        city: rng.pick(['杭州市', '嘉兴市', '宁波市', '温州市']),
        district: '中心区',
        detail: `幸福路 ${rng.int(1, 300)} 号`,
      };
      const placed = await call('POST', '/checkouts', cookie, { lines, address }, `demo-checkout-${n}`);
      const checkoutId = placed.checkout.id as string;
      const orderId = placed.checkout.orders[0].id as string;
      await call('POST', `/checkouts/${checkoutId}/pay`, cookie, undefined, `demo-pay-${n}`);
      await settle();
      const fate = pickFate(rng.float());
      if (fate === 'cancelled') {
        await call('POST', `/orders/${orderId}/cancel`, cookie);
        await settle();
        continue;
      }
      if (fate === 'paid') continue;
      later(rng.int(2, 20) * 3600_000);
      await call(
        'POST',
        `/merchant/orders/${orderId}/ship`,
        await cookieOf(merchantOf.get(product.storeId) ?? ''),
        {
          carrier: rng.pick(CARRIERS),
          trackingNo: `SF${String(rng.int(1e9, 9e9))}`,
        },
      );
      if (fate === 'shipped') continue;
      later((config.sandboxDeliverySeconds + rng.int(3600, 48 * 3600)) * 1000);
      await services.orders.deliverDue(clock.now());
      // Orders shipped just now (the history is capped at the present) are still on their way.
      const { order } = await call('GET', `/orders/${orderId}`, cookie);
      if (order.status !== 'delivered') continue;
      if (pick) await tellHowItFit(orderId, lines[0]?.skuId as string, pick.fit, cookie);
      if (fate === 'delivered') continue;
      later(rng.int(1, 30) * 3600_000);
      await call('POST', `/orders/${orderId}/confirm-receipt`, await cookieOf(buyer.accountId));
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
