import { Button, type ImageUploadItem, Popup, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.ts';
import { formatTime } from '../../shared/hooks.ts';
import { PhotoPicker } from './PhotoPicker.tsx';
import { MAX_BODY, type MyReview, reviewsApi } from './review-api.ts';

/** "追加评价": a button while the follow-up window is open, and the sheet that writes it. */
export function FollowUpButton({ review, onDone }: { review: MyReview; onDone: (r: MyReview) => void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  if (review.followUp || !review.followUpUntil || review.status !== 'visible') return null;
  return (
    <>
      <Button size="mini" shape="rounded" onClick={() => setOpen(true)} data-testid="review-follow-up-open">
        {t('reviewsBuyer.addFollowUp')}
      </Button>
      <span className="b-muted-sm rv-until">
        {t('reviewsBuyer.followUpUntil', { time: formatTime(review.followUpUntil, i18n.language) })}
      </span>
      <Popup
        visible={open}
        onMaskClick={() => setOpen(false)}
        onClose={() => setOpen(false)}
        bodyClassName="rv-sheet"
        destroyOnClose
      >
        <FollowUpForm
          review={review}
          onDone={(r) => {
            setOpen(false);
            onDone(r);
          }}
        />
      </Popup>
    </>
  );
}

function FollowUpForm({ review, onDone }: { review: MyReview; onDone: (r: MyReview) => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async () => {
    if (!body.trim()) return setProblem(t('reviewsBuyer.followUpRequired'));
    setProblem(undefined);
    setBusy(true);
    try {
      const r = await reviewsApi.followUp(review.id, { body: body.trim(), photos: photos.map((p) => p.url) });
      Toast.show({ icon: 'success', content: t('reviewsBuyer.followUpSent') });
      onDone(r);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="rv-followup-form" data-testid="review-follow-up-form">
      <div className="b-block-title">{t('reviewsBuyer.followUpTitle')}</div>
      <div className="b-muted-sm">{review.productTitle}</div>
      <TextArea
        value={body}
        onChange={setBody}
        placeholder={t('reviewsBuyer.followUpPlaceholder')}
        maxLength={MAX_BODY}
        showCount
        autoSize={{ minRows: 3, maxRows: 8 }}
        data-testid="review-follow-up-body"
      />
      <PhotoPicker value={photos} onChange={setPhotos} onBusy={setUploading} />
      {problem && (
        <div className="rv-error" role="alert" data-testid="review-follow-up-error">
          {problem}
        </div>
      )}
      <Button
        block
        color="primary"
        shape="rounded"
        loading={busy}
        disabled={uploading}
        onClick={() => void submit()}
        data-testid="review-follow-up-submit"
      >
        {uploading ? t('reviewsBuyer.photoUploading') : t('reviewsBuyer.submitFollowUp')}
      </Button>
    </div>
  );
}
