import pino from 'pino';
import { buildApp } from '../app.ts';
import { IdentityService } from '../modules/identity/index.ts';
import { ManualClock } from '../platform/clock.ts';
import type { SeedContext } from './extensions.ts';

const DAY = 24 * 3600_000;
const ORDERS = 60;

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
  const call = async (method: 'POST', url: string, cookie: string, payload?: object, key?: string) => {
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

  try {
    for (let n = 0; n < ORDERS; n++) {
      clock.set(new Date(start + ((n + 0.5) * 14 * DAY) / ORDERS));
      const buyer = rng.pick(data.buyers);
      const product = rng.pick(data.products);
      const lines = [{ skuId: rng.pick(product.skuIds), quantity: rng.chance(0.8) ? 1 : 2 }];
      const cookie = await cookieOf(buyer.accountId);
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
      if (fate === 'delivered') continue;
      later(rng.int(1, 30) * 3600_000);
      await call('POST', `/orders/${orderId}/confirm-receipt`, await cookieOf(buyer.accountId));
      ctx.tick(`orders ${n + 1}/${ORDERS}`);
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
