import { Alert, App, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type Store } from '../api.ts';
import { LangButton } from '../console/ConsoleShell.tsx';
import { useSession } from '../shared/session.tsx';

interface OpenStoreForm {
  name: string;
  description?: string;
  businessType: Store['businessType'];
  contactPhone?: string;
}

export function OpenStorePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { refresh, signOut, account } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (values: OpenStoreForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/stores', {
        body: {
          name: values.name.trim(),
          description: values.description?.trim() || undefined,
          businessType: values.businessType,
          contactPhone: values.contactPhone?.trim() || undefined,
        },
      });
      message.success(t('merchant.storeOpened'));
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="c-signin-wrap" data-testid="open-store-page">
      <Card
        className="c-signin"
        style={{ width: 520 }}
        title={t('merchant.openStore')}
        extra={
          <>
            <LangButton />{' '}
            <Button size="small" onClick={() => void signOut()}>
              {t('common.signOut')}
            </Button>
          </>
        }
      >
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={<span data-testid="zero-fee">{t('merchant.openStoreIntro')}</span>}
          description={`${t('merchant.noFee')} · ${t('merchant.noDeposit')} · ${t('merchant.newbie')}`}
        />
        <Form<OpenStoreForm>
          layout="vertical"
          onFinish={submit}
          initialValues={{ businessType: 'apparel', contactPhone: account?.phone }}
        >
          <Form.Item name="name" label={t('merchant.storeName')} rules={[{ required: true, max: 40 }]}>
            <Input data-testid="store-name" maxLength={40} />
          </Form.Item>
          <Form.Item name="businessType" label={t('merchant.businessType')} rules={[{ required: true }]}>
            <Radio.Group data-testid="store-business-type">
              {(['apparel', 'food', 'general'] as const).map((b) => (
                <Radio.Button key={b} value={b}>
                  <span data-testid={`business-type-${b}`}>{t(`merchant.businessTypes.${b}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="description" label={t('merchant.storeDesc')}>
            <Input.TextArea rows={3} maxLength={500} data-testid="store-description" />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('merchant.contactPhone')}>
            <Input data-testid="store-contact-phone" maxLength={20} />
          </Form.Item>
          {error && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={<span data-testid="error-message">{error}</span>}
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            data-testid="open-store-submit"
          >
            {t('merchant.openNow')}
          </Button>
          <Typography.Paragraph
            type="secondary"
            style={{ marginTop: 12, marginBottom: 0, textAlign: 'center' }}
          >
            {t('merchant.noFee')} · {t('merchant.noDeposit')}
          </Typography.Paragraph>
        </Form>
      </Card>
    </div>
  );
}
