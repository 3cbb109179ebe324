import {
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  List,
  message,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorMessage } from '../../api.ts';
import { type RoomMessage, useSocket } from '../../buyer/live/live-api.ts';
import { formatFen } from '../../money.ts';
import { formatTime, useAsync } from '../../shared/hooks.ts';
import { FlashSalePanel } from './FlashSalePanel.tsx';
import { IngestPanel } from './IngestPanel.tsx';

const STATUS_COLOR: Record<string, string> = {
  live: 'red',
  scheduled: 'blue',
  ended: 'default',
  cancelled: 'default',
};

/** `live`: the store's sessions and the schedule form. */
export function LiveSessionsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sessions = useAsync((signal) => api.get('/merchant/live/sessions', { signal }), []);
  const products = useAsync(
    (signal) => api.get('/merchant/products', { params: { query: { page: 1, pageSize: 100 } }, signal }),
    [],
  );
  const [form] = Form.useForm<{ title: string; scheduledAt: Dayjs; productIds: string[] }>();
  const [saving, setSaving] = useState(false);
  const create = async (v: { title: string; scheduledAt: Dayjs; productIds: string[] }) => {
    setSaving(true);
    try {
      const r = await api.post('/merchant/live/sessions', {
        body: { title: v.title, scheduledAt: v.scheduledAt.toISOString(), productIds: v.productIds },
      });
      message.success(t('live.created'));
      form.resetFields();
      navigate(`/merchant/live/${r.session.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="merchant-live">
      <Card title={t('live.newSession')}>
        <Form form={form} layout="inline" onFinish={create}>
          <Form.Item name="title" rules={[{ required: true, message: t('live.required') }]}>
            <Input placeholder={t('live.title')} maxLength={60} data-testid="live-title" />
          </Form.Item>
          <Form.Item name="scheduledAt" rules={[{ required: true, message: t('live.required') }]}>
            <DatePicker showTime placeholder={t('live.time')} />
          </Form.Item>
          <Form.Item name="productIds" rules={[{ required: true, message: t('live.required') }]}>
            <Select
              mode="multiple"
              style={{ minWidth: 320 }}
              placeholder={t('live.productsToSell')}
              options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('live.create')}
          </Button>
        </Form>
      </Card>
      <Card title={t('live.sessions')}>
        <Table
          rowKey="id"
          loading={sessions.loading}
          dataSource={sessions.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('live.title'), dataIndex: 'title' },
            { title: t('live.time'), dataIndex: 'scheduledAt', render: (v: string) => formatTime(v) },
            {
              title: t('live.status'),
              dataIndex: 'status',
              render: (v: string) => (
                <Tag color={STATUS_COLOR[v]}>{t(`live.${v === 'scheduled' ? 'scheduled' : v}`)}</Tag>
              ),
            },
            { title: t('live.reservationsTitle'), dataIndex: 'reservations' },
            {
              title: '',
              render: (_: unknown, s: { id: string }) => (
                <Space>
                  <Link to={`/merchant/live/${s.id}`}>{t('live.console')}</Link>
                  <Link to={`/merchant/live/${s.id}/report`}>{t('live.report')}</Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** `live/:id`: the live console. */
export function LiveConsolePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const state = useAsync(
    (signal) => api.get('/merchant/live/sessions/{id}', { params: { path: { id } }, signal }),
    [id],
  );
  const [viewers, setViewers] = useState<number | null>(null);
  const [comments, setComments] = useState<Array<{ id: string; name: string; text: string }>>([]);
  const s = state.data?.session;
  useEffect(() => setComments(s?.comments ?? []), [s]);
  useSocket(id ? `/live/sessions/${id}/room` : null, (m: RoomMessage) => {
    if (m.type === 'viewers') setViewers(Number(m.count));
    else if (m.type === 'comment') setComments((c) => [...c.slice(-99), m as never]);
    else if (m.type === 'sale' || m.type === 'session') state.reload();
  });
  const act = async (what: 'start' | 'stop') => {
    try {
      await api.post(`/merchant/live/sessions/{id}/${what}`, { params: { path: { id } } });
      message.success(t(what === 'start' ? 'live.started' : 'live.stopped'));
      state.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const pin = async (productId: string | null) => {
    try {
      await api.put('/merchant/live/sessions/{id}/pin', { params: { path: { id } }, body: { productId } });
      state.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const push = async (couponId: string) => {
    try {
      await api.post('/merchant/live/sessions/{id}/coupons', {
        params: { path: { id } },
        body: { couponId },
      });
      message.success(t('live.pushed'));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  if (!s) return <Card loading={state.loading}>{state.error ? errorMessage(state.error) : null}</Card>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="live-console" data-status={s.status}>
      <Card
        title={
          <Space>
            {s.title}
            <Tag color={STATUS_COLOR[s.status]}>{t(`live.${s.status}`)}</Tag>
          </Space>
        }
        extra={
          <Space>
            {s.status === 'scheduled' && (
              <Button type="primary" danger onClick={() => act('start')} data-testid="live-start">
                {t('live.start')}
              </Button>
            )}
            {(s.status === 'live' || s.status === 'scheduled') && (
              <Button onClick={() => act('stop')} data-testid="live-stop">
                {t('live.stop')}
              </Button>
            )}
            <Link to={`/merchant/live/${s.id}/report`}>{t('live.report')}</Link>
          </Space>
        }
      >
        <Row gutter={16}>
          <Col span={4}>
            <Statistic title={t('live.viewers', { count: '' })} value={viewers ?? s.viewers} />
          </Col>
          <Col span={4}>
            <Statistic title={t('live.uniqueViewers')} value={s.uniqueViewers} />
          </Col>
          <Col span={4}>
            <Statistic title={t('live.peakViewers')} value={s.peakViewers} />
          </Col>
          <Col span={4}>
            <Statistic title={t('live.orders')} value={s.orders} />
          </Col>
          <Col span={4}>
            <Statistic title={t('live.gmv')} value={formatFen(s.gmvFen)} data-testid="live-gmv" />
          </Col>
          <Col span={4}>
            <Statistic title={t('live.reservationsTitle')} value={s.reservations} />
          </Col>
        </Row>
      </Card>
      <IngestPanel sessionId={s.id} />
      <Row gutter={16}>
        <Col span={12}>
          <Card title={t('live.products')}>
            <List
              dataSource={s.products}
              renderItem={(p) => (
                <List.Item
                  data-testid="live-console-product"
                  data-product={p.id}
                  data-pinned={s.pinnedProductId === p.id}
                  actions={[
                    s.pinnedProductId === p.id ? (
                      <Button key="u" size="small" onClick={() => pin(null)}>
                        {t('live.unpin')}
                      </Button>
                    ) : (
                      <Button
                        key="p"
                        size="small"
                        type="primary"
                        disabled={s.status !== 'live'}
                        onClick={() => pin(p.id)}
                        data-testid="live-pin"
                        data-product={p.id}
                      >
                        {t('live.pin')}
                      </Button>
                    ),
                  ]}
                >
                  <Space>
                    {s.pinnedProductId === p.id && <Tag color="orange">{t('live.pinned')}</Tag>}
                    {p.title} {formatFen(p.priceFen)}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <FlashSalePanel sessionId={s.id} productIds={s.productIds} />
          {s.coupons.length > 0 && (
            <Card title={t('live.coupons')}>
              {s.coupons.map((c) => (
                <Space key={c.id} style={{ marginRight: 12 }}>
                  {c.title}
                  <Button size="small" disabled={s.status !== 'live'} onClick={() => push(c.id)}>
                    {t('live.pushCoupon')}
                  </Button>
                </Space>
              ))}
            </Card>
          )}
        </Col>
        <Col span={12}>
          <Card title={t('live.comments')} bodyStyle={{ maxHeight: 320, overflowY: 'auto' }}>
            {comments.length === 0
              ? t('live.noComments')
              : comments.map((c) => (
                  <div key={c.id}>
                    <b>{c.name}</b> {c.text}
                  </div>
                ))}
          </Card>
          <Card title={t('live.sales')}>
            {s.sales.length === 0
              ? t('live.noSales')
              : s.sales.map((x) => (
                  <div key={`${x.at}-${x.name}-${x.productTitle}`}>
                    {t('live.bought', { name: x.name, title: x.productTitle, quantity: x.quantity })}
                  </div>
                ))}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
