import { Button, ProgressBar, Rate, Skeleton } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.ts';
import { type AsyncState, useAsync } from '../../shared/hooks.ts';
import { ReviewCard } from './ReviewCard.tsx';
import {
  type ProductReviewQuery,
  type ProductReviewSummary,
  type PublicReview,
  reviewsApi,
} from './review-api.ts';

const STARS = [5, 4, 3, 2, 1] as const;

/** The product's review summary, fetched once for the page (the title's rating line and the reviews block). */
export function useProductReviewSummary(productId: string) {
  return useAsync((signal) => reviewsApi.productSummary(productId, signal), [productId]);
}

/** Under the title: "★ 4.8 · 128 条评价", a tap scrolls to the reviews. */
export function RatingLine({ summary }: { summary: ProductReviewSummary | undefined }) {
  const { t } = useTranslation();
  if (!summary || summary.count === 0 || summary.average === null) return null;
  return (
    <button
      type="button"
      className="b-link-plain rv-rating-line"
      onClick={() => document.getElementById('product-reviews')?.scrollIntoView({ behavior: 'smooth' })}
      data-testid="product-rating-line"
    >
      <Rate readOnly allowHalf value={Math.round(summary.average * 2) / 2} className="rv-stars-xs" />
      <b>{summary.average.toFixed(1)}</b>
      <span className="b-muted-sm">{t('reviewsBuyer.countReviews', { n: summary.count })} ›</span>
    </button>
  );
}

/** The reviews block of the product page: summary, filters, the first page, more on request. */
export function ProductReviews({
  productId,
  summary,
}: {
  productId: string;
  summary: AsyncState<ProductReviewSummary>;
}) {
  const { t } = useTranslation();
  const s = summary.data;
  return (
    <section className="b-block" id="product-reviews" data-testid="product-reviews">
      <div className="b-block-title">
        {t('reviewsBuyer.summaryTitle')}
        {s && s.count > 0 && <span className="b-muted-sm"> ({s.count})</span>}
      </div>
      {summary.loading && !s ? (
        <div data-testid="reviews-loading">
          <Skeleton.Paragraph lineCount={3} animated />
        </div>
      ) : summary.error && !s ? (
        <div className="rv-error">
          {errorMessage(summary.error)}{' '}
          <Button size="mini" fill="none" color="primary" onClick={summary.reload}>
            {t('common.retry')}
          </Button>
        </div>
      ) : s && s.count === 0 ? (
        <div className="rv-empty" data-testid="reviews-empty">
          {t('reviewsBuyer.noReviews')}
        </div>
      ) : s ? (
        <>
          <SummaryView summary={s} />
          <ReviewList productId={productId} summary={s} />
        </>
      ) : null}
    </section>
  );
}

