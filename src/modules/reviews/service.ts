import { sql } from 'kysely';
import type { z } from 'zod';
import { type Actor, assertBuyer, assertOperator } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Publisher } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { hitRateLimit } from '../../platform/rate-limit.ts';
import { saveImage } from '../catalog/index.ts';
import { type IdentityService, maskPhone } from '../identity/index.ts';
import { type OrdersService, type OrderView, orderLineTitles } from '../orders/index.ts';
import type { SizingService } from '../sizing/index.ts';
import type {
  createReviewBody,
  followUpBody,
  MyReview,
  PublicReview,
  productReviewSummary,
  storeReviewSummary,
} from './api-schema.ts';
import { contactFlags } from './contact-detection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { runDefaultReviews } from './default-reviews.ts';
import { claimPhotos } from './photos.ts';
import { type ReviewPolicy, reviewPolicy, reviewPolicyFrom } from './policy.ts';
import { countReview } from './stats.ts';
import type { ReviewFit, ReviewRow, ReviewsDb } from './tables.ts';
import type { ReviewTag } from './tags.ts';

export interface ReviewsDeps {
  db: ReviewsDb;
  clock: Clock;
  events: Publisher;
  /** Where uploaded photos are stored (`<dataDir>/media`, served like product images). */
  dataDir: string;
  orders: OrdersService;
  sizing: SizingService;
  identity: IdentityService;
  /** Order lines (`orderId:skuId`) with an open after-sale request: no default review for them. */
  openAftersaleLines: (db: Db, orderIds: string[]) => Promise<Set<string>>;
}

export type CreateReviewInput = z.output<typeof createReviewBody>;
export type FollowUpInput = z.output<typeof followUpBody>;
export type ProductReviewSummary = z.infer<typeof productReviewSummary>;
export type StoreReviewSummary = z.infer<typeof storeReviewSummary>;

/** Per buyer, per hour: reviews written (and tried), follow-ups, photo uploads. */
export const REVIEW_RATE_LIMITS = { createPerHour: 20, followUpPerHour: 20, photosPerHour: 60 };

const DAY_MS = 86_400_000;
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Order states whose lines may be reviewed: delivered or completed, or refunded after it was delivered
 * (a line refunded without a return is still reviewed; the order says it arrived).
 */
export function reviewableOrder(order: Pick<OrderView, 'status' | 'deliveredAt' | 'completedAt'>): boolean {
  if (order.status === 'delivered' || order.status === 'completed') return true;
  return order.status === 'refunded' && (order.deliveredAt !== null || order.completedAt !== null);
}

/** The buyer's side of reviews (write, follow up, photos) and what product pages read. */
export class ReviewsService {
  constructor(readonly deps: ReviewsDeps) {}

  private get db(): Db {
    return this.deps.db as unknown as Db;
  }

  // ---- policy ----

  async policy(db: Db = this.db): Promise<{ policy: ReviewPolicy; updatedAt: string | null }> {
    const r = await sql<{ policy: unknown; updated_at: Date }>`
      select policy, updated_at from review_policy where id = 1`.execute(db);
    const row = r.rows[0];
    return { policy: reviewPolicyFrom(row?.policy), updatedAt: row ? iso(row.updated_at) : null };
  }

  async policyForOps(actor: Actor) {
    assertOperator(actor);
    return this.policy();
  }

  async setPolicy(actor: Actor, input: ReviewPolicy) {
    assertOperator(actor);
    const policy = reviewPolicy.parse(input);
    await sql`
      insert into review_policy (id, policy, updated_by, updated_at)
      values (1, ${JSON.stringify(policy)}::jsonb, ${actor.accountId}, ${this.deps.clock.now()})
      on conflict (id) do update set policy = excluded.policy, updated_by = excluded.updated_by,
        updated_at = excluded.updated_at`.execute(this.db);
    return this.policy();
  }

  // ---- photos ----

  /** Stores a review photo like a product image and records it as this buyer's upload. */
  async uploadPhoto(actor: Actor, dataUrl: string): Promise<{ url: string }> {
    assertBuyer(actor);
    await hitRateLimit(
      this.db,
      this.deps.clock,
      `review-photo:${actor.accountId}`,
      REVIEW_RATE_LIMITS.photosPerHour,
      3600,
      'Too many photo uploads; try again later',
    );
    const saved = await saveImage(this.deps.dataDir, dataUrl);
    await sql`
      insert into review_photo_uploads (url, buyer_id, created_at)
      values (${saved.url}, ${actor.accountId}, ${this.deps.clock.now()})`.execute(this.db);
    return { url: saved.url };
  }

  // ---- writing ----

