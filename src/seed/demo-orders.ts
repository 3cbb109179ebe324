import pino from 'pino';
import { buildApp } from '../app.ts';
import { IdentityService } from '../modules/identity/index.ts';
import {
  chartHasSizeFor,
  type FitOutcome,
  pickFromChart,
  pickUsualSize,
  trueFit,
  type WorldGarment,
} from '../modules/sizing/index.ts';
import { ManualClock } from '../platform/clock.ts';
import { childFit, childSize, type DemoHousehold, wearerSex, worldGarment } from './demo-world.ts';
import type { SeedContext, SeededData } from './extensions.ts';
import { Rng } from './prng.ts';

const DAY = 24 * 3600_000;
/** Demo orders placed by a default seed. */
export const DEMO_ORDERS = 80;
/** Share of delivered garments that did not fit which their buyer sends back for size (else rates the fit). */
export const SIZE_RETURN_SHARE = 0.6;

/** How far a demo order gets: most complete, some are on their way, a few are cancelled. */
type Fate = 'completed' | 'delivered' | 'shipped' | 'paid' | 'cancelled';
const FATES: Array<[Fate, number]> = [
  ['completed', 0.5],
  ['delivered', 0.15],
  ['shipped', 0.15],
  ['paid', 0.12],
  ['cancelled', 0.08],
];
/** Carrier codes (orders/carriers.ts) the demo merchants ship with. */
const CARRIERS = ['sf', 'zto', 'yto', 'jd'] as const;

/** What placing order n produced, recorded so a resumed seed goes on with the same order. */
interface Placed {
  checkoutId: string;
  orderId: string;
  /** Each line's SKU and how it really fits (null: not a garment). */
  lines: Array<{ skuId: string; fit: FitOutcome | null }>;
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

  const productIndex = new Map(data.products.map((p, i) => [p.id, i]));
  /** An adult garment as it really is (its chart and the world's offset); null for anything else. */
  const garments = new Map<string, WorldGarment | null>();
  const garmentOf = async (productId: string) => {
    if (!garments.has(productId)) {
      const p = await services.catalog.productDetail(productId);
      const adult = wearerSex(p.categoryId) === 'female' || wearerSex(p.categoryId) === 'male';
      const offsetCm = ctx.world.productOffsetCm[productIndex.get(productId) ?? -1] ?? 0;
      garments.set(
        productId,
        adult && p.sizeChart ? worldGarment({ ...p, sizeChart: p.sizeChart }, offsetCm) : null,
      );
    }
    return garments.get(productId) ?? null;
  };
  /**
   * What a buyer shops: food and home, children's clothes, and garments of their own sex cut for
   * bodies like theirs (people do not buy what has no size for them).
   */
  const shelves = new Map<number, SeededData['products']>();
  const shelfOf = async (buyerIndex: number, household: DemoHousehold) => {
    let shelf = shelves.get(buyerIndex);
    if (!shelf) {
      shelf = [];
      for (const p of data.products) {
        const who = wearerSex(p.categoryId);
        if (who === null || who === 'child') shelf.push(p);
        else if (who === household.self.sex) {
          const garment = await garmentOf(p.id);
          if (garment && chartHasSizeFor(garment, household.self.wearer)) shelf.push(p);
        }
      }
      shelves.set(buyerIndex, shelf);
    }
    return shelf;
  };

  /**
   * The size a demo buyer takes and how it really fits. Most adults ask the size assistant and take
   * the size it recommends; the others take their usual size as the chart sells it; children's sizes
   * go by height.
   * The fit follows from the demo world (true body, the garment's true measurements), never from the
   * assistant's own probabilities.
   */
  const chooseSize = async (
    rng: Rng,
    productId: string,
    household: DemoHousehold,
    cookie: string,
  ): Promise<{
    size: string;
    fit: FitOutcome;
    skus: Array<{ id: string; size: string; color: string }>;
  } | null> => {
    const product = (await call('GET', `/products/${productId}`, cookie)).product as {
      categoryId: string;
      sizes: string[];
      skus: Array<{ id: string; size: string; color: string }>;
    };
    const { skus } = product;
    if (wearerSex(product.categoryId) === 'child') {
      const size = childSize(product.sizes, household.childHeightCm, rng);
      return size ? { size, fit: childFit(size, household.childHeightCm), skus } : null;
    }
    const garment = await garmentOf(productId);
    if (!garment) return null;
    const { wearer, usual } = household.self;
    let size: string | undefined;
    if (rng.chance(0.7)) size = await recommendedSize(productId, cookie);
    if (!size || !product.sizes.includes(size))
      size = pickUsualSize(garment, usual) ?? pickFromChart(garment, wearer, () => rng.float());
    return { size, fit: trueFit(garment, wearer, size, () => rng.float()), skus };
  };

