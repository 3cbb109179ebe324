import { Alert, App, Button, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { type AftersaleRequest, aftersaleApi } from '../console/trust-api.ts';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

interface DecideForm {
  decision: 'approve' | 'reject';
  reason: string;
}

/** After-sale requests the abuse limits sent to review: the operator approves or rejects, with a reason. */
export function AbuseReviewPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const list = useAsync((signal) => aftersaleApi.listReview(signal), []);
  const [deciding, setDeciding] = useState<AftersaleRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<DecideForm>();

  const decide = async () => {
    if (!deciding) return;
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await aftersaleApi.decide(deciding.id, v.decision, v.reason.trim());
      message.success(t('trustConsole.review.decided'));
      setDeciding(null);
      list.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="ops-abuse-review" data-loading={String(list.loading)}>
      <h1 className="c-page-title">{t('trustConsole.menu.review')}</h1>
      <Typography.Paragraph type="secondary">{t('trustConsole.review.hint')}</Typography.Paragraph>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<AftersaleRequest>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <EmptyState text={t('trustConsole.review.none')} /> }}
        scroll={{ x: 1000 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) =>
          ({ 'data-testid': 'review-row', 'data-request-id': r.id }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('merchant.orderNo'), dataIndex: 'orderNo', width: 180 },
          {
            title: t('trustConsole.aftersale.kind'),
            dataIndex: 'kind',
            width: 120,
            render: (v: string) => t(`trustConsole.aftersaleKind.${v}`, { defaultValue: v }),
          },
          {
            title: t('trustConsole.aftersale.reason'),
            dataIndex: 'reason',
            render: (v: string, r) => (
              <Space orientation="vertical" size={0}>
                <span>{t(`trustConsole.aftersaleReason.${v}`, { defaultValue: v })}</span>
                {r.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: t('trustConsole.aftersale.amount'),
            dataIndex: 'amountFen',
            width: 110,
            render: (v: number) => formatFen(v),
          },
          {
            title: t('trustConsole.review.flag'),
            dataIndex: 'reviewReason',
            width: 200,
            render: (v: string | null) =>
              v ? <Tag color="purple">{t(`trustConsole.rule.${v}`, { defaultValue: v })}</Tag> : '—',
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => formatTime(v, i18n.language),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            fixed: 'right',
            render: (_, r) => (
              <Button
                size="small"
                type="primary"
                onClick={() => {
                  setError(undefined);
                  form.resetFields();
                  form.setFieldsValue({ decision: 'approve', reason: '' });
                  setDeciding(r);
                }}
                data-testid="review-decide"
              >
                {t('trustConsole.review.decide')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={deciding !== null}
        title={deciding ? t('trustConsole.review.decideTitle', { no: deciding.orderNo }) : ''}
        onCancel={() => setDeciding(null)}
        onOk={decide}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'review-submit' } as Record<string, string>}
        destroyOnHidden
        forceRender
      >
        <Form<DecideForm> form={form} layout="vertical">
          <Form.Item name="decision" label={t('trustConsole.review.decision')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'approve', label: t('trustConsole.aftersale.approve') },
                { value: 'reject', label: t('trustConsole.aftersale.reject') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('trustConsole.review.reason')}
            rules={[{ required: true, whitespace: true, min: 4, max: 200 }]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="review-reason" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={<span data-testid="error-message">{error}</span>} />}
        </Form>
      </Modal>
    </div>
  );
}
