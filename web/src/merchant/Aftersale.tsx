import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { type AftersaleRequest, aftersaleApi } from '../console/trust-api.ts';
import { SlaCountdown, useNow } from '../console/trust-view.tsx';
import { formatFen } from '../money.ts';
import { CARRIERS, type Carrier, carrierName } from '../shared/carriers.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** Statuses in which the merchant still has to decide. */
export const AWAITING_MERCHANT = new Set<string>(['requested']);
/** The buyer shipped the return: the merchant confirms it arrived (silence confirms). */
export const AWAITING_RETURN = new Set<string>(['returning']);
/** Statuses whose deadline is the merchant's (the time left is shown). */
const MERCHANT_CLOCK = new Set<string>(['requested', 'returning']);

export const AFTERSALE_STATUS_COLORS: Record<string, string> = {
  requested: 'orange',
  review: 'purple',
  approved: 'blue',
  returning: 'cyan',
  rejected: 'default',
  refunded: 'green',
  exchanged: 'green',
  cancelled: 'default',
};

/** What the merchant does next with a request, if anything. */
function nextStep(r: AftersaleRequest): 'decide' | 'confirmReturn' | 'shipReplacement' | null {
  if (AWAITING_MERCHANT.has(r.status)) return 'decide';
  if (AWAITING_RETURN.has(r.status)) return 'confirmReturn';
  if (r.kind === 'exchange' && r.status === 'approved') return 'shipReplacement';
  return null;
}
const inReturns = (r: AftersaleRequest) => {
  const step = nextStep(r);
  return step === 'confirmReturn' || step === 'shipReplacement';
};

type Filter = 'todo' | 'return' | 'all';

