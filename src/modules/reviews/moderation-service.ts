import type { Kysely } from 'kysely';
import { type Actor, assertMerchant, assertOperator } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import { maskPhone } from '../identity/index.ts';
import { contactFlags } from './contact-detection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type {
  MerchantReviewView,
  ModeratedReviewView,
  ModerationList,
  ModerationQuery,
  ReportInput,
  StoreReviewList,
  StoreReviewsQuery,
} from './moderation-schema.ts';
import { publicView } from './service.ts';
import { countReview } from './stats.ts';
import type { ReviewRow, ReviewsDb, ReviewsTables } from './tables.ts';

export interface ReviewModerationDeps {
  db: ReviewsDb;
  clock: Clock;
  identity: Pick<IdentityService, 'accountPhones'>;
  /** Store names by id (merchants' `storeSummaries`). */
  storeNames: (storeIds: string[]) => Promise<Map<string, { name: string }>>;
  /** Titles of order lines as bought, keyed `orderId:skuId` (orders' `orderLineTitles`). */
  lineTitles: (orderIds: string[]) => Promise<Map<string, { title: string }>>;
}

/** Migration 205: when an operator last decided on a review, and who. */
type ModeratedRow = ReviewRow & { moderated_at: Date | null; moderated_by: string | null };
type Db = Kysely<Omit<ReviewsTables, 'reviews'> & { reviews: ModeratedRow }>;
type ReportRow = ReviewsTables['review_reports'];

/** Written reviews rated at or below this are "low" in the merchant's counts. */
const LOW_RATING = 2;

/**
 * The merchant's reply and reports, and the operators' moderation queue. A merchant sees and answers its
 * own store's reviews only (another store's review is 404), and can neither edit nor delete one. Hiding
 * and restoring move the review out of and back into every aggregate in the same transaction, under the
 * review's row lock, so two operators deciding at once count it once.
 */
export class ReviewModerationService {
  constructor(readonly deps: ReviewModerationDeps) {}

  private get db(): Db {
    return this.deps.db as unknown as Db;
  }

