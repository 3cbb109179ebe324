import { Button, Rate } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Order } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import { FollowUpButton } from './FollowUp.tsx';
import { type OrderReviewLine, reviewsApi } from './review-api.ts';

const REVIEWABLE_STATES = new Set(['delivered', 'completed', 'refunded']);

/** The order's lines as the reviews module sees them (reviewable, fit told, the review), once delivered. */
export function useOrderReviews(order: Order) {
  const after = REVIEWABLE_STATES.has(order.status);
  const state = useAsync(
    async (signal) => (after ? await reviewsApi.orderLines(order.id, signal) : ([] as OrderReviewLine[])),
    [order.id, order.status],
  );
  const lines = new Map((state.data ?? []).map((l) => [l.skuId, l]));
  return {
    ...state,
    lines,
    /** Whether the review form asks this line's fit question (so the size assistant's own prompt stays away). */
    covers: (skuId: string) => {
      const l = lines.get(skuId);
      return !!l && (l.reviewable || l.review !== null);
    },
    /** Loaded (or failed): the page may decide about the separate fit prompt now. */
    settled: state.data !== undefined || state.error !== undefined,
  };
}

/** The review state of a line the reviews module knows (nothing before delivery). */
export function LineReviewOf({
  orderId,
  line,
  onChange,
}: {
  orderId: string;
  line: OrderReviewLine | undefined;
  onChange: () => void;
}) {
  return line ? <LineReview orderId={orderId} line={line} onChange={onChange} /> : null;
}

/** Under a delivered order line: "评价", or the review's state (stars, hidden with its reason, follow-up). */
export function LineReview({
  orderId,
  line,
  onChange,
}: {
  orderId: string;
  line: OrderReviewLine;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const review = line.review;
  // The size assistant's answer, or the review's own while the server passes it on.
  const fit = line.fitTold ?? review?.fit ?? null;
  const told = fit && (
    <span className="rv-fit-chip" data-testid="fit-feedback-answer" data-fit={fit}>
      {t('reviewsBuyer.fitTold', { fit: t(`reviewsBuyer.fit.${fit}`) })}
    </span>
  );
  if (!review) {
    if (!line.reviewable) return told ? <div className="rv-line">{told}</div> : null;
    return (
      <div className="rv-line" data-testid="line-review" data-state="open">
        {told}
        <span className="rv-line-spacer" />
        <Button
          size="mini"
          color="primary"
          fill="outline"
          shape="rounded"
          onClick={() => navigate(`/orders/${orderId}/review/${line.skuId}`)}
          data-testid="line-review-write"
        >
          {t('reviewsBuyer.writeReview')}
        </Button>
      </div>
    );
  }
  return (
    <div className="rv-line" data-testid="line-review" data-state={review.status}>
      <div className="rv-line-state">
        {review.status === 'hidden' ? (
          <span className="rv-hidden" data-testid="line-review-hidden">
            {t('reviewsBuyer.hidden')}
            {review.hiddenReason && ` · ${t('reviewsBuyer.hiddenReason', { reason: review.hiddenReason })}`}
          </span>
        ) : (
          <>
            <span className="rv-done">
              {t(review.isDefault ? 'reviewsBuyer.defaultReview' : 'reviewsBuyer.reviewed')}
            </span>
            <Rate readOnly value={review.rating} className="rv-stars-xs" />
            {review.followUp && <span className="b-muted-sm">· {t('reviewsBuyer.followedUp')}</span>}
          </>
        )}
        {told}
      </div>
      <div className="rv-line-actions">
        <FollowUpButton review={review} onDone={onChange} />
      </div>
    </div>
  );
}
