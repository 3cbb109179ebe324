import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { type ReviewPolicy, reviewsApi } from '../console/reviews-api.ts';
import { useAsync } from '../shared/hooks.ts';

/** The review windows: days before a silent buyer's default positive review, days a follow-up stays open. */
export function ReviewPolicyForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const policy = useAsync((signal) => reviewsApi.policy(signal), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const save = async (v: ReviewPolicy) => {
    setBusy(true);
    setError(undefined);
    try {
      await reviewsApi.savePolicy({ defaultReviewDays: v.defaultReviewDays, followUpDays: v.followUpDays });
      message.success(t('reviewsConsole.policy.saved'));
      policy.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  if (policy.error) return <ErrorAlert error={policy.error} onRetry={policy.reload} />;
  const p = policy.data;
  if (!p) return <Skeleton active />;
  const days = t('reviewsConsole.policy.days');
  return (
    <Card style={{ maxWidth: 760 }} data-testid="policy-reviews">
      <Form<ReviewPolicy> layout="vertical" onFinish={save} initialValues={p}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="defaultReviewDays"
              label={t('reviewsConsole.policy.defaultReviewDays')}
              extra={t('reviewsConsole.policy.defaultReviewDaysHint')}
              rules={[{ required: true }]}
            >
              <InputNumber
                min={1}
                max={60}
                precision={0}
                suffix={days}
                style={{ width: '100%' }}
                data-testid="policy-default-review-days"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="followUpDays"
              label={t('reviewsConsole.policy.followUpDays')}
              extra={t('reviewsConsole.policy.followUpDaysHint')}
              rules={[{ required: true }]}
            >
              <InputNumber
                min={1}
                max={180}
                precision={0}
                suffix={days}
                style={{ width: '100%' }}
                data-testid="policy-follow-up-days"
              />
            </Form.Item>
          </Col>
        </Row>
        {error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={<span data-testid="error-message">{error}</span>}
          />
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="policy-reviews-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
