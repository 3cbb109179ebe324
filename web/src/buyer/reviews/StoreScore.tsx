import { Rate, Skeleton } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../shared/hooks.ts';
import { reviewsApi } from './review-api.ts';

const DIMENSIONS = ['product', 'logistics', 'service'] as const;

/** The store page's trust block: the store experience score (店铺体验分) and what its buyers rated. */
export function StoreScore({ storeId }: { storeId: string }) {
  const { t } = useTranslation();
  const { data, loading } = useAsync(
    (signal) =>
      Promise.all([
        reviewsApi.storeExperience(storeId, signal).catch(() => null),
        reviewsApi.storeSummary(storeId, signal).catch(() => null),
      ]),
    [storeId],
  );
  if (loading && !data)
    return (
      <section className="b-block" data-testid="store-score-loading">
        <Skeleton.Paragraph lineCount={2} animated />
      </section>
    );
  const [exp, reviews] = data ?? [null, null];
  if (!exp && !reviews) return null;
  const score = exp?.score ?? null;
  return (
    <section className="b-block rv-store" data-testid="store-score" data-day={exp?.day ?? ''}>
      <div className="rv-store-row">
        <div className="rv-store-overall">
          <div className="b-muted-sm">{t('reviewsBuyer.store.title')}</div>
          <div className="rv-store-num" data-testid="store-score-overall">
            {score ? score.overall.toFixed(2) : '—'}
          </div>
        </div>
        {score ? (
          <div className="rv-store-dims">
            {DIMENSIONS.map((d) => (
              <div key={d} className="rv-store-dim" data-testid={`store-score-${d}`}>
                <span className="b-muted-sm">{t(`reviewsBuyer.store.${d}`)}</span>
                <b>{exp?.enoughData[d] ? score[d].toFixed(2) : '—'}</b>
                {!exp?.enoughData[d] && (
                  <span className="rv-store-few">{t('reviewsBuyer.store.fewData')}</span>
                )}
              </div>
            ))}
          </div>
        ) : (
          <div className="b-muted-sm rv-store-none" data-testid="store-score-none">
            {t('reviewsBuyer.store.notEnough')}
          </div>
        )}
      </div>
      {reviews && reviews.count > 0 && reviews.average !== null && (
        <div className="rv-store-reviews" data-testid="store-review-summary">
          <Rate readOnly allowHalf value={Math.round(reviews.average * 2) / 2} className="rv-stars-xs" />
          <b>{reviews.average.toFixed(1)}</b>
          <span className="b-muted-sm">{t('reviewsBuyer.countReviews', { n: reviews.count })}</span>
          {reviews.positiveRate !== null && (
            <span className="b-muted-sm">
              · {t('reviewsBuyer.positiveRate', { rate: Math.round(reviews.positiveRate * 100) })}
            </span>
          )}
        </div>
      )}
      {reviews && reviews.count === 0 && (
        <div className="b-muted-sm rv-store-reviews" data-testid="store-review-summary">
          {t('reviewsBuyer.noReviews')}
        </div>
      )}
    </section>
  );
}