function SummaryView({ summary: s }: { summary: ProductReviewSummary }) {
  const { t } = useTranslation();
  const counts = s.ratingCounts as Record<string, number>;
  const positive =
    s.count > 0 ? Math.round((((counts['4'] ?? 0) + (counts['5'] ?? 0)) / s.count) * 100) : null;
  const fitAnswers = s.fit.small + s.fit.trueToSize + s.fit.large;
  return (
    <div
      className="rv-summary"
      data-testid="review-summary"
      data-count={s.count}
      data-average={s.average ?? ''}
    >
      <div className="rv-summary-top">
        <div className="rv-average">
          <div className="rv-average-num" data-testid="review-average">
            {s.average?.toFixed(1) ?? '—'}
          </div>
          <Rate readOnly allowHalf value={Math.round((s.average ?? 0) * 2) / 2} className="rv-stars-xs" />
          {positive !== null && (
            <div className="b-muted-sm">{t('reviewsBuyer.positiveRate', { rate: positive })}</div>
          )}
        </div>
        <div className="rv-dist" data-testid="review-distribution">
          {STARS.map((n) => (
            <div key={n} className="rv-dist-row">
              <span className="rv-dist-label">{t('reviewsBuyer.stars', { n })}</span>
              <ProgressBar
                percent={s.count ? ((counts[String(n)] ?? 0) / s.count) * 100 : 0}
                className="rv-dist-bar"
              />
              <span className="rv-dist-count">{counts[String(n)] ?? 0}</span>
            </div>
          ))}
        </div>
      </div>
      {fitAnswers > 0 && (
        <div className="rv-fit-summary" data-testid="review-fit-summary" data-verdict={s.fit.verdict ?? ''}>
          {s.fit.verdict && <b>{t(`reviewsBuyer.verdict.${s.fit.verdict}`)}</b>}
          <span className="b-muted-sm">
            {t('reviewsBuyer.fitCounts', { small: s.fit.small, fit: s.fit.trueToSize, large: s.fit.large })}
          </span>
        </div>
      )}
      {s.tags.length > 0 && (
        <div className="rv-chips" data-testid="review-tag-counts">
          {s.tags.map((tag) => (
            <span key={tag.tag} className="rv-tag-count" data-tag={tag.tag}>
              {t(`reviewsBuyer.tags.${tag.tag}`)} {tag.count}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

function ReviewList({ productId, summary: s }: { productId: string; summary: ProductReviewSummary }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<ProductReviewQuery>({});
  const [items, setItems] = useState<PublicReview[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const gen = useRef(0);
  const counts = s.ratingCounts as Record<string, number>;

  const load = async (q: ProductReviewQuery, cursor: string | undefined) => {
    const my = ++gen.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await reviewsApi.productReviews(productId, q, cursor);
      if (my !== gen.current) return;
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      if (my === gen.current) setError(e);
    } finally {
      if (my === gen.current) setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from its first page
  useEffect(() => {
    setItems([]);
    setNext(null);
    void load(query, undefined);
  }, [productId, query]);

  const chip = (key: string, label: string, on: boolean, pick: () => void, testId: string) => (
    <button
      key={key}
      type="button"
      className={`rv-chip${on ? ' rv-chip-on' : ''}`}
      aria-pressed={on}
      onClick={pick}
      data-testid={testId}
      data-value={key}
    >
      {label}
    </button>
  );
  const none = !query.withPhotos && !query.rating && !query.size;
  return (
    <div className="rv-list" data-testid="review-list">
      <div className="rv-chips rv-filters" data-testid="review-filters">
        {chip(
          'all',
          `${t('reviewsBuyer.filterAll')} ${s.count}`,
          none,
          () => setQuery({}),
          'review-filter-all',
        )}
        {s.withPhotos > 0 &&
          chip(
            'photos',
            `${t('reviewsBuyer.filterPhotos')} ${s.withPhotos}`,
            !!query.withPhotos,
            () => setQuery((q) => ({ ...q, withPhotos: !q.withPhotos || undefined })),
            'review-filter-photos',
          )}
        {STARS.filter((n) => (counts[String(n)] ?? 0) > 0).map((n) =>
          chip(
            String(n),
            `${t('reviewsBuyer.stars', { n })} ${counts[String(n)]}`,
            query.rating === n,
            () => setQuery((q) => ({ ...q, rating: q.rating === n ? undefined : n })),
            'review-filter-rating',
          ),
        )}
      </div>
      {s.sizes.length > 1 && (
        <div className="rv-chips rv-filters" data-testid="review-size-filters">
          <span className="b-muted-sm">{t('reviewsBuyer.filterSize')}</span>
          {s.sizes.map((z) =>
            chip(
              z.size,
              `${z.size} ${z.count}`,
              query.size === z.size,
              () => setQuery((q) => ({ ...q, size: q.size === z.size ? undefined : z.size })),
              'review-filter-size',
            ),
          )}
        </div>
      )}
      {items.map((r) => (
        <ReviewCard key={r.id} review={r} />
      ))}
      {loading && (
        <div data-testid="reviews-loading">
          <Skeleton.Paragraph lineCount={3} animated />
        </div>
      )}
      {!loading && !error && items.length === 0 && (
        <div className="rv-empty" data-testid="reviews-empty">
          {t('reviewsBuyer.noMatch')}
        </div>
      )}
      {error !== undefined && (
        <div className="rv-error">
          {errorMessage(error)}{' '}
          <Button size="mini" fill="none" color="primary" onClick={() => void load(query, next ?? undefined)}>
            {t('common.retry')}
          </Button>
        </div>
      )}
      {next && !loading && !error && (
        <Button
          block
          fill="none"
          color="primary"
          onClick={() => void load(query, next)}
          data-testid="reviews-more"
        >
          {t('reviewsBuyer.loadMore')}
        </Button>
      )}
    </div>
  );
}