  /** The store's reviews, newest first, hidden ones included, with the console's counts. */
  async listStoreReviews(actor: Actor, q: StoreReviewsQuery): Promise<StoreReviewList> {
    const storeId = assertMerchant(actor);
    const after = cursorAfter(q.cursor);
    let query = this.db.selectFrom('reviews').selectAll().where('store_id', '=', storeId);
    if (q.rating !== undefined) query = query.where('rating', '=', q.rating);
    if (q.productId !== undefined) query = query.where('product_id', '=', q.productId);
    if (q.replied === true) query = query.where('reply_body', 'is not', null);
    if (q.replied === false) query = query.where('reply_body', 'is', null).where('is_default', '=', false);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.at),
          eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const counts = await this.db
      .selectFrom('reviews')
      .select((eb) => [
        eb.fn.countAll<string>().as('all'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) => w.and([w('reply_body', 'is', null), w('is_default', '=', false)]))
          .as('unreplied'),
        eb.fn.countAll<string>().filterWhere('rating', '<=', LOW_RATING).as('lowRating'),
      ])
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    const last = page[page.length - 1];
    return {
      items: (await this.views(page)).map(merchantPart),
      nextCursor: rows.length > q.limit && last ? cursorOf(last.created_at, last.id) : null,
      counts: {
        all: Number(counts.all),
        unreplied: Number(counts.unreplied),
        lowRating: Number(counts.lowRating),
      },
    };
  }

  /** The store's one public reply. Contact details or links in it send the review to the queue. */
  async replyToReview(actor: Actor, reviewId: string, body: string): Promise<MerchantReviewView> {
    const storeId = assertMerchant(actor);
    const flags = contactFlags(body);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lockOwn(trx, storeId, reviewId);
      if (current.reply_body !== null) throw conflict('reply_exists', 'This review already has a reply');
      return trx
        .updateTable('reviews')
        .set({
          reply_body: body,
          replied_at: now,
          replied_by: actor.accountId,
          ...(flags.length > 0
            ? { flags: [...new Set([...current.flags, ...flags])], moderation: 'pending' as const }
            : {}),
        })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return merchantPart(await this.view(row));
  }

  /** The store reports an abusive review, once: it goes to the operators' queue. */
  async reportReview(actor: Actor, reviewId: string, input: ReportInput): Promise<MerchantReviewView> {
    const storeId = assertMerchant(actor);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lockOwn(trx, storeId, reviewId);
      if (current.status === 'hidden') throw conflict('already_hidden', 'This review is already hidden');
      const inserted = await trx
        .insertInto('review_reports')
        .values({
          review_id: reviewId,
          store_id: storeId,
          reported_by: actor.accountId,
          reason: input.reason,
          note: input.note,
          created_at: now,
        })
        .onConflict((oc) => oc.column('review_id').doNothing())
        .returning('review_id')
        .executeTakeFirst();
      if (!inserted) throw conflict('already_reported', 'This review was already reported');
      return trx
        .updateTable('reviews')
        .set({ moderation: 'pending' })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return merchantPart(await this.view(row));
  }

  /** The operators' queue: pending (flagged or reported, oldest first) or resolved (latest first). */
  async listModeration(actor: Actor, q: ModerationQuery): Promise<ModerationList> {
    assertOperator(actor);
    const after = cursorAfter(q.cursor);
    let query = this.db.selectFrom('reviews').selectAll().where('moderation', '=', q.state);
    if (q.state === 'pending') {
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '>', after.at),
            eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)]),
          ]),
        );
      }
      query = query.orderBy('created_at', 'asc').orderBy('id', 'asc');
    } else {
      // Every resolved review has moderated_at: only this service resolves, and it always sets it.
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('moderated_at', '<', after.at),
            eb.and([eb('moderated_at', '=', after.at), eb('id', '<', after.id)]),
          ]),
        );
      }
      query = query.orderBy('moderated_at', 'desc').orderBy('id', 'desc');
    }
    const rows = await query.limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const pending = await this.db
      .selectFrom('reviews')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('moderation', '=', 'pending')
      .executeTakeFirstOrThrow();
    const last = page[page.length - 1];
    const key = last ? (q.state === 'pending' ? last.created_at : last.moderated_at) : null;
    return {
      items: await this.views(page),
      nextCursor: rows.length > q.limit && last && key ? cursorOf(key, last.id) : null,
      pendingCount: Number(pending.n),
    };
  }

  /** Hides a review with a reason the buyer sees: out of every aggregate, its report resolved. */
  async hideReview(actor: Actor, reviewId: string, reason: string): Promise<ModeratedReviewView> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, reviewId);
      if (current.status === 'hidden') throw conflict('already_hidden', 'This review is already hidden');
      const hidden = await trx
        .updateTable('reviews')
        .set({
          status: 'hidden',
          hidden_reason: reason,
          hidden_at: now,
          hidden_by: actor.accountId,
          moderation: 'resolved',
          moderated_at: now,
          moderated_by: actor.accountId,
        })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await countReview(trx as unknown as ReviewsDb, current, -1);
      await this.resolveReport(trx, reviewId, 'hidden', actor.accountId, now);
      return hidden;
    });
    return this.view(row);
  }

  /** Nothing wrong after all: the review stays as it is, its report is dismissed, the queue is done with it. */
  async dismissReviewFlags(actor: Actor, reviewId: string): Promise<ModeratedReviewView> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, reviewId);
      if (current.moderation !== 'pending')
        throw conflict('not_pending', 'Nothing is pending on this review');
      const done = await trx
        .updateTable('reviews')
        .set({ moderation: 'resolved', moderated_at: now, moderated_by: actor.accountId })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.resolveReport(trx, reviewId, 'dismissed', actor.accountId, now);
      return done;
    });
    return this.view(row);
  }

  /**
   * Removes the store's reply from view (contact details, links, abuse) without touching the review: its
   * status, its aggregates and a report on the buyer's text stay as they are. The reply's text is kept;
   * the store cannot reply again. The review leaves the queue unless something else is still waiting: an
   * unresolved report, or flagged text of the buyer's written after the last decision.
   */
  async removeReviewReply(actor: Actor, reviewId: string, reason: string): Promise<ModeratedReviewView> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, reviewId);
      if (current.reply_body === null || current.reply_removed_at !== null)
        throw conflict('no_reply', 'This review has no reply to remove');
      const openReport = await trx
        .selectFrom('review_reports')
        .select('review_id')
        .where('review_id', '=', reviewId)
        .where('resolution', 'is', null)
        .executeTakeFirst();
      const stillPending =
        current.moderation === 'pending' && (openReport !== undefined || buyerTextUndecided(current));
      return trx
        .updateTable('reviews')
        .set({
          reply_removed_reason: reason,
          reply_removed_at: now,
          ...(stillPending
            ? {}
            : { moderation: 'resolved' as const, moderated_at: now, moderated_by: actor.accountId }),
        })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return this.view(row);
  }

  /** Shows a hidden review again and counts it again. */
  async restoreReview(actor: Actor, reviewId: string): Promise<ModeratedReviewView> {
    assertOperator(actor);
    const now = this.deps.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lock(trx, reviewId);
      if (current.status !== 'hidden') throw conflict('not_hidden', 'This review is not hidden');
      // Something queued after the review was hidden (a flagged follow-up, say) was not looked at by
      // restoring it: the review stays pending, and its last decision (moderated_at) stays the hide's.
      const decided =
        current.moderation === 'pending'
          ? {}
          : { moderation: 'resolved' as const, moderated_at: now, moderated_by: actor.accountId };
      const restored = await trx
        .updateTable('reviews')
        .set({
          status: 'visible',
          hidden_reason: null,
          hidden_at: null,
          hidden_by: null,
          ...decided,
        })
        .where('id', '=', reviewId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await countReview(trx as unknown as ReviewsDb, restored, 1);
      return restored;
    });
    return this.view(row);
  }

  private async lock(trx: Db, reviewId: string): Promise<ModeratedRow> {
    const row = await trx
      .selectFrom('reviews')
      .selectAll()
      .where('id', '=', reviewId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Review');
    return row;
  }

  /** The review under its lock, when it is this store's (another store's is "not found", not "forbidden"). */
  private async lockOwn(trx: Db, storeId: string, reviewId: string): Promise<ModeratedRow> {
    const row = await this.lock(trx, reviewId);
    if (row.store_id !== storeId) throw notFound('Review');
    return row;
  }

  private async resolveReport(
    trx: Db,
    reviewId: string,
    resolution: 'hidden' | 'dismissed',
    by: string,
    at: Date,
  ): Promise<void> {
    await trx
      .updateTable('review_reports')
      .set({ resolution, resolved_at: at, resolved_by: by })
      .where('review_id', '=', reviewId)
      .where('resolution', 'is', null)
      .execute();
  }

  private async view(row: ModeratedRow): Promise<ModeratedReviewView> {
    const [v] = await this.views([row]);
    if (!v) throw new AppError(500, 'internal', 'Review view missing');
    return v;
  }

  /** The operators' view of rows (merchants get `merchantPart` of it): five queries for any page. */
  private async views(rows: ModeratedRow[]): Promise<ModeratedReviewView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [reports, phones, stores, titles] = await Promise.all([
      this.db.selectFrom('review_reports').selectAll().where('review_id', 'in', ids).execute(),
      this.deps.identity.accountPhones(rows.map((r) => r.buyer_id)),
      this.deps.storeNames(rows.map((r) => r.store_id)),
      this.deps.lineTitles(rows.map((r) => r.order_id)),
    ]);
    const reportOf = new Map<string, ReportRow>(reports.map((r) => [r.review_id, r]));
    const names = new Map([...phones].map(([id, phone]) => [id, maskPhone(phone)]));
    return rows.map((r) => {
      const phone = phones.get(r.buyer_id) ?? '';
      const report = reportOf.get(r.id);
      return {
        ...publicView(r, names),
        orderId: r.order_id,
        skuId: r.sku_id,
        productTitle: titles.get(`${r.order_id}:${r.sku_id}`)?.title ?? '',
        status: r.status,
        hiddenReason: r.status === 'hidden' ? r.hidden_reason : null,
        flags: r.flags,
        moderation: r.moderation,
        report: report
          ? {
              reason: report.reason,
              note: report.note,
              createdAt: report.created_at.toISOString(),
              resolution: report.resolution,
            }
          : null,
        replyRemoved:
          r.reply_removed_at && r.reply_removed_reason !== null
            ? { reason: r.reply_removed_reason, removedAt: r.reply_removed_at.toISOString() }
            : null,
        storeId: r.store_id,
        storeName: stores.get(r.store_id)?.name ?? '',
        buyerPhone: phone,
        removedReplyBody: r.reply_removed_at ? r.reply_body : null,
        hiddenAt: r.hidden_at?.toISOString() ?? null,
        moderatedAt: r.moderated_at?.toISOString() ?? null,
      };
    });
  }
}

