import { Button, Card, Col, Descriptions, Row, Skeleton, Statistic, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Order, type Page, type ProductRow, type Store } from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

export function useMyStore() {
  return useAsync((signal) => api.get<{ store: Store }>('/stores/mine', undefined, signal), []);
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const store = useMyStore();
  const balance = useAsync(
    (signal) => api.get<{ payableFen: number; pendingFen: number }>('/merchant/balance', undefined, signal),
    [],
  );
  const counts = useAsync(async (signal) => {
    const [products, toShip] = await Promise.all([
      api.get<Page<ProductRow>>('/merchant/products', { page: 1, pageSize: 1 }, signal),
      api.get<Page<Order>>('/merchant/orders', { status: 'paid', page: 1, pageSize: 1 }, signal),
    ]);
    return { products: products.total, toShip: toShip.total };
  }, []);
  const s = store.data?.store;
  return (
    <div data-testid="merchant-dashboard">
      <h1 className="c-page-title">
        {s ? t('merchant.welcome', { name: s.name }) : t('merchant.menu.dashboard')}
      </h1>
      {store.error ? <ErrorAlert error={store.error} onRetry={store.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} lg={6}>
          <Card>
            <Statistic
              title={t('merchant.payable')}
              loading={balance.loading && !balance.data}
              value={balance.data ? formatFen(balance.data.payableFen) : '—'}
              styles={{ content: { color: '#389e0d' } }}
            />
            <span data-testid="balance-payable" hidden>
              {balance.data?.payableFen}
            </span>
          </Card>
        </Col>
        <Col xs={24} md={12} lg={6}>
          <Card>
            <Statistic
              title={t('merchant.pending')}
              loading={balance.loading && !balance.data}
              value={balance.data ? formatFen(balance.data.pendingFen) : '—'}
            />
          </Card>
        </Col>
        <Col xs={24} md={12} lg={6}>
          <Card hoverable onClick={() => navigate('/merchant/products')}>
            <Statistic
              title={t('merchant.products')}
              loading={counts.loading && !counts.data}
              value={counts.data?.products ?? '—'}
            />
          </Card>
        </Col>
        <Col xs={24} md={12} lg={6}>
          <Card hoverable onClick={() => navigate('/merchant/orders?status=paid')}>
            <Statistic
              title={t('status.paid')}
              loading={counts.loading && !counts.data}
              value={counts.data?.toShip ?? '—'}
            />
          </Card>
        </Col>
      </Row>
      {balance.error ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={balance.error} onRetry={balance.reload} />
        </div>
      ) : null}
      <Card
        style={{ marginTop: 16 }}
        title={t('merchant.menu.store')}
        extra={<Button onClick={() => navigate('/merchant/store')}>{t('common.edit')}</Button>}
      >
        {store.loading && !s ? (
          <Skeleton active />
        ) : s ? (
          <Descriptions column={{ xs: 1, md: 2 }} data-testid="store-profile">
            <Descriptions.Item label={t('merchant.storeName')}>{s.name}</Descriptions.Item>
            <Descriptions.Item label={t('merchant.businessType')}>
              {t(`merchant.businessTypes.${s.businessType}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.openedAt')}>
              {formatTime(s.openedAt, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.openStore')}>
              <Tag color="green">{t('merchant.noFee')}</Tag>
              <Tag color="green">{t('merchant.noDeposit')}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.storeDesc')} span={2}>
              {s.description || '—'}
            </Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
    </div>
  );
}