  /** The size the assistant recommends to the buyer for their own profile (logged, as in the app). */
  const recommendedSize = async (productId: string, cookie: string) => {
    const profiles = (await call('GET', '/size/profiles', cookie)).profiles as Array<{
      id: string;
      label: string;
    }>;
    // Their own profile (a partner's, created at the same instant, would tie on order).
    const profile = profiles.find((p) => p.label === 'self') ?? profiles[0];
    if (!profile) return undefined;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/size/recommend',
      headers: { cookie },
      payload: { productId, profileId: profile.id },
    });
    if (res.statusCode !== 200) return undefined;
    return (res.json().recommendation as { recommendedSize: string | null }).recommendedSize ?? undefined;
  };

  const placeOrder = async (n: number) => {
    const seed = orderSeeds[n] as number;
    // Every draw of the order's story is made up front, so a resumed order tells the same story.
    const rng = new Rng(seed);
    const buyerIndex = rng.int(0, data.buyers.length - 1);
    const buyer = data.buyers[buyerIndex] as SeededData['buyers'][number];
    const household = ctx.world.households[buyerIndex] as DemoHousehold;
    const shelf = await shelfOf(buyerIndex, household);
    const product = rng.pick(shelf);
    // Some buyers take a second or third item from the same store.
    const sameStore = shelf.filter((p) => p.storeId === product.storeId && p.id !== product.id);
    const more = rng.chance(0.4) ? rng.sample(sameStore, rng.chance(0.3) ? 2 : 1) : [];
    const items = [product, ...more].map((p) => ({ product: p, anySku: rng.pick(p.skuIds) }));
    const quantity = rng.chance(0.8) ? 1 : 2;
    const city = rng.pick(['杭州市', '嘉兴市', '宁波市', '温州市']);
    const street = rng.int(1, 300);
    const fate = pickFate(rng.float());
    const shipAfter = rng.int(2, 20) * 3600_000;
    const carrier = rng.pick(CARRIERS);
    const trackingNo = `SF${String(rng.int(1e9, 9e9))}`;
    const deliverAfter = (config.sandboxDeliverySeconds + rng.int(3600, 48 * 3600)) * 1000;
    const sendBack = items.map(() => rng.chance(SIZE_RETURN_SHARE));
    const rate = items.map(() => rng.chance(0.7));
    const receiptAfter = rng.int(1, 30) * 3600_000;

    clock.set(new Date(start + ((n + 0.5) * 14 * DAY) / total));
    const cookie = await cookieOf(buyer.accountId);
    const placedStep = `demo order ${n + 1} placed`;
    const placed = steps.has(placedStep)
      ? steps.result<Placed>(placedStep)
      : await steps.runResumable<Placed>(placedStep, async () => {
          // The sizes' draws come from a generator of their own: they are made only here.
          const sizeRng = new Rng(seed ^ 0x5bd1e995);
          const lines: Placed['lines'] = [];
          for (const { product: p, anySku } of items) {
            const pick = p.apparel ? await chooseSize(sizeRng, p.id, household, cookie) : null;
            // The chosen size, in the colour drawn for this line when the product sells it.
            const color = pick?.skus.find((s) => s.id === anySku)?.color;
            const sku =
              pick?.skus.find((s) => s.size === pick.size && s.color === color) ??
              pick?.skus.find((s) => s.size === pick.size && p.skuIds.includes(s.id));
            lines.push(sku && pick ? { skuId: sku.id, fit: pick.fit } : { skuId: anySku, fit: null });
          }
          const address = {
            name: `买家${buyer.phone.slice(-4)}`,
            phone: buyer.phone,
            province: '浙江省',
            city,
            district: '中心区',
            detail: `幸福路 ${street} 号`,
          };
          const payload = {
            lines: lines.map((l, k) => ({ skuId: l.skuId, quantity: k === 0 ? quantity : 1 })),
            address,
          };
          const res = await call('POST', '/checkouts', cookie, payload, `demo-${seed}-checkout`);
          return { checkoutId: res.checkout.id, orderId: res.checkout.orders[0].id, lines };
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
    for (const [k, line] of placed.lines.entries()) {
      if (!line.fit) continue;
      if (line.fit !== 'fit' && sendBack[k]) {
        const reason = line.fit === 'small' ? 'size_too_small' : 'size_too_large';
        const payload = { orderId, skuId: line.skuId, reason };
        await call('POST', '/aftersale/requests', cookie, payload, undefined, 'request_exists');
      } else if (rate[k]) {
        const payload = { skuId: line.skuId, fit: line.fit };
        await call('POST', `/orders/${orderId}/fit-feedback`, cookie, payload, undefined, 'feedback_exists');
      }
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
