import { Button, Image, type ImageUploadItem, Rate, Switch, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, errorMessage } from '../../api.ts';
import { useAsync } from '../../shared/hooks.ts';
import { apparelCategoryIds } from '../../shared/sizing-api.ts';
import { EmptyView, ErrorView, Loading, Screen } from '../ui.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';
import {
  MAX_BODY,
  type OrderReviewLine,
  REVIEW_FITS,
  REVIEW_TAGS,
  type ReviewFit,
  type ReviewTag,
  reviewsApi,
} from './review-api.ts';

/** /orders/:id/review/:skuId — the review of one delivered line. */
export function ReviewFormPage() {
  const { t } = useTranslation();
  const { id = '', skuId = '' } = useParams();
  const { data, error, loading, reload } = useAsync(
    async (signal) => {
      const lines = await reviewsApi.orderLines(id, signal);
      const line = lines.find((l) => l.skuId === skuId) ?? null;
      // The fit question is the size assistant's: asked for apparel only.
      const apparel = line
        ? await Promise.all([
            apparelCategoryIds(),
            api.get('/products/{id}', { params: { path: { id: line.productId } }, signal }),
          ])
            .then(([cats, r]) => cats.has(r.product.categoryId))
            .catch(() => false)
        : false;
      return { line, apparel };
    },
    [id, skuId],
  );
  return (
    <Screen title={t('reviewsBuyer.formTitle')} testId="review-form-page">
      {loading && !data ? (
        <Loading rows={6} />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : data?.line?.reviewable && !data.line.review ? (
        <ReviewForm orderId={id} line={data.line} apparel={data.apparel} />
      ) : (
        <EmptyView
          text={t(data?.line?.review ? 'reviewsBuyer.alreadyReviewed' : 'reviewsBuyer.notReviewable')}
        />
      )}
    </Screen>
  );
}

function ReviewForm({
  orderId,
  line,
  apparel,
}: {
  orderId: string;
  line: OrderReviewLine;
  apparel: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [rating, setRating] = useState(0);
  const [tags, setTags] = useState<ReviewTag[]>([]);
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const [fit, setFit] = useState<ReviewFit>();
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const askFit = apparel && line.fitTold === null;
  const back = () => navigate(`/orders/${orderId}`, { replace: true });

  const toggleTag = (tag: ReviewTag) =>
    setTags((prev) => (prev.includes(tag) ? prev.filter((x) => x !== tag) : [...prev, tag]));

  const submit = async () => {
    if (rating < 1) return setProblem(t('reviewsBuyer.ratingRequired'));
    if (uploading) return setProblem(t('reviewsBuyer.photoUploading'));
    setProblem(undefined);
    setBusy(true);
    try {
      await reviewsApi.create(orderId, {
        skuId: line.skuId,
        rating,
        body: body.trim(),
        tags,
        photos: photos.map((p) => p.url),
        ...(askFit && fit ? { fit } : {}),
        anonymous,
      });
      Toast.show({ icon: 'success', content: t('reviewsBuyer.submitted') });
      back();
    } catch (e) {
      const text = errorMessage(e);
      setProblem(text);
      Toast.show({ icon: 'fail', content: text });
      // Reviewed meanwhile (another tab): nothing to write here any more.
      if (e instanceof ApiError && e.code === 'review_exists') back();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="rv-form" data-testid="review-form" data-sku-id={line.skuId}>
      <section className="b-block rv-form-line">
        <Image src={line.image} width={56} height={56} fit="cover" className="b-line-img" />
        <div className="b-line-body">
          <div className="b-line-title">{line.title}</div>
          <div className="b-muted-sm">{[line.size, line.color].filter(Boolean).join(' / ')}</div>
        </div>
      </section>

      <section className="b-block">
        <div className="rv-rate-row">
          <span className="rv-label">{t('reviewsBuyer.rating')}</span>
          <Rate
            value={rating}
            allowClear={false}
            onChange={(v) => setRating(Math.round(v))}
            data-testid="review-rating"
          />
          <span className="b-muted-sm" data-testid="review-rating-word">
            {rating > 0 ? t(`reviewsBuyer.ratingWords.${rating}`) : ''}
          </span>
        </div>
        {askFit && (
          <div className="rv-fit-row" data-testid="review-fit-question">
            <span className="rv-label">{t('reviewsBuyer.fitQuestion')}</span>
            {REVIEW_FITS.map((f) => (
              <button
                key={f}
                type="button"
                className={`rv-chip${fit === f ? ' rv-chip-on' : ''}`}
                aria-pressed={fit === f}
                onClick={() => setFit(fit === f ? undefined : f)}
                data-testid={`review-fit-${f}`}
              >
                {t(`reviewsBuyer.fit.${f}`)}
              </button>
            ))}
          </div>
        )}
        {apparel && line.fitTold && (
          <div className="b-muted-sm rv-fit-row" data-testid="review-fit-told">
            {t('reviewsBuyer.fitTold', { fit: t(`reviewsBuyer.fit.${line.fitTold}`) })}
          </div>
        )}

        <div className="rv-label">{t('reviewsBuyer.tagsLabel')}</div>
        <div className="rv-chips" data-testid="review-tags">
          {REVIEW_TAGS.map((tag) => (
            <button
              key={tag}
              type="button"
              className={`rv-chip${tags.includes(tag) ? ' rv-chip-on' : ''}`}
              aria-pressed={tags.includes(tag)}
              onClick={() => toggleTag(tag)}
              data-testid="review-tag"
              data-tag={tag}
            >
              {t(`reviewsBuyer.tags.${tag}`)}
            </button>
          ))}
        </div>
      </section>

      <section className="b-block">
        <TextArea
          value={body}
          onChange={setBody}
          placeholder={t('reviewsBuyer.bodyPlaceholder')}
          maxLength={MAX_BODY}
          showCount
          autoSize={{ minRows: 4, maxRows: 10 }}
          data-testid="review-body-input"
        />
      </section>

      <section className="b-block">
        <div className="rv-label">{t('reviewsBuyer.photos')}</div>
        <PhotoPicker value={photos} onChange={setPhotos} onBusy={setUploading} />
      </section>

      <section className="b-block rv-anon-row">
        <div>
          <div>{t('reviewsBuyer.anonymous')}</div>
          <div className="b-muted-sm">{t('reviewsBuyer.anonymousHint')}</div>
        </div>
        <Switch checked={anonymous} onChange={setAnonymous} data-testid="review-anonymous" />
      </section>

      {problem && (
        <div className="b-pad rv-error" data-testid="review-error" role="alert">
          {problem}
        </div>
      )}
      <div className="b-actionbar">
        <Button
          block
          color="primary"
          shape="rounded"
          loading={busy}
          disabled={uploading}
          onClick={() => void submit()}
          data-testid="review-submit"
        >
          {uploading ? t('reviewsBuyer.photoUploading') : t('reviewsBuyer.submit')}
        </Button>
      </div>
    </div>
  );
}
