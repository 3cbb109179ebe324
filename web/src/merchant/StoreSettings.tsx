import { Alert, App, Button, Card, Form, Input, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { useMyStore } from './Dashboard.tsx';

interface StoreForm {
  name: string;
  description: string;
  logoUrl: string;
  contactPhone: string;
}

export function StoreSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data, error, loading, reload, setData } = useMyStore();
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const store = data?.store;

  const save = async (v: StoreForm) => {
    setBusy(true);
    setSaveError(undefined);
    try {
      const res = await api.patch('/stores/mine', {
        body: {
          name: v.name.trim(),
          description: v.description?.trim() ?? '',
          ...(v.logoUrl?.trim() ? { logoUrl: v.logoUrl.trim() } : {}),
          ...(v.contactPhone?.trim() ? { contactPhone: v.contactPhone.trim() } : {}),
        },
      });
      setData(res);
      message.success(t('common.saved'));
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="store-settings">
      <h1 className="c-page-title">{t('merchant.menu.store')}</h1>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Card style={{ maxWidth: 640 }}>
        {loading && !store ? (
          <Skeleton active />
        ) : store ? (
          <Form<StoreForm>
            layout="vertical"
            onFinish={save}
            initialValues={{
              name: store.name,
              description: store.description ?? '',
              logoUrl: store.logoUrl ?? '',
              contactPhone: store.contactPhone ?? '',
            }}
          >
            <Form.Item name="name" label={t('merchant.storeName')} rules={[{ required: true, max: 40 }]}>
              <Input data-testid="store-name" />
            </Form.Item>
            <Form.Item name="description" label={t('merchant.storeDesc')}>
              <Input.TextArea rows={3} maxLength={500} data-testid="store-description" />
            </Form.Item>
            <Form.Item name="logoUrl" label={t('merchant.logoUrl')}>
              <Input data-testid="store-logo-url" placeholder="/media/… or https://…" />
            </Form.Item>
            <Form.Item name="contactPhone" label={t('merchant.contactPhone')}>
              <Input data-testid="store-contact-phone" />
            </Form.Item>
            {saveError && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                title={<span data-testid="error-message">{saveError}</span>}
              />
            )}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="store-save">
              {t('common.save')}
            </Button>
          </Form>
        ) : null}
      </Card>
    </div>
  );
}
