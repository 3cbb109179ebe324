import { sql } from 'kysely';
import type { Actor } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../../platform/errors.ts';
import { type AnySubscriber, subscriber } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { hitRateLimit } from '../../platform/rate-limit.ts';
import type { ApparelProduct, ProductSizingFacts } from '../catalog/index.ts';
import type { OrderView, PurchasedLine } from '../orders/index.ts';
import type {
  FitFeedbackAnswer,
  OrderFit,
  RecommendResult,
  SizeInsights,
  SizeMetrics,
} from './api-schema.ts';
import { buildAvatar } from './avatar.ts';
import { estimateBody } from './body-estimate.ts';
import { implausibleAnswers } from './body-plausibility.ts';
import { childProfileNeeded } from './child-product.ts';
import { applyOutcome, loadCorrections } from './feedback-store.ts';
import { typicalChart } from './fit-charts.ts';
import type { BodyForFit, FitOutcome } from './fit-model.ts';
import { recommendSize } from './fit-model.ts';
import type { FitLevel } from './fit-zone-reason.ts';
import { storeSizeInsights } from './insights.ts';
import { usableChart } from './product-chart.ts';
import { effectiveBody, SizeProfiles } from './profiles.ts';
import { RecommendationTally } from './recommendation-tally.ts';
import type { BodyAnswers, GarmentZone, ProductSizing } from './schemas.ts';
import { decideSize } from './size-decision.ts';
import { sizeOrdinal } from './size-labels.ts';
import { sizeMetrics } from './size-metrics.ts';
import type { SizeNote } from './size-notes.ts';
import type { SizingDb } from './tables.ts';

/** What sizing needs of the catalog (CatalogService). */
export interface SizingCatalog {
  sizingFacts(productId: string): Promise<ProductSizingFacts>;
  /** For merchant insights. */
  storeApparelProducts(storeId: string, limit: number): Promise<ApparelProduct[]>;
  /** For ops metrics. */
  apparelProductIds(productIds: string[]): Promise<Set<string>>;
}

/** What sizing needs of orders (OrdersService), read-only: a buyer's own order, purchases for the reports. */
export interface SizingOrders {
  getForBuyer(actor: Actor, orderId: string): Promise<{ order: OrderView }>;
  purchasedLineCounts(productIds: string[]): Promise<Map<string, number>>;
  purchasedLines(from: Date, to: Date): Promise<PurchasedLine[]>;
}

export interface SizingDeps {
  db: SizingDb;
  clock: Clock;
  catalog: SizingCatalog;
  orders: SizingOrders;
  /** Recommendations per minute: per client address when anonymous, per account when signed in. */
  recommendLimit?: { anonymousPerMinute: number; accountPerMinute: number };
}

const DEFAULT_RECOMMEND_LIMIT = { anonymousPerMinute: 60, accountPerMinute: 120 };

export interface RecommendRequest {
  productId: string;
  profileId?: string;
  answers?: BodyAnswers;
}

export type { RecommendResult };

/** A fit outcome ready to be written: everything read before the transaction opens. */
export interface PreparedOutcome {
  accountId: string;
  orderId: string;
  skuId: string;
  productId: string;
  storeId: string;
  size: string;
  fit: FitOutcome;
  sizing: ProductSizing;
  body: BodyForFit;
}