  /**
   * A buyer reviews one line of their delivered order, once. The fit told before (size assistant)
   * wins over the one given here: one question, not two. Counted in the aggregates and published
   * (`review.created`) in the writing transaction.
   */
  async create(actor: Actor, orderId: string, input: CreateReviewInput): Promise<{ review: MyReview }> {
    assertBuyer(actor);
    await hitRateLimit(
      this.db,
      this.deps.clock,
      `review-create:${actor.accountId}`,
      REVIEW_RATE_LIMITS.createPerHour,
      3600,
      'Too many reviews; try again later',
    );
    const { order } = await this.deps.orders.getForBuyer(actor, orderId); // 404 unless mine
    const line = order.lines.find((l) => l.skuId === input.skuId);
    if (!line) throw notFound('Order line');
    if (!reviewableOrder(order)) {
      throw conflict('not_delivered', 'A review can be written once the order has been delivered', {
        status: order.status,
      });
    }
    const told = await this.toldFits(actor, orderId);
    const fit: ReviewFit | null = told.get(input.skuId) ?? input.fit ?? null;
    const flags = contactFlags(input.body);
    const now = this.deps.clock.now();
    const id = newId();
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await sql<ReviewRow>`
        insert into reviews (id, order_id, sku_id, product_id, store_id, buyer_id, size, color, rating, body,
                             tags, photos, fit, anonymous, is_default, created_at, flags, moderation)
        values (${id}, ${orderId}, ${line.skuId}, ${line.productId}, ${order.storeId}, ${actor.accountId},
                ${line.size}, ${line.color}, ${input.rating}, ${input.body}, ${input.tags}::text[],
                ${input.photos}::text[], ${fit}, ${input.anonymous}, false, ${now}, ${flags}::text[],
                ${flags.length > 0 ? 'pending' : 'none'})
        on conflict (order_id, sku_id) do nothing
        returning *`.execute(trx);
      const r = inserted.rows[0];
      if (!r) throw conflict('review_exists', 'This item has already been reviewed');
      await claimPhotos(trx, actor.accountId, id, input.photos);
      await countReview(trx as unknown as ReviewsDb, r, 1);
      await this.deps.events.publish(trx, 'review.created', {
        reviewId: id,
        orderId,
        skuId: line.skuId,
        productId: line.productId,
        storeId: order.storeId,
        buyerId: actor.accountId,
        rating: input.rating,
        // The size assistant learns fit from delivered or completed orders only (sizing's rule).
        fit: order.status === 'refunded' ? null : fit,
        isDefault: false,
      });
      return r;
    });
    const [review] = await this.myViews([row]);
    return { review: review as MyReview };
  }

  /** The buyer's one follow-up (追评), within the policy's days of the review. */
  async followUp(actor: Actor, reviewId: string, input: FollowUpInput): Promise<{ review: MyReview }> {
    assertBuyer(actor);
    await hitRateLimit(
      this.db,
      this.deps.clock,
      `review-follow-up:${actor.accountId}`,
      REVIEW_RATE_LIMITS.followUpPerHour,
      3600,
      'Too many follow-ups; try again later',
    );
    const current = await sql<ReviewRow>`
      select * from reviews where id = ${reviewId} and buyer_id = ${actor.accountId}`.execute(this.db);
    const review = current.rows[0];
    if (!review) throw notFound('Review');
    if (review.follow_up_at) throw conflict('follow_up_exists', 'This review already has its follow-up');
    const { policy } = await this.policy();
    const now = this.deps.clock.now();
    if (now.getTime() > new Date(review.created_at).getTime() + policy.followUpDays * DAY_MS) {
      throw conflict('follow_up_closed', `A follow-up can be added within ${policy.followUpDays} days`, {
        days: policy.followUpDays,
      });
    }
    const flags = contactFlags(input.body);
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await sql<ReviewRow>`
        update reviews set follow_up_body = ${input.body}, follow_up_photos = ${input.photos}::text[],
          follow_up_at = ${now},
          flags = array(select distinct f from unnest(flags || ${flags}::text[]) as f order by f),
          moderation = case when ${flags.length > 0} then 'pending' else moderation end
        where id = ${reviewId} and buyer_id = ${actor.accountId} and follow_up_at is null
        returning *`.execute(trx);
      const r = updated.rows[0];
      if (!r) throw conflict('follow_up_exists', 'This review already has its follow-up');
      await claimPhotos(trx, actor.accountId, reviewId, input.photos);
      return r;
    });
    const [view] = await this.myViews([row]);
    return { review: view as MyReview };
  }

  // ---- the buyer's reading ----

  /** The lines of one of my orders with their review (or whether one can be written now). */
  async orderReviews(actor: Actor, orderId: string) {
    assertBuyer(actor);
    const { order } = await this.deps.orders.getForBuyer(actor, orderId);
    const told = await this.toldFits(actor, orderId);
    const rows = await sql<ReviewRow>`
      select * from reviews where order_id = ${orderId} and buyer_id = ${actor.accountId}`.execute(this.db);
    const views = await this.myViews(rows.rows);
    const bySku = new Map(views.map((v) => [v.skuId, v]));
    const open = reviewableOrder(order);
    return {
      lines: order.lines.map((l) => {
        const review = bySku.get(l.skuId) ?? null;
        return {
          skuId: l.skuId,
          productId: l.productId,
          title: l.title,
          size: l.size,
          color: l.color,
          image: l.image,
          reviewable: open && review === null,
          fitTold: told.get(l.skuId) ?? null,
          review,
        };
      }),
    };
  }

  /** My reviews, newest first. */
  async myReviews(actor: Actor, q: { cursor?: string; limit: number }) {
    assertBuyer(actor);
    const after = decodeCursor(q.cursor);
    const keyset = after
      ? sql`and (created_at < ${after.t} or (created_at = ${after.t} and id < ${after.id}))`
      : sql``;
    const rows = await sql<ReviewRow>`
      select * from reviews where buyer_id = ${actor.accountId} ${keyset}
      order by created_at desc, id desc limit ${q.limit + 1}`.execute(this.db);
    const page = rows.rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: await this.myViews(page),
      nextCursor:
        rows.rows.length > q.limit && last
          ? encodeCursor({ g: 0, t: iso(last.created_at), id: last.id })
          : null,
    };
  }

  // ---- public reading ----

  /**
   * A product's visible reviews: written ones with photos first, then written ones without, then
   * default ones; newest first within each. Keyset pages (group, created_at, id).
   */
  async productReviews(
    productId: string,
    q: { withPhotos?: boolean; size?: string; rating?: number; cursor?: string; limit: number },
  ): Promise<{ items: PublicReview[]; nextCursor: string | null }> {
    const after = decodeCursor(q.cursor);
    const group = sql`(case when is_default then 2 when cardinality(photos) > 0 then 0 else 1 end)`;
    const filters = [
      q.withPhotos ? sql`and cardinality(photos) > 0` : sql``,
      q.size !== undefined ? sql`and size = ${q.size}` : sql``,
      q.rating !== undefined ? sql`and rating = ${q.rating}` : sql``,
      after
        ? sql`and (${group} > ${after.g} or (${group} = ${after.g} and (created_at < ${after.t}
              or (created_at = ${after.t} and id < ${after.id}))))`
        : sql``,
    ];
    const rows = await sql<ReviewRow & { g: number }>`
      select *, ${group} as g from reviews
      where product_id = ${productId} and status = 'visible' ${sql.join(filters, sql` `)}
      order by g, created_at desc, id desc limit ${q.limit + 1}`.execute(this.db);
    const page = rows.rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: await this.publicViews(page),
      nextCursor:
        rows.rows.length > q.limit && last
          ? encodeCursor({ g: Number(last.g), t: iso(last.created_at), id: last.id })
          : null,
    };
  }

  /** A product's rating, counts, tags, sizes and fit verdict, from the kept aggregates. Statements: three. */
  async productSummary(productId: string): Promise<ProductReviewSummary> {
    const stats = await sql<Record<string, number | string>>`
      select review_count, rating_sum::int as rating_sum, r1, r2, r3, r4, r5, with_photos, default_count,
             fit_small, fit_true, fit_large
      from review_product_stats where product_id = ${productId}`.execute(this.db);
    const tags = await sql<{ tag: ReviewTag; count: number }>`
      select tag, count from review_tag_counts where product_id = ${productId} and count > 0
      order by count desc, tag`.execute(this.db);
    const sizes = await sql<{ size: string; count: number }>`
      select size, count from review_size_counts where product_id = ${productId} and count > 0
      order by count desc, size`.execute(this.db);
    const s = stats.rows[0] ?? {};
    const n = (k: string) => Number(s[k] ?? 0);
    const count = n('review_count');
    const ratingSum = n('rating_sum');
    const fit = { small: n('fit_small'), trueToSize: n('fit_true'), large: n('fit_large') };
    return {
      productId,
      count,
      ratingSum,
      average: averageOf(ratingSum, count),
      ratingCounts: { '1': n('r1'), '2': n('r2'), '3': n('r3'), '4': n('r4'), '5': n('r5') },
      withPhotos: n('with_photos'),
      defaultCount: n('default_count'),
      tags: tags.rows.map((t) => ({ tag: t.tag, count: Number(t.count) })),
      sizes: sizes.rows.map((z) => ({ size: z.size, count: Number(z.count) })),
      fit: { ...fit, verdict: fitVerdict(fit) },
    };
  }

  /** A store's rating and share of positive (4–5 star) reviews, from the kept aggregates. */
  async storeSummary(storeId: string): Promise<StoreReviewSummary> {
    const stats = await sql<Record<string, number | string>>`
      select review_count, rating_sum::int as rating_sum, r1, r2, r3, r4, r5
      from review_store_stats where store_id = ${storeId}`.execute(this.db);
    const s = stats.rows[0] ?? {};
    const n = (k: string) => Number(s[k] ?? 0);
    const count = n('review_count');
    return {
      storeId,
      count,
      average: averageOf(n('rating_sum'), count),
      ratingCounts: { '1': n('r1'), '2': n('r2'), '3': n('r3'), '4': n('r4'), '5': n('r5') },
      positiveRate: count > 0 ? Math.round(((n('r4') + n('r5')) / count) * 1000) / 1000 : null,
    };
  }

  // ---- default reviews ----

  /**
   * Gives a default positive review to every line delivered more than the policy's days ago that has
   * none (except lines refunded in full or with an open after-sale request); returns how many were written. The `reviews.default-reviews`
   * task runs it every minute; tests call it after moving the clock.
   */
  async defaultReviewsDue(): Promise<number> {
    const { policy } = await this.policy();
    return runDefaultReviews(
      { db: this.db, events: this.deps.events, openLines: this.deps.openAftersaleLines },
      this.deps.clock.now(),
      policy.defaultReviewDays,
    );
  }

  // ---- views ----

  /** How the lines of my order fit, as told to the size assistant. */
  private async toldFits(actor: Actor, orderId: string): Promise<Map<string, ReviewFit>> {
    const told = await this.deps.sizing.orderFitFeedback(actor, orderId);
    return new Map(told.items.map((i) => [i.skuId, i.fit as ReviewFit]));
  }

  private async authorNames(rows: ReviewRow[]): Promise<Map<string, string>> {
    const phones = await this.deps.identity.accountPhones(
      rows.filter((r) => !r.anonymous).map((r) => r.buyer_id),
    );
    return new Map([...phones].map(([id, phone]) => [id, maskPhone(phone)]));
  }

  async publicViews(rows: ReviewRow[]): Promise<PublicReview[]> {
    const names = await this.authorNames(rows);
    return rows.map((r) => publicView(r, names));
  }

  async myViews(rows: ReviewRow[]): Promise<MyReview[]> {
    if (rows.length === 0) return [];
    const names = await this.authorNames(rows);
    const titles = await orderLineTitles(
      this.db,
      rows.map((r) => r.order_id),
    );
    const { policy } = await this.policy();
    const now = this.deps.clock.now().getTime();
    return rows.map((r) => {
      const until = new Date(r.created_at).getTime() + policy.followUpDays * DAY_MS;
      return {
        ...publicView(r, names),
        orderId: r.order_id,
        skuId: r.sku_id,
        productTitle: titles.get(`${r.order_id}:${r.sku_id}`)?.title ?? '',
        status: r.status,
        hiddenReason: r.status === 'hidden' ? r.hidden_reason : null,
        followUpUntil: r.follow_up_at || now > until ? null : new Date(until).toISOString(),
      };
    });
  }
}

