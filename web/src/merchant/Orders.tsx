import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage, ORDER_STATUSES, type Order } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { STATUS_COLORS } from '../console/status-colors.ts';
import { formatFen } from '../money.ts';
import { CARRIERS, type Carrier, carrierName } from '../shared/carriers.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

export function OrdersPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'all';
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [shipping, setShipping] = useState<Order | null>(null);
  const [shipError, setShipError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ carrier: Carrier; trackingNo: string }>();
  const { data, error, loading, reload } = useAsync(
    (signal) =>
      api.get('/merchant/orders', {
        params: { query: { status: status === 'all' ? undefined : status, page, pageSize } },
        signal,
      }),
    [status, page, pageSize],
  );

  const openShip = (o: Order) => {
    setShipError(undefined);
    form.setFieldsValue({ carrier: CARRIERS[0], trackingNo: '' });
    setShipping(o);
  };
  const ship = async () => {
    if (!shipping) return;
    const v = await form.validateFields();
    setBusy(true);
    setShipError(undefined);
    try {
      await api.post('/merchant/orders/{id}/ship', {
        params: { path: { id: shipping.id } },
        body: { carrier: v.carrier, trackingNo: v.trackingNo.trim() },
      });
      message.success(t('merchant.shipped'));
      setShipping(null);
      reload();
    } catch (e) {
      setShipError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="merchant-orders">
      <h1 className="c-page-title">{t('merchant.orders')}</h1>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setParams(v === 'all' ? {} : { status: String(v) }, { replace: true });
          setPage(1);
        }}
        options={[
          { value: 'all', label: <span data-testid="orders-filter-all">{t('common.all')}</span> },
          ...ORDER_STATUSES.map((s) => ({
            value: s,
            label: <span data-testid={`orders-filter-${s}`}>{t(`status.${s}`)}</span>,
          })),
        ]}
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Order>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <EmptyState /> }}
        onRow={(r) =>
          ({
            'data-testid': 'merchant-order-row',
            'data-order-id': r.id,
          }) as React.HTMLAttributes<HTMLElement>
        }
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, ps) => {
            setPage(p);
            setPageSize(ps);
          },
        }}
        expandable={{
          expandedRowRender: (o) => (
            <Space orientation="vertical" size={4}>
              <span>
                {t('merchant.address')}: {o.address.name} {o.address.phone} · {o.address.province}{' '}
                {o.address.city} {o.address.district} {o.address.detail}
              </span>
              {o.lines.map((l) => (
                <span key={l.skuId}>
                  {l.title} [{[l.size, l.color].filter(Boolean).join(' / ')}] × {l.quantity} @{' '}
                  {formatFen(l.unitPriceFen)}
                </span>
              ))}
              {o.trackingNo && (
                <span>
                  {t('merchant.carrier')}: {o.carrier && carrierName(t, o.carrier)} ·{' '}
                  {t('merchant.trackingNo')}: {o.trackingNo}
                </span>
              )}
            </Space>
          ),
        }}
        columns={[
          {
            title: t('merchant.orderNo'),
            dataIndex: 'orderNo',
            width: 190,
            render: (v: string) => <Typography.Text copyable>{v}</Typography.Text>,
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => formatTime(v, i18n.language),
          },
          {
            title: t('merchant.items'),
            key: 'items',
            render: (_, o) =>
              o.lines
                .map(
                  (l) =>
                    `${l.title}${l.size || l.color ? ` (${[l.size, l.color].filter(Boolean).join('/')})` : ''} ×${l.quantity}`,
                )
                .join('; '),
          },
          { title: t('merchant.buyer'), key: 'buyer', width: 110, render: (_, o) => o.address?.name },
          {
            title: t('merchant.amount'),
            dataIndex: 'totalFen',
            width: 110,
            render: (v: number) => formatFen(v),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 110,
            render: (v: string) => (
              <Tag color={STATUS_COLORS[v]} data-testid="merchant-order-status" data-status={v}>
                {t(`status.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            fixed: 'right',
            render: (_, o) =>
              o.status === 'paid' ? (
                <Button type="primary" size="small" onClick={() => openShip(o)} data-testid="ship-button">
                  {t('merchant.ship')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={shipping !== null}
        title={shipping ? t('merchant.shipTitle', { no: shipping.orderNo }) : ''}
        onCancel={() => setShipping(null)}
        onOk={ship}
        confirmLoading={busy}
        okText={t('merchant.ship')}
        okButtonProps={{ 'data-testid': 'ship-submit' } as Record<string, string>}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="carrier" label={t('merchant.carrier')} rules={[{ required: true }]}>
            <Select
              data-testid="ship-carrier"
              options={CARRIERS.map((c) => ({ value: c, label: carrierName(t, c) }))}
            />
          </Form.Item>
          <Form.Item name="trackingNo" label={t('merchant.trackingNo')} rules={[{ required: true, max: 40 }]}>
            <Input data-testid="ship-tracking" />
          </Form.Item>
          {shipError && (
            <Alert type="error" showIcon title={<span data-testid="ship-error">{shipError}</span>} />
          )}
        </Form>
      </Modal>
    </div>
  );
}
