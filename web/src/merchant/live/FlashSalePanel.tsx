import { Button, Card, Empty, Form, InputNumber, message, Progress, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ResponseOf } from '../../api.ts';
import { ErrorAlert } from '../../console/ConsoleShell.tsx';
import { formatFen, yuanToFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';

export interface FlashSalePanelProps {
  sessionId: string;
  /** The session's products (ids), from which a flash sale's SKU is picked. */
  productIds: string[];
}

type FlashSale = ResponseOf<'/merchant/flash-sales', 'get'>['sales'][number];

interface FormValues {
  skuId: string;
  priceYuan: number;
  units: number;
  perBuyerLimit: number;
  durationMinutes: number;
}

const DURATIONS = [1, 3, 5, 10, 30, 60];

/**
 * The live console's flash sales (秒杀): start one (a SKU of the session's products, price, units,
 * per-buyer limit, duration) and watch each sale's units left and orders, refreshed every 2 s; end it.
 */
export function FlashSalePanel({ sessionId, productIds }: FlashSalePanelProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const products = useAsync(
    (signal) =>
      Promise.all(
        productIds.map(
          async (id) =>
            (await api.get('/merchant/products/{id}', { params: { path: { id } }, signal })).product,
        ),
      ),
    [productIds.join(',')],
  );
  const sales = useAsync(
    (signal) => api.get('/merchant/flash-sales', { params: { query: { sessionId } }, signal }),
    [sessionId],
  );
  const { reload } = sales;
  useEffect(() => {
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [reload]);

  const skuOptions = (products.data ?? []).flatMap((p) =>
    p.skus.map((s) => ({
      value: s.id,
      label: `${p.title} · ${[s.color, s.size].filter(Boolean).join(' / ')} · ${formatFen(s.priceFen)} · ${t('flashSale.stock', { stock: s.stock })}`,
      priceFen: s.priceFen,
    })),
  );

  const start = async (v: FormValues) => {
    setBusy(true);
    try {
      await api.post('/merchant/flash-sales', {
        body: {
          sessionId,
          skuId: v.skuId,
          priceFen: yuanToFen(v.priceYuan),
          units: v.units,
          perBuyerLimit: v.perBuyerLimit,
          durationSeconds: v.durationMinutes * 60,
        },
      });
      message.success(t('flashSale.started'));
      reload();
      products.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const end = async (id: string) => {
    try {
      await api.post('/merchant/flash-sales/{id}/end', { params: { path: { id } } });
      reload();
      products.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const statusTag = (s: FlashSale['status']) => (
    <Tag color={s === 'running' ? 'red' : s === 'scheduled' ? 'blue' : undefined}>
      {t(`flashSale.status.${s}`)}
    </Tag>
  );

  return (
    <Card title={t('flashSale.panelTitle')} size="small" data-testid="flash-sale-panel">
      {products.error ? <ErrorAlert error={products.error} onRetry={products.reload} /> : null}
      {productIds.length === 0 ? (
        <Empty description={t('flashSale.noProducts')} />
      ) : (
        <Form
          form={form}
          layout="inline"
          onFinish={start}
          initialValues={{ perBuyerLimit: 1, durationMinutes: 5, units: 100 }}
          style={{ rowGap: 8, marginBottom: 12 }}
        >
          <Form.Item name="skuId" rules={[{ required: true, message: t('flashSale.pickSku') }]}>
            <Select
              style={{ width: 320 }}
              placeholder={t('flashSale.pickSku')}
              loading={products.loading}
              options={skuOptions}
              onChange={(id) => {
                const o = skuOptions.find((x) => x.value === id);
                if (o && !form.getFieldValue('priceYuan')) form.setFieldValue('priceYuan', o.priceFen / 100);
              }}
            />
          </Form.Item>
          <Form.Item name="priceYuan" label={t('flashSale.price')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} prefix="¥" style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="units" label={t('flashSale.units')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100_000} precision={0} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="perBuyerLimit" label={t('flashSale.limit')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10} precision={0} style={{ width: 70 }} />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('flashSale.duration')}>
            <Select
              style={{ width: 110 }}
              options={DURATIONS.map((m) => ({ value: m, label: t('flashSale.minutes', { n: m }) }))}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" danger htmlType="submit" loading={busy}>
              {t('flashSale.start')}
            </Button>
          </Form.Item>
        </Form>
      )}
      {sales.error ? <ErrorAlert error={sales.error} onRetry={reload} /> : null}
      <Table<FlashSale>
        size="small"
        rowKey="id"
        loading={sales.loading && !sales.data}
        dataSource={sales.data?.sales ?? []}
        pagination={false}
        locale={{ emptyText: t('flashSale.none') }}
        columns={[
          {
            title: t('flashSale.product'),
            render: (_, s) => `${s.title} · ${[s.color, s.size].filter(Boolean).join(' / ')}`,
          },
          { title: t('flashSale.price'), render: (_, s) => formatFen(s.priceFen) },
          {
            title: t('flashSale.remainingTitle'),
            render: (_, s) => (
              <Space orientation="vertical" size={0} style={{ width: 160 }}>
                <Progress percent={Math.round((s.remaining / s.units) * 100)} size="small" status="active" />
                <span>
                  {s.remaining} / {s.units}
                </span>
              </Space>
            ),
          },
          { title: t('flashSale.orders'), dataIndex: 'orders' },
          { title: t('flashSale.statusTitle'), render: (_, s) => statusTag(s.status) },
          { title: t('flashSale.endsAt'), render: (_, s) => new Date(s.endsAt).toLocaleTimeString() },
          {
            title: '',
            render: (_, s) =>
              s.status !== 'ended' ? (
                <Button size="small" onClick={() => end(s.id)}>
                  {t('flashSale.end')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