/** A review as anyone may see it (text is data: the web escapes it wherever it is shown). */
export function publicView(r: ReviewRow, names: Map<string, string>): PublicReview {
  return {
    id: r.id,
    productId: r.product_id,
    rating: Number(r.rating),
    body: r.is_default ? '' : r.body,
    tags: r.tags as ReviewTag[],
    photos: r.photos,
    size: r.size,
    color: r.color,
    fit: r.fit,
    isDefault: r.is_default,
    author: { anonymous: r.anonymous, name: r.anonymous ? null : (names.get(r.buyer_id) ?? null) },
    createdAt: iso(r.created_at),
    followUp: r.follow_up_at
      ? { body: r.follow_up_body ?? '', photos: r.follow_up_photos, createdAt: iso(r.follow_up_at) }
      : null,
    // A reply an operator removed is not shown (its text stays in the row for the record).
    reply:
      r.replied_at && !r.reply_removed_at ? { body: r.reply_body ?? '', createdAt: iso(r.replied_at) } : null,
  };
}

/** Mean rating to one decimal; null without reviews. */
export function averageOf(ratingSum: number, count: number): number | null {
  return count > 0 ? Math.round((ratingSum / count) * 10) / 10 : null;
}

/** The fit verdict: with at least 3 answers, the answer more than half of them gave; else none. */
export function fitVerdict(fit: {
  small: number;
  trueToSize: number;
  large: number;
}): 'runs_small' | 'true_to_size' | 'runs_large' | null {
  const total = fit.small + fit.trueToSize + fit.large;
  if (total < 3) return null;
  if (fit.small * 2 > total) return 'runs_small';
  if (fit.trueToSize * 2 > total) return 'true_to_size';
  if (fit.large * 2 > total) return 'runs_large';
  return null;
}
