import {
  chartHasSizeFor,
  type FitOutcome,
  pickFromChart,
  pickUsualSize,
  trueFit,
  type WorldGarment,
} from '../modules/sizing/index.ts';
import type { Actor } from '../platform/auth.ts';
import { AppError } from '../platform/errors.ts';
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
/** The address a size recommendation is asked from (rate limits count per account; this is the app's own). */
const LOCAL_IP = '127.0.0.1';

/** What placing order n produced, recorded so a resumed seed goes on with the same order. */
interface Placed {
  checkoutId: string;
  orderId: string;
  /** Each line's SKU and how it really fits (null: not a garment). */
  lines: Array<{ skuId: string; fit: FitOutcome | null }>;
}

/**
 * Demo orders over the two weeks before the seed's present, placed and paid through the services as
 * the app's routes call them (checkout, sandbox payment with its signed webhooks, shipping, the
 * sandbox carrier, receipt), so the ledger, sales counts and consoles have history on a fresh install.
 *
 * Resumable order by order: each order draws from a generator of its own; placing it is recorded
 * (`demo order n placed`) and so is its end (`demo order n`); checkout and payment carry idempotency
 * keys derived from the seed, and every later move is made only if the order's status still needs it,
 * so running an interrupted order again finishes it without doing anything twice.
 */
export async function seedDemoOrders(ctx: SeedContext): Promise<void> {
  const { config, data, steps, services, clock } = ctx;
  const total = ctx.orders;
  const end = ctx.now.getTime();
  const start = end - 14 * DAY;
  const orderSeeds = Array.from({ length: total }, () => ctx.rng.int(1, 2 ** 31 - 1));
  if (orderSeeds.every((_, n) => steps.has(`demo order ${n + 1}`))) return;
  // Each order's story runs forward from its placing time, but never past the present.
  const later = (ms: number) => clock.set(new Date(Math.min(end, clock.now().getTime() + ms)));
  const merchantOf = new Map<string, Actor>(
    data.merchants.map((m) => [
      m.storeId,
      { accountId: m.accountId, role: 'merchant', phone: m.phone, storeId: m.storeId },
    ]),
  );
  const settle = async () => {
    for (let round = 0; round < 50; round++) {
      const delivered = await services.sandboxPayments.deliverDue();
      const ran = await services.payments.outbox.runOnce();
      if (delivered === 0 && ran === 0) return;
    }
  };
  /** A move that must succeed; an error with `done` as its code means it already had (a resumed order). */
  const unlessDone = async (done: string, move: () => Promise<unknown>) => {
    try {
      await move();
    } catch (err) {
      if (!(err instanceof AppError && err.code === done)) throw err;
    }
  };
  /** The body of an answer that carries its status (checkout, payment), which must be a success. */
  const succeeded = <T>(what: string, answer: { statusCode: number; body: T }): T => {
    if (answer.statusCode >= 300)
      throw new Error(`demo order: ${what} → ${answer.statusCode} ${JSON.stringify(answer.body)}`);
    return answer.body;
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
    buyer: Actor,
  ): Promise<{
    size: string;
    fit: FitOutcome;
    skus: Array<{ id: string; size: string; color: string }>;
  } | null> => {
    const product = await services.catalog.productDetail(productId);
    const { skus } = product;
    if (wearerSex(product.categoryId) === 'child') {
      const size = childSize(product.sizes, household.childHeightCm, rng);
      return size ? { size, fit: childFit(size, household.childHeightCm), skus } : null;
    }
    const garment = await garmentOf(productId);
    if (!garment) return null;
    const { wearer, usual } = household.self;
    let size: string | undefined;
    if (rng.chance(0.7)) size = await recommendedSize(productId, buyer);
    if (!size || !product.sizes.includes(size))
      size = pickUsualSize(garment, usual) ?? pickFromChart(garment, wearer, () => rng.float());
    return { size, fit: trueFit(garment, wearer, size, () => rng.float()), skus };
  };

  /** The size the assistant recommends to the buyer for their own profile (logged, as in the app). */
  const recommendedSize = async (productId: string, buyer: Actor) => {
    const profiles = await services.sizing.profiles.list(buyer);
    // Their own profile (a partner's, created at the same instant, would tie on order).
    const profile = profiles.find((p) => p.label === 'self') ?? profiles[0];
    if (!profile) return undefined;
    try {
      const recommendation = await services.sizing.recommend(
        buyer,
        { productId, profileId: profile.id },
        LOCAL_IP,
      );
      return recommendation.recommendedSize ?? undefined;
    } catch (err) {
      // No recommendation (e.g. too many asked this minute): the buyer picks as they would without one.
      if (err instanceof AppError) return undefined;
      throw err;
    }
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
    const buyerActor: Actor = {
      accountId: buyer.accountId,
      role: 'buyer',
      phone: buyer.phone,
      storeId: null,
    };
    const placedStep = `demo order ${n + 1} placed`;
    const placed = steps.has(placedStep)
      ? steps.result<Placed>(placedStep)
      : await steps.runResumable<Placed>(placedStep, async () => {
          // The sizes' draws come from a generator of their own: they are made only here.
          const sizeRng = new Rng(seed ^ 0x5bd1e995);
          const lines: Placed['lines'] = [];
          for (const { product: p, anySku } of items) {
            const pick = p.apparel ? await chooseSize(sizeRng, p.id, household, buyerActor) : null;
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
          const { checkout } = succeeded(
            'checkout',
            await services.orders.checkout(buyerActor, `demo-${seed}-checkout`, payload),
          );
          const order = checkout.orders[0];
          if (!order) throw new Error('demo order: the checkout made no order');
          return { checkoutId: checkout.id, orderId: order.id, lines };
        });
    const { orderId } = placed;
    const status = async () => (await services.orders.getForBuyer(buyerActor, orderId)).order.status;
    succeeded('pay', await services.payments.pay(buyerActor, placed.checkoutId, `demo-${seed}-pay`));
    await settle();
    if (fate === 'cancelled') {
      if ((await status()) === 'paid') await services.orders.cancel(buyerActor, orderId);
      await settle();
      return;
    }
    if (fate === 'paid') return;
    later(shipAfter);
    const merchant = merchantOf.get(product.storeId);
    if (!merchant) throw new Error(`demo order: no merchant for store ${product.storeId}`);
    if ((await status()) === 'paid') await services.orders.ship(merchant, orderId, { carrier, trackingNo });
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
        const request = { orderId, skuId: line.skuId, reason } as const;
        await unlessDone('request_exists', () => services.aftersale.request(buyerActor, request));
      } else if (rate[k]) {
        const fit = line.fit;
        await unlessDone('feedback_exists', () =>
          services.sizing.fitFeedback(buyerActor, orderId, line.skuId, fit),
        );
      }
    }
    if (fate === 'delivered') return;
    later(receiptAfter);
    if (arrived === 'delivered') await services.orders.confirmReceipt(buyerActor, orderId);
  };

  for (let n = 0; n < total; n++) {
    ctx.tick(`orders ${n + 1}/${total}`);
    const name = `demo order ${n + 1}`;
    if (!steps.has(name)) await steps.runResumable(name, () => placeOrder(n));
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
