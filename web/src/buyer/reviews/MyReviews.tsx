import { Button, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';
import { FollowUpButton } from './FollowUp.tsx';
import { ReviewCard } from './ReviewCard.tsx';
import { type MyReview, reviewsApi } from './review-api.ts';

/** /me/reviews — the buyer's reviews, newest first: status, the operator's reason when hidden, follow-up. */
export function MyReviewsPage() {
  const { t } = useTranslation();
  const first = useAsync((signal) => reviewsApi.mine(undefined, signal), []);
  const [more, setMore] = useState<MyReview[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>();
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<string>();
  const [edited, setEdited] = useState<Record<string, MyReview>>({});
  const next = cursor === undefined ? (first.data?.nextCursor ?? null) : cursor;
  const items = [...(first.data?.items ?? []), ...more].map((r) => edited[r.id] ?? r);

  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await reviewsApi.mine(next);
      setMore((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setMoreError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title={t('reviewsBuyer.myReviews')} testId="my-reviews-page">
      {first.loading && !first.data ? (
        <Loading rows={6} />
      ) : first.error ? (
        <ErrorView error={first.error} onRetry={first.reload} />
      ) : items.length === 0 ? (
        <EmptyView text={t('reviewsBuyer.myReviewsEmpty')} />
      ) : (
        <div data-testid="my-reviews">
          {items.map((r) => (
            <MyReviewItem key={r.id} review={r} onChange={(u) => setEdited((e) => ({ ...e, [u.id]: u }))} />
          ))}
          <div className="b-center-muted">
            {next ? (
              <Button
                size="small"
                shape="rounded"
                loading={busy}
                onClick={() => void loadMore()}
                data-testid="my-reviews-more"
              >
                {t('common.more')}
              </Button>
            ) : (
              <span className="b-muted-sm">{t('common.noMore')}</span>
            )}
            {moreError && <div className="rv-error">{moreError}</div>}
          </div>
        </div>
      )}
    </Screen>
  );
}

function MyReviewItem({ review, onChange }: { review: MyReview; onChange: (r: MyReview) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section
      className="b-block rv-mine"
      data-testid="my-review"
      data-status={review.status}
      data-review-id={review.id}
    >
      <div className="rv-mine-head">
        <button
          type="button"
          className="b-link-plain rv-mine-title"
          onClick={() => navigate(`/product/${review.productId}`)}
        >
          {review.productTitle} ›
        </button>
        <Tag
          color={review.status === 'visible' ? 'success' : 'default'}
          fill="outline"
          data-testid="my-review-status"
        >
          {t(`reviewsBuyer.status.${review.status}`)}
        </Tag>
      </div>
      {review.status === 'hidden' && (
        <div className="rv-hidden-box" data-testid="my-review-hidden-reason">
          {t('reviewsBuyer.hiddenExplained')}
          {review.hiddenReason && (
            <div>{t('reviewsBuyer.hiddenReason', { reason: review.hiddenReason })}</div>
          )}
        </div>
      )}
      <ReviewCard review={review} />
      <div className="rv-line-actions">
        <FollowUpButton review={review} onDone={onChange} />
        <button
          type="button"
          className="b-link-plain b-muted-sm"
          onClick={() => navigate(`/orders/${review.orderId}`)}
        >
          {t('reviewsBuyer.viewOrder')} ›
        </button>
      </div>
    </section>
  );
}
