import { App, Button, Card, Input, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api.ts';

const MAX_IMAGES = 9;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** The product's pictures: added by URL or uploaded (png, jpeg, webp up to 2 MB), at most nine. */
export function ImagesCard({
  images,
  onChange,
}: {
  images: string[];
  onChange: (update: (images: string[]) => string[]) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [imageUrl, setImageUrl] = useState('');
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const addImageUrl = () => {
    const url = imageUrl.trim();
    if (!url) return;
    if (images.length >= MAX_IMAGES) return;
    onChange((imgs) => (imgs.includes(url) ? imgs : [...imgs, url]));
    setImageUrl('');
  };

  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    try {
      for (const file of [...files].slice(0, MAX_IMAGES - images.length)) {
        if (!/^image\/(png|jpeg|webp)$/.test(file.type)) throw new Error(`${file.name}: png / jpeg / webp`);
        if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${file.name}: > 2 MB`);
        const dataUrl = await new Promise<string>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result));
          reader.onerror = () => reject(reader.error ?? new Error('read failed'));
          reader.readAsDataURL(file);
        });
        const { url } = await api.post('/merchant/uploads', { body: { dataUrl } });
        onChange((imgs) => [...imgs, url]);
      }
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <Card title={t('merchant.images')} style={{ marginBottom: 16 }}>
      <div className="c-images">
        {images.map((src, i) => (
          <div key={src} className="c-image-tile" data-testid="product-image">
            <img src={src} alt="" />
            <Button
              size="small"
              danger
              onClick={() => onChange((imgs) => imgs.filter((_, j) => j !== i))}
              data-testid="product-image-remove"
            >
              ×
            </Button>
          </div>
        ))}
      </div>
      <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
        <Input
          value={imageUrl}
          onChange={(e) => setImageUrl(e.target.value)}
          onPressEnter={(e) => {
            e.preventDefault();
            addImageUrl();
          }}
          placeholder={t('merchant.imageUrl')}
          data-testid="product-image-url"
        />
        <Button onClick={addImageUrl} disabled={images.length >= MAX_IMAGES} data-testid="product-image-add">
          {t('merchant.addImageUrl')}
        </Button>
      </Space.Compact>
      <input
        ref={fileInput}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        multiple
        style={{ display: 'none' }}
        onChange={(e) => void upload(e.target.files)}
        data-testid="product-image-file"
      />
      <Button
        loading={uploading}
        disabled={images.length >= MAX_IMAGES}
        onClick={() => fileInput.current?.click()}
        data-testid="product-image-upload"
      >
        {t('merchant.upload')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('merchant.imagesHint')} ({images.length}/{MAX_IMAGES})
      </Typography.Paragraph>
    </Card>
  );
}
