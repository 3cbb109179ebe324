import { ImageUploader, type ImageUploadItem } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.ts';
import { MAX_PHOTOS, photoProblem, readDataUrl, reviewsApi } from './review-api.ts';

/**
 * Up to nine photos, each uploaded as soon as it is picked (POST /reviews/photos, a data URL): the form
 * sends only the returned URLs. Wrong types and files over 2 MB are refused here with the reason; the
 * server checks the bytes again and its refusal is shown the same way.
 */
export function PhotoPicker({
  value,
  onChange,
  onBusy,
}: {
  value: ImageUploadItem[];
  onChange: (items: ImageUploadItem[]) => void;
  onBusy: (uploading: boolean) => void;
}) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string>();
  // Said beside the picker (a toast would cover the form and go away before it is read).
  const refuse = (text: string) => setProblem(text);
  return (
    <div data-testid="review-photos">
      <ImageUploader
        value={value}
        onChange={(items) => {
          setProblem(undefined);
          onChange(items);
        }}
        accept="image/png,image/jpeg,image/webp"
        multiple
        maxCount={MAX_PHOTOS}
        onCountExceed={() => refuse(t('reviewsBuyer.photoTooMany', { n: MAX_PHOTOS }))}
        onUploadQueueChange={(tasks) => onBusy(tasks.some((x) => x.status === 'pending'))}
        beforeUpload={(file) => {
          const why = photoProblem(file);
          if (!why) return file;
          refuse(
            t(why === 'type' ? 'reviewsBuyer.photoType' : 'reviewsBuyer.photoSize', { name: file.name }),
          );
          return null;
        }}
        upload={async (file) => {
          try {
            const url = await reviewsApi.uploadPhoto(await readDataUrl(file));
            return { url };
          } catch (e) {
            refuse(`${file.name}: ${errorMessage(e)}`);
            throw e;
          }
        }}
        showFailed={false}
      />
      <div className="b-muted-sm rv-hint">
        {t('reviewsBuyer.photosHint', { n: value.length, max: MAX_PHOTOS })}
      </div>
      {problem && (
        <div className="rv-error" data-testid="review-photo-error" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}