/** What a merchant sees of the operators' view: not the buyer's phone, nor who or when decided. */
function merchantPart(v: ModeratedReviewView): MerchantReviewView {
  const {
    storeId: _s,
    storeName: _n,
    buyerPhone: _p,
    removedReplyBody: _r,
    hiddenAt: _h,
    moderatedAt: _m,
    ...rest
  } = v;
  return rest;
}

/**
 * Whether the buyer's own text (the review, its follow-up) has links or contact details no operator has
 * decided on yet: written after the last decision or at its very instant (when in doubt, it waits).
 */
function buyerTextUndecided(r: ModeratedRow): boolean {
  const decidedAt = r.moderated_at?.getTime() ?? Number.NEGATIVE_INFINITY;
  const body = !r.is_default && contactFlags(r.body).length > 0 && r.created_at.getTime() >= decidedAt;
  const followUp =
    r.follow_up_body !== null &&
    r.follow_up_at !== null &&
    contactFlags(r.follow_up_body).length > 0 &&
    r.follow_up_at.getTime() >= decidedAt;
  return body || followUp;
}

/** The list's keyset cursor (the buyer side's format): the last item's sort time and id. */
function cursorAfter(cursor: string | undefined): { at: Date; id: string } | null {
  const c = decodeCursor(cursor);
  return c ? { at: new Date(c.t), id: c.id } : null;
}

function cursorOf(at: Date, id: string): string {
  return encodeCursor({ g: 0, t: at.toISOString(), id });
}