const DELIVERED = new Set(['delivered', 'completed']);
/** After-sale reasons that say how the size fit. */
const SIZE_FIT = { size_too_small: 'small', size_too_large: 'large' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { usableChart };

/** Sizes in the product's own order (S, M, L …), then any others by their place on the size axis. */
function inSizeOrder<T extends { size: string }>(sizes: T[], productOrder: readonly string[]): T[] {
  const rank = (size: string) => {
    const i = productOrder.indexOf(size);
    return i >= 0 ? i : productOrder.length + (sizeOrdinal(size) ?? 0);
  };
  return [...sizes].sort((a, b) => rank(a.size) - rank(b.size));
}

const unknownProduct = () => new AppError(400, 'unknown_product', 'There is no such product');

export class SizingService {
  readonly profiles: SizeProfiles;
  /** Anonymous recommendations, counted in batches (a worker and `stop` flush it). */
  readonly tally: RecommendationTally;

  constructor(private readonly deps: SizingDeps) {
    this.profiles = new SizeProfiles(deps.db, deps.clock);
    this.tally = new RecommendationTally(deps.db);
  }

  // ---- product facts ----

  /** The product's sizing facts; 400 `unknown_product`, `not_apparel`, `empty_size_chart`, `no_size_chart`. */
  private async productSizing(productId: string, sex?: 'female' | 'male') {
    if (!UUID.test(productId)) throw unknownProduct();
    let product: ProductSizingFacts;
    try {
      product = await this.deps.catalog.sizingFacts(productId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw unknownProduct();
      throw err;
    }
    if (!product.isApparel) {
      throw new AppError(400, 'not_apparel', 'The size assistant serves apparel products only');
    }
    const own = usableChart(product);
    if (own !== null && Object.keys(own).length === 0) {
      throw new AppError(
        400,
        'empty_size_chart',
        'The product’s size chart has no sizes the assistant can use',
      );
    }
    const sizing: ProductSizing = {
      productId: product.id,
      brand: product.brand || undefined,
      category: product.categoryId,
      fitType: product.fitType ?? undefined,
      chart: own ?? undefined,
    };
    // Without a chart: the category's typical chart, for the sizes the product sells.
    let chart = own;
    if (!chart) {
      const typical = typicalChart(product.categoryId, sex ?? 'female');
      chart = Object.fromEntries(Object.entries(typical).filter(([s]) => product.sizes.includes(s)));
      if (Object.keys(chart).length === 0) {
        throw new AppError(
          400,
          'no_size_chart',
          'The product has no size chart and its sizes are not standard letter sizes',
          { sizes: product.sizes },
        );
      }
    }
    return { product, sizing, chart, chartSource: own ? ('product' as const) : ('category' as const) };
  }

  // ---- recommendation ----

  /**
   * Recommends a size of a product for a profile or for answers. Rate-limited per account, or per
   * client address when anonymous (429), before any work. Logged one row each for signed-in
   * buyers (outcomes and metrics read it); anonymous ones are only counted, in batches.
   */
  async recommend(actor: Actor | null, input: RecommendRequest, clientIp: string): Promise<RecommendResult> {
    const limit = this.deps.recommendLimit ?? DEFAULT_RECOMMEND_LIMIT;
    await hitRateLimit(
      this.deps.db,
      this.deps.clock,
      actor ? `size-recommend:account:${actor.accountId}` : `size-recommend:ip:${clientIp}`,
      actor ? limit.accountPerMinute : limit.anonymousPerMinute,
      60,
      'Too many size recommendations; try again in a minute',
    );
    if (!input.profileId && !input.answers) {
      throw new AppError(
        400,
        'body_required',
        'Give a profileId or the answers (height and weight at least)',
      );
    }
    if (input.profileId && input.answers) {
      throw new AppError(400, 'body_ambiguous', 'Give either a profileId or the answers, not both');
    }
    if (input.profileId && !actor) throw unauthorized('Sign in to use a size profile');
    if (input.profileId && actor?.role !== 'buyer') throw forbidden('Size profiles belong to buyer accounts');
    let body: BodyForFit;
    let answers: BodyAnswers;
    let profileId: string | null = null;
    let notes: SizeNote[] = [];
    if (input.profileId && actor) {
      if (!UUID.test(input.profileId)) throw notFound('Size profile');
      const { body: b, profile } = await this.profiles.bodyFor(actor, input.profileId);
      body = b;
      answers = profile.answers;
      profileId = profile.id;
      notes = profile.estimate.notes;
    } else {
      answers = input.answers as BodyAnswers;
      const estimate = estimateBody(answers);
      body = effectiveBody(estimate, {});
      notes = estimate.notes;
    }
    const { product, sizing, chart, chartSource } = await this.productSizing(input.productId, body.sex);
    const { heightCm } = answers;
    const mismatch = childProfileNeeded(product, answers);
    if (mismatch) {
      throw new AppError(
        422,
        'child_profile_needed',
        'This is a children’s product and the body is a grown-up’s: use or create a child’s profile',
        mismatch,
      );
    }
    const buyerId = actor?.role === 'buyer' ? actor.accountId : undefined;
    const corrections = await loadCorrections(this.deps.db, sizing, buyerId);
    const rec = recommendSize({ body, product: { ...sizing, chart }, corrections, buyerId });
    const sizes = inSizeOrder(rec.sizes, product.sizes);
    const decision = decideSize(sizes, body.fitPreference);
    const recommendedSize =
      decision.code === 'between' ? decision.pick : decision.code === 'none' ? null : decision.size;
    const confidence = sizes.find((s) => s.size === recommendedSize)?.pFit ?? 0;
    const avatar = buildAvatar({
      heightCm,
      body: Object.fromEntries(Object.entries(body.estimates).map(([z, e]) => [z, e?.cm])),
      sizes: sizes.map((s) => ({
        size: s.size,
        row: chart[s.size] ?? {},
        lengthCm: product.sizeChart?.[s.size]?.length,
        levels: Object.fromEntries(s.reasons.map((r) => [r.zone, r.level])) as Partial<
          Record<GarmentZone, FitLevel>
        >,
      })),
    });
    const now = this.deps.clock.now();
    if (buyerId) {
      // The log feeds metrics, not money: it need not wait for the WAL flush (a crash may lose the
      // last few rows, never a committed order), which keeps recommendations cheap under load.
      await this.deps.db.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit = off`.execute(trx);
        if (profileId) await this.profiles.markUsed(trx, buyerId, profileId, now);
        await sql`
          insert into size_recommendations (account_id, product_id, profile_id, recommended_size, confidence, chart_source, body, created_at)
          values (${buyerId}, ${input.productId}, ${profileId}, ${recommendedSize}, ${confidence},
                  ${chartSource}, ${JSON.stringify(body)}::jsonb, ${now})`.execute(trx);
      });
    } else {
      await this.tally.add(now);
    }
    return {
      productId: input.productId,
      profileId,
      recommendedSize,
      confidence,
      decision,
      bodyCheck: implausibleAnswers(answers),
      chartSource,
      reasons: sizes.find((s) => s.size === recommendedSize)?.reasons ?? [],
      sizes,
      body: body.estimates,
      notes,
      avatar,
    };
  }

  // ---- learning from outcomes ----

  /** The body to learn from: the one of the buyer's last recommendation for the product, else their profile. */
  private async outcomeBody(accountId: string, productId: string): Promise<BodyForFit> {
    const last = await sql<{ body: BodyForFit }>`
      select body from size_recommendations where account_id = ${accountId} and product_id = ${productId}
      order by created_at desc, id desc limit 1`.execute(this.deps.db);
    if (last.rows[0]) return last.rows[0].body;
    return (await this.profiles.defaultBody(this.deps.db, accountId)) ?? { estimates: {} };
  }

  /**
   * Reads everything a fit outcome of a buyer's order line needs (before any transaction):
   * the order must be the buyer's (else 404) and delivered or completed (else 409).
   */
  async prepareOutcome(
    actor: Actor,
    orderId: string,
    skuId: string,
    fit: FitOutcome,
  ): Promise<PreparedOutcome> {
    if (actor.role !== 'buyer') throw forbidden('This needs a buyer account');
    const { order } = await this.deps.orders.getForBuyer(actor, orderId);
    if (!DELIVERED.has(order.status)) {
      throw conflict('not_delivered', 'Fit can be told once the order has been delivered', {
        status: order.status,
      });
    }
    const line = order.lines.find((l) => l.skuId === skuId);
    if (!line) throw notFound('Order line');
    let sizing: ProductSizing = { productId: line.productId };
    try {
      const p = await this.deps.catalog.sizingFacts(line.productId);
      const own = usableChart(p);
      sizing = {
        productId: p.id,
        brand: p.brand || undefined,
        category: p.categoryId,
        fitType: p.fitType ?? undefined,
        chart: own && Object.keys(own).length > 0 ? own : undefined,
      };
    } catch (err) {
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
    return {
      accountId: actor.accountId,
      orderId,
      skuId,
      productId: line.productId,
      storeId: order.storeId,
      size: line.size,
      fit,
      sizing,
      body: await this.outcomeBody(actor.accountId, line.productId),
    };
  }

  /**
   * Writes a fit outcome inside the caller's transaction and steps the stored corrections with it.
   * Returns false (nothing written) when the order line already has an outcome.
   */
  async recordOutcome(trx: Db, o: PreparedOutcome, source: 'feedback' | 'aftersale'): Promise<boolean> {
    const now = this.deps.clock.now();
    const inserted = await sql<{ id: string }>`
      insert into size_fit_outcomes (id, account_id, order_id, sku_id, product_id, store_id, size, fit, source, body, created_at)
      values (${newId()}, ${o.accountId}, ${o.orderId}, ${o.skuId}, ${o.productId}, ${o.storeId}, ${o.size}, ${o.fit},
              ${source}, ${JSON.stringify(o.body)}::jsonb, ${now})
      on conflict (order_id, sku_id) where order_id is not null do nothing returning id`.execute(trx);
    if (inserted.rows.length === 0) return false;
    await applyOutcome(
      trx,
      { body: o.body, product: o.sizing, size: o.size, fit: o.fit, buyerId: o.accountId },
      now,
    );
    return true;
  }

  /** How the lines of one of the buyer's orders fit, as told (feedback or a size after-sale). */
  async orderFitFeedback(actor: Actor, orderId: string): Promise<OrderFit> {
    await this.deps.orders.getForBuyer(actor, orderId); // 404 unless it is this buyer's order
    // Only outcomes of order lines: imported ones have no order.
    const rows = await sql<OrderFit['items'][number]>`
      select sku_id as "skuId", size, fit, source, created_at as "createdAt"
      from size_fit_outcomes where order_id = ${orderId} and account_id = ${actor.accountId}
      order by created_at`.execute(this.deps.db);
    return { items: rows.rows };
  }

  /** Fit feedback after delivery: once per order line (409 `feedback_exists`). */
  async fitFeedback(
    actor: Actor,
    orderId: string,
    skuId: string,
    fit: FitOutcome,
  ): Promise<FitFeedbackAnswer> {
    const prepared = await this.prepareOutcome(actor, orderId, skuId, fit);
    const written = await this.deps.db
      .transaction()
      .execute((trx) => this.recordOutcome(trx, prepared, 'feedback'));
    if (!written) throw conflict('feedback_exists', 'How this item fit has already been told');
    return {
      feedback: {
        orderId,
        skuId,
        productId: prepared.productId,
        size: prepared.size,
        fit,
        createdAt: this.deps.clock.now(),
      },
    };
  }

  /**
   * For after-sale, inside its transaction: an order line returned for a size reason. Counted as a size
   * refund, and learned from as a fit outcome unless the line already has one.
   */
  async recordSizeRefund(
    trx: Db,
    o: PreparedOutcome,
    reason: 'size_too_small' | 'size_too_large',
  ): Promise<void> {
    await sql`
      insert into size_refund_lines (order_id, sku_id, product_id, store_id, account_id, reason, created_at)
      values (${o.orderId}, ${o.skuId}, ${o.productId}, ${o.storeId}, ${o.accountId}, ${reason}, ${this.deps.clock.now()})
      on conflict (order_id, sku_id) do nothing`.execute(trx);
    await this.recordOutcome(trx, o, 'aftersale');
  }

  /**
   * Subscriber to `aftersale.requested`: a line returned for a size reason is counted as a size
   * refund and learned from as a fit outcome (once per order line, so a redelivery changes nothing).
   */
  subscribers(): AnySubscriber[] {
    return [
      subscriber('sizing.learn-from-aftersale', 'aftersale.requested', async (e) => {
        const fit = SIZE_FIT[e.reason as keyof typeof SIZE_FIT];
        if (!fit) return;
        const buyer: Actor = { accountId: e.buyerId, role: 'buyer', phone: '', storeId: null };
        const prepared = await this.prepareOutcome(buyer, e.orderId, e.skuId, fit);
        await this.deps.db
          .transaction()
          .execute((trx) => this.recordSizeRefund(trx, prepared, e.reason as keyof typeof SIZE_FIT));
      }),
      // The review's fit answer is the line's fit feedback: the size assistant asks its question there.
      // The order may have changed before the event runs (refunded in full, so no longer delivered): a
      // 404/409 then would fail on every retry, so the outcome is skipped (the fit stays on the review).
      subscriber('sizing.learn-from-review', 'review.created', async (e) => {
        if (!e.fit) return;
        const buyer: Actor = { accountId: e.buyerId, role: 'buyer', phone: '', storeId: null };
        let prepared: PreparedOutcome;
        try {
          prepared = await this.prepareOutcome(buyer, e.orderId, e.skuId, e.fit);
        } catch (err) {
          if (err instanceof AppError && (err.status === 404 || err.status === 409)) return;
          throw err;
        }
        await this.deps.db.transaction().execute((trx) => this.recordOutcome(trx, prepared, 'feedback'));
      }),
    ];
  }

  /**
   * Imported fit feedback (demo data, a merchant's history): no order line, learned from all the same.
   */
  async importOutcome(
    input: Omit<PreparedOutcome, 'orderId' | 'skuId' | 'accountId'> & { accountId?: string; at?: Date },
  ): Promise<void> {
    const at = input.at ?? this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await sql`
        insert into size_fit_outcomes (id, account_id, product_id, store_id, size, fit, source, body, created_at)
        values (${newId()}, ${input.accountId ?? null}, ${input.productId}, ${input.storeId}, ${input.size}, ${input.fit},
                'import', ${JSON.stringify(input.body)}::jsonb, ${at})`.execute(trx);
      await applyOutcome(
        trx,
        {
          body: input.body,
          product: input.sizing,
          size: input.size,
          fit: input.fit,
          buyerId: input.accountId,
        },
        at,
      );
    });
  }

  // ---- reports ----

  async merchantInsights(actor: Actor): Promise<SizeInsights> {
    if (actor.role !== 'merchant' || !actor.storeId) throw forbidden('This needs a merchant with a store');
    const { catalog, orders } = this.deps;
    return storeSizeInsights(
      this.deps.db,
      {
        storeApparelProducts: (storeId, limit) => catalog.storeApparelProducts(storeId, limit),
        purchasedLineCounts: (productIds) => orders.purchasedLineCounts(productIds),
      },
      actor.storeId,
    );
  }

  async opsMetrics(actor: Actor, days: number): Promise<SizeMetrics> {
    if (actor.role !== 'operator') throw forbidden('This needs an operator account');
    await this.tally.flush(); // this server's uncounted anonymous calls; others flush every minute
    const { catalog, orders } = this.deps;
    return sizeMetrics(
      this.deps.db,
      {
        apparelProductIds: (productIds) => catalog.apparelProductIds(productIds),
        purchasedLines: (from, to) => orders.purchasedLines(from, to),
      },
      this.deps.clock.now(),
      days,
    );
  }
}
