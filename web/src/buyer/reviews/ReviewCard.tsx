import { Image, ImageViewer, Rate } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../shared/hooks.ts';
import type { PublicReview } from './review-api.ts';

/** Photo thumbnails; a tap opens them full screen, swipeable. */
export function ReviewPhotos({ photos, testId = 'review-photo' }: { photos: string[]; testId?: string }) {
  if (photos.length === 0) return null;
  return (
    <div className="rv-photos">
      {photos.map((src, i) => (
        <button
          key={src}
          type="button"
          className="rv-photo"
          onClick={() => ImageViewer.Multi.show({ images: photos, defaultIndex: i })}
          data-testid={testId}
        >
          <Image src={src} width={76} height={76} fit="cover" lazy />
        </button>
      ))}
    </div>
  );
}

/** One review as everyone sees it: author (masked or anonymous), stars, size bought, text, photos, follow-up, reply. */
export function ReviewCard({ review }: { review: PublicReview }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const author = review.author.anonymous
    ? t('reviewsBuyer.anonymousUser')
    : (review.author.name ?? t('reviewsBuyer.anonymousUser'));
  const sku = [review.size, review.color].filter(Boolean).join(' / ');
  return (
    <div
      className="rv-card"
      data-testid="review-card"
      data-review-id={review.id}
      data-default={review.isDefault || undefined}
    >
      <div className="rv-card-head">
        <span className="rv-avatar">
          <svg
            aria-hidden
            width="16"
            height="16"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0" strokeLinecap="round" />
          </svg>
        </span>
        <span className="rv-author" data-testid="review-author">
          {author}
        </span>
        <span className="b-muted-sm rv-date">{formatTime(review.createdAt, lang).split(/[ ,]/)[0]}</span>
      </div>
      <div className="rv-card-meta">
        <Rate readOnly value={review.rating} className="rv-stars-sm" />
        {sku && <span className="b-muted-sm">{t('reviewsBuyer.bought', { sku })}</span>}
        {review.fit && (
          <span className="rv-fit-chip" data-testid="review-fit">
            {t(`reviewsBuyer.fit.${review.fit}`)}
          </span>
        )}
      </div>
      {review.isDefault ? (
        <div className="b-muted-sm rv-default" data-testid="review-default">
          {t('reviewsBuyer.defaultReview')}
        </div>
      ) : (
        <>
          {review.body && (
            <p className="rv-body" data-testid="review-body">
              {review.body}
            </p>
          )}
          {review.tags.length > 0 && (
            <div className="rv-card-tags">
              {review.tags.map((tag) => (
                <span key={tag} className="rv-tag-sm">
                  {t(`reviewsBuyer.tags.${tag}`)}
                </span>
              ))}
            </div>
          )}
          <ReviewPhotos photos={review.photos} />
        </>
      )}
      {review.followUp && (
        <div className="rv-followup" data-testid="review-follow-up">
          <div className="rv-followup-label">
            {t('reviewsBuyer.followUpLabel')} · {formatTime(review.followUp.createdAt, lang).split(/[ ,]/)[0]}
          </div>
          <p className="rv-body">{review.followUp.body}</p>
          <ReviewPhotos photos={review.followUp.photos} />
        </div>
      )}
      {review.reply && (
        <div className="rv-reply" data-testid="review-reply">
          <b>{t('reviewsBuyer.merchantReply')}</b>
          {review.reply.body}
        </div>
      )}
    </div>
  );
}