/** The store's after-sale requests: the time left to decide, approve / reject with a reason / confirm a return. */
export function AftersalePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const now = useNow();
  const [filter, setFilter] = useState<Filter>('todo');
  const list = useAsync((signal) => aftersaleApi.listStore(signal), []);
  const [rejecting, setRejecting] = useState<AftersaleRequest | null>(null);
  const [busyId, setBusyId] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [form] = Form.useForm<{ reason: string }>();
  const [shipping, setShipping] = useState<AftersaleRequest | null>(null);
  const [shipForm] = Form.useForm<{ carrier: Carrier; trackingNo: string }>();

  const rows = (list.data ?? []).filter((r) =>
    filter === 'todo' ? AWAITING_MERCHANT.has(r.status) : filter === 'return' ? inReturns(r) : true,
  );
  const counts = {
    todo: (list.data ?? []).filter((r) => AWAITING_MERCHANT.has(r.status)).length,
    return: (list.data ?? []).filter(inReturns).length,
  };

  const act = async (r: AftersaleRequest, run: () => Promise<unknown>, done: string) => {
    setBusyId(r.id);
    setActionError(undefined);
    try {
      await run();
      message.success(done);
      list.reload();
      return true;
    } catch (e) {
      setActionError(errorMessage(e));
      return false;
    } finally {
      setBusyId(undefined);
    }
  };

  const reject = async () => {
    if (!rejecting) return;
    const v = await form.validateFields();
    const ok = await act(
      rejecting,
      () => aftersaleApi.reject(rejecting.id, v.reason.trim()),
      t('trustConsole.aftersale.rejected'),
    );
    if (ok) setRejecting(null);
  };

  const shipReplacement = async () => {
    if (!shipping) return;
    const v = await shipForm.validateFields();
    const ok = await act(
      shipping,
      () => aftersaleApi.shipReplacement(shipping.id, v.carrier, v.trackingNo.trim()),
      t('trustConsole.aftersale.replacementShipped'),
    );
    if (ok) setShipping(null);
  };

  return (
    <div data-testid="merchant-aftersale">
      <h1 className="c-page-title">{t('trustConsole.menu.aftersale')}</h1>
      <Typography.Paragraph type="secondary">{t('trustConsole.aftersale.slaHint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            {
              value: 'todo',
              label: (
                <span data-testid="aftersale-filter-todo">
                  {t('trustConsole.aftersale.filterTodo')} ({counts.todo})
                </span>
              ),
            },
            {
              value: 'return',
              label: (
                <span data-testid="aftersale-filter-return">
                  {t('trustConsole.aftersale.filterReturn')} ({counts.return})
                </span>
              ),
            },
            { value: 'all', label: <span data-testid="aftersale-filter-all">{t('common.all')}</span> },
          ]}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={list.reload}
          loading={list.loading}
          data-testid="aftersale-refresh"
        >
          {t('trustConsole.aftersale.refresh')}
        </Button>
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {actionError && !rejecting && !shipping ? (
        <Alert
          type="error"
          showIcon
          closable
          style={{ marginBottom: 16 }}
          onClose={() => setActionError(undefined)}
          title={<span data-testid="error-message">{actionError}</span>}
        />
      ) : null}
      <Table<AftersaleRequest>
        rowKey="id"
        loading={list.loading}
        dataSource={rows}
        locale={{
          emptyText: (
            <EmptyState
              text={t(filter === 'todo' ? 'trustConsole.aftersale.noneTodo' : 'trustConsole.aftersale.none')}
            />
          ),
        }}
        scroll={{ x: 1100 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) =>
          ({
            'data-testid': 'aftersale-row',
            'data-request-id': r.id,
            'data-status': r.status,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('merchant.orderNo'),
            dataIndex: 'orderNo',
            width: 220,
            render: (v: string) => <Typography.Text copyable>{v}</Typography.Text>,
          },
          {
            title: t('trustConsole.aftersale.kind'),
            dataIndex: 'kind',
            width: 120,
            render: (v: string) => t(`trustConsole.aftersaleKind.${v}`, { defaultValue: v }),
          },
          {
            title: t('trustConsole.aftersale.reason'),
            key: 'reason',
            width: 180,
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <span>{t(`trustConsole.aftersaleReason.${r.reason}`, { defaultValue: r.reason })}</span>
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
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => formatTime(v, i18n.language),
          },
          {
            title: t('trustConsole.aftersale.sla'),
            key: 'sla',
            width: 140,
            render: (_, r) =>
              MERCHANT_CLOCK.has(r.status) ? <SlaCountdown dueAt={r.dueAt} now={now} /> : '—',
          },
          {
            title: t('common.status'),
            key: 'status',
            width: 150,
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Tag color={AFTERSALE_STATUS_COLORS[r.status]} data-testid="aftersale-status">
                  {t(`trustConsole.aftersaleStatus.${r.status}`, { defaultValue: r.status })}
                </Tag>
                {r.decidedByRule ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="aftersale-rule">
                    {t(`trustConsole.rule.${r.decidedByRule}`, { defaultValue: r.decidedByRule })}
                  </Typography.Text>
                ) : null}
                {r.decisionNote ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.decisionNote}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 190,
            fixed: 'right',
            render: (_, r) =>
              AWAITING_MERCHANT.has(r.status) ? (
                <Space>
                  <Popconfirm
                    title={t('trustConsole.aftersale.approveConfirm', { amount: formatFen(r.amountFen) })}
                    onConfirm={() =>
                      act(r, () => aftersaleApi.approve(r.id), t('trustConsole.aftersale.approved'))
                    }
                    okButtonProps={{ 'data-testid': 'aftersale-approve-confirm' } as Record<string, string>}
                  >
                    <Button
                      type="primary"
                      size="small"
                      loading={busyId === r.id}
                      data-testid="aftersale-approve"
                    >
                      {t('trustConsole.aftersale.approve')}
                    </Button>
                  </Popconfirm>
                  <Button
                    size="small"
                    danger
                    disabled={busyId === r.id}
                    onClick={() => {
                      setActionError(undefined);
                      form.resetFields();
                      setRejecting(r);
                    }}
                    data-testid="aftersale-reject"
                  >
                    {t('trustConsole.aftersale.reject')}
                  </Button>
                </Space>
              ) : nextStep(r) === 'confirmReturn' ? (
                <Popconfirm
                  title={t('trustConsole.aftersale.confirmReturnConfirm')}
                  onConfirm={() =>
                    act(
                      r,
                      () => aftersaleApi.confirmReturn(r.id),
                      t('trustConsole.aftersale.returnConfirmed'),
                    )
                  }
                  okButtonProps={{ 'data-testid': 'aftersale-confirm-return-ok' } as Record<string, string>}
                >
                  <Button
                    size="small"
                    type="primary"
                    loading={busyId === r.id}
                    data-testid="aftersale-confirm-return"
                  >
                    {t('trustConsole.aftersale.confirmReturn')}
                  </Button>
                </Popconfirm>
              ) : nextStep(r) === 'shipReplacement' ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => {
                    setActionError(undefined);
                    shipForm.setFieldsValue({ carrier: CARRIERS[0], trackingNo: '' });
                    setShipping(r);
                  }}
                  data-testid="aftersale-ship-replacement"
                >
                  {t('trustConsole.aftersale.shipReplacement')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={rejecting !== null}
        title={t('trustConsole.aftersale.rejectTitle')}
        onCancel={() => setRejecting(null)}
        onOk={reject}
        confirmLoading={busyId !== undefined}
        okText={t('trustConsole.aftersale.reject')}
        okButtonProps={{
          danger: true,
          ...({ 'data-testid': 'aftersale-reject-submit' } as Record<string, string>),
        }}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('trustConsole.aftersale.rejectReason')}
            rules={[{ required: true, whitespace: true, min: 4, max: 200 }]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="aftersale-reject-reason" />
          </Form.Item>
          {actionError && (
            <Alert type="error" showIcon title={<span data-testid="error-message">{actionError}</span>} />
          )}
        </Form>
      </Modal>
      <Modal
        open={shipping !== null}
        title={t('trustConsole.aftersale.shipReplacement')}
        onCancel={() => setShipping(null)}
        onOk={shipReplacement}
        confirmLoading={busyId !== undefined}
        okText={t('merchant.ship')}
        destroyOnHidden
        forceRender
      >
        <Form form={shipForm} layout="vertical">
          <Form.Item name="carrier" label={t('merchant.carrier')} rules={[{ required: true }]}>
            <Select options={CARRIERS.map((c) => ({ value: c, label: carrierName(t, c) }))} />
          </Form.Item>
          <Form.Item
            name="trackingNo"
            label={t('merchant.trackingNo')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9-]{4,40}$/ }]}
          >
            <Input />
          </Form.Item>
          {actionError && <Alert type="error" showIcon title={actionError} />}
        </Form>
      </Modal>
    </div>
  );
}
