import './reviews-console.css';
import { Image, Rate, Space, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../shared/hooks.ts';
import type { MerchantReview } from './reviews-api.ts';

/** A word for a server code under `reviewsConsole.<group>` (an unknown code reads as the server spells it). */
export function useCodeName(): (group: string, code: string) => string {
  const { t, i18n } = useTranslation();
  return (group, code) =>
    i18n.exists(`reviewsConsole.${group}.${code}`)
      ? t(`reviewsConsole.${group}.${code}`)
      : code.replaceAll('_', ' ');
}

/** Photo thumbnails; a click opens the preview (browse through the group). */
export function ReviewPhotos({ photos, testId }: { photos: string[]; testId?: string }) {
  if (!photos.length) return null;
  return (
    <div className="rc-photos" data-testid={testId ?? 'review-photos'} data-count={photos.length}>
      <Image.PreviewGroup>
        {photos.map((src) => (
          <Image
            key={src}
            src={src}
            width={64}
            height={64}
            style={{ objectFit: 'cover', borderRadius: 6 }}
            alt=""
          />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}

/** The tags that say how the review stands: default, hidden, flags, pending, anonymous. */
export function ReviewStateTags({ review }: { review: MerchantReview }) {
  const { t } = useTranslation();
  const name = useCodeName();
  return (
    <Space size={4} wrap>
      {review.isDefault ? (
        <Tooltip title={t('reviewsConsole.review.defaultHint')}>
          <Tag data-testid="review-default">{t('reviewsConsole.review.default')}</Tag>
        </Tooltip>
      ) : null}
      {review.status === 'hidden' ? (
        <Tag color="red" data-testid="review-hidden">
          {t('reviewsConsole.review.hidden')}
        </Tag>
      ) : null}
      {review.moderation === 'pending' ? (
        <Tag color="orange" data-testid="review-pending">
          {t('reviewsConsole.review.pending')}
        </Tag>
      ) : null}
      {review.flags.map((f) => (
        <Tooltip key={f} title={t('reviewsConsole.review.flagHint')}>
          <Tag color="volcano" data-testid="review-flag" data-flag={f}>
            {name('flag', f)}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/**
 * One review as the consoles show it: stars, who (as shown publicly), what was bought, the text (escaped by
 * React), photos, tags, the fit answer, the follow-up and the store's reply (or that the platform removed it,
 * and why). `extra` goes under it (actions).
 */
export function ReviewBody({
  review,
  header,
  extra,
}: {
  review: MerchantReview;
  header?: ReactNode;
  extra?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const name = useCodeName();
  const author = review.author.anonymous
    ? t('reviewsConsole.review.anonymous')
    : (review.author.name ?? t('reviewsConsole.review.anonymous'));
  const variant = [review.size, review.color].filter(Boolean).join(' / ');
  // Operators also get the text of a reply they removed (kept for the record); merchants do not.
  const removedReplyBody =
    'removedReplyBody' in review && typeof review.removedReplyBody === 'string'
      ? review.removedReplyBody
      : null;
  return (
    <div className="rc-review" data-testid="review-body">
      {header ? <div style={{ marginBottom: 6 }}>{header}</div> : null}
      <Space size={12} wrap align="center">
        <Rate disabled value={review.rating} style={{ fontSize: 14 }} />
        <span hidden data-testid="review-rating">
          {review.rating}
        </span>
        <Typography.Text strong data-testid="review-author">
          {author}
        </Typography.Text>
        <Typography.Text type="secondary">{formatTime(review.createdAt, i18n.language)}</Typography.Text>
        <ReviewStateTags review={review} />
      </Space>
      <div style={{ marginTop: 4 }}>
        <Typography.Text type="secondary">
          {review.productTitle}
          {variant ? ` · ${variant}` : ''}
        </Typography.Text>
        {review.fit ? (
          <Tag style={{ marginLeft: 8 }} color="blue" data-testid="review-fit">
            {name('fit', review.fit)}
          </Tag>
        ) : null}
      </div>
      {review.isDefault && !review.body ? (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
          {t('reviewsConsole.review.defaultText')}
        </Typography.Paragraph>
      ) : review.body ? (
        <Typography.Paragraph style={{ margin: '8px 0', whiteSpace: 'pre-wrap' }} data-testid="review-text">
          {review.body}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
          {t('reviewsConsole.review.noText')}
        </Typography.Paragraph>
      )}
      <ReviewPhotos photos={review.photos} />
      {review.tags.length ? (
        <Space size={4} wrap style={{ marginTop: 8 }}>
          {review.tags.map((tag) => (
            <Tag key={tag} data-testid="review-tag">
              {name('tag', tag)}
            </Tag>
          ))}
        </Space>
      ) : null}
      {review.followUp ? (
        <div className="rc-block" data-testid="review-follow-up">
          <Typography.Text type="secondary">
            {t('reviewsConsole.review.followUp', {
              at: formatTime(review.followUp.createdAt, i18n.language),
            })}
          </Typography.Text>
          <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>
            {review.followUp.body}
          </Typography.Paragraph>
          <ReviewPhotos photos={review.followUp.photos} testId="follow-up-photos" />
        </div>
      ) : null}
      {review.reply ? (
        <div className="rc-block rc-reply" data-testid="review-reply">
          <Typography.Text type="secondary">
            {t('reviewsConsole.review.reply', { at: formatTime(review.reply.createdAt, i18n.language) })}
          </Typography.Text>
          <Typography.Paragraph
            style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
            data-testid="review-reply-text"
          >
            {review.reply.body}
          </Typography.Paragraph>
        </div>
      ) : null}
      {review.replyRemoved ? (
        <div className="rc-block rc-hidden" data-testid="review-reply-removed">
          <Typography.Text type="danger" data-testid="review-reply-removed-reason">
            {t('reviewsConsole.review.replyRemoved', {
              reason: review.replyRemoved.reason,
              at: formatTime(review.replyRemoved.removedAt, i18n.language),
            })}
          </Typography.Text>
          {removedReplyBody ? (
            <Typography.Paragraph
              type="secondary"
              style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
              data-testid="review-removed-reply-text"
            >
              {t('reviewsConsole.review.replyRemovedText')} <del>{removedReplyBody}</del>
            </Typography.Paragraph>
          ) : null}
        </div>
      ) : null}
      {review.status === 'hidden' ? (
        <div className="rc-block rc-hidden" data-testid="review-hidden-reason">
          <Typography.Text type="danger">
            {t('reviewsConsole.review.hiddenReason', { reason: review.hiddenReason ?? '—' })}
          </Typography.Text>
        </div>
      ) : null}
      {review.report ? <ReportLine report={review.report} /> : null}
      {extra ? <div style={{ marginTop: 12 }}>{extra}</div> : null}
    </div>
  );
}

/** The store's report of a review: reason, note, when, and what the operator decided. */
export function ReportLine({ report }: { report: NonNullable<MerchantReview['report']> }) {
  const { t, i18n } = useTranslation();
  const name = useCodeName();
  return (
    <div className="rc-block rc-report" data-testid="review-report" data-resolution={report.resolution ?? ''}>
      <Space size={8} wrap>
        <Typography.Text strong>{t('reviewsConsole.report.reported')}</Typography.Text>
        <Tag color="gold" data-testid="review-report-reason">
          {name('reportReason', report.reason)}
        </Tag>
        <Typography.Text type="secondary">{formatTime(report.createdAt, i18n.language)}</Typography.Text>
        <Tag color={report.resolution === 'hidden' ? 'red' : report.resolution ? 'default' : 'orange'}>
          {t(`reviewsConsole.report.resolution.${report.resolution ?? 'open'}`)}
        </Tag>
      </Space>
      {report.note ? (
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
          {report.note}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
