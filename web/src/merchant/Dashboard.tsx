import { Button, Card, Col, Descriptions, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type MerchantDashboard } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';
import { ExperienceCard } from './Experience.tsx';
import { ReviewsCard } from './Reviews.tsx';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const GMV_COLOR = '#ff4d00';
const ORDERS_COLOR = '#1677ff';
const TO_SHIP = '/merchant/orders?status=paid';

export function useMyStore() {
  return useAsync((signal) => api.get('/stores/mine', { signal }), []);
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const store = useMyStore();
  const dashboard = useAsync((signal) => api.get('/merchant/dashboard', { signal }), []);
  const balance = useAsync((signal) => api.get('/merchant/balance', { signal }), []);
  const products = useAsync(
    (signal) => api.get('/merchant/products', { params: { query: { page: 1, pageSize: 1 } }, signal }),
    [],
  );
  const s = store.data?.store;
  const d = dashboard.data;
  const dLoading = dashboard.loading && !d;
  return (
    <div data-testid="merchant-dashboard">
      <h1 className="c-page-title">
        {s ? t('merchant.welcome', { name: s.name }) : t('merchant.menu.dashboard')}
      </h1>
      {store.error ? <ErrorAlert error={store.error} onRetry={store.reload} /> : null}
      {dashboard.error ? <ErrorAlert error={dashboard.error} onRetry={dashboard.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card hoverable onClick={() => navigate(TO_SHIP)} data-testid="dashboard-to-ship">
            <Statistic
              title={t('merchant.toShip')}
              loading={dLoading}
              value={d?.toShip ?? '—'}
              styles={{ content: { color: d?.toShip ? GMV_COLOR : undefined } }}
            />
            <span hidden data-testid="dashboard-to-ship-count">
              {d?.toShip}
            </span>
            <Link to={TO_SHIP} onClick={(e) => e.stopPropagation()} data-testid="dashboard-to-ship-link">
              {t('consoles.dashboard.goShip')} →
            </Link>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('consoles.dashboard.todayGmv')}
              loading={dLoading}
              value={d ? formatFen(d.todayGmvFen) : '—'}
            />
            <span hidden data-testid="dashboard-today-gmv">
              {d?.todayGmvFen}
            </span>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('consoles.dashboard.todayOrders')}
              loading={dLoading}
              value={d?.todayOrders ?? '—'}
            />
            <span hidden data-testid="dashboard-today-orders">
              {d?.todayOrders}
            </span>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('consoles.dashboard.payable')}
              loading={balance.loading && !balance.data}
              value={balance.data ? formatFen(balance.data.payableFen) : '—'}
              styles={{ content: { color: '#389e0d' } }}
            />
            <span data-testid="balance-payable" hidden>
              {balance.data?.payableFen}
            </span>
            <Typography.Text type="secondary">
              {t('consoles.dashboard.pending', {
                amount: balance.data ? formatFen(balance.data.pendingFen) : '—',
              })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <ExperienceCard />
        </Col>
        <Col xs={24} lg={10}>
          <ReviewsCard />
        </Col>
      </Row>
      {balance.error ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={balance.error} onRetry={balance.reload} />
        </div>
      ) : null}
      <Card
        style={{ marginTop: 16 }}
        title={t('consoles.dashboard.trend')}
        extra={<Typography.Text type="secondary">{t('consoles.dashboard.beijingTime')}</Typography.Text>}
        data-testid="dashboard-trend"
        data-state={dLoading ? 'loading' : d?.daily.some((x) => x.orders > 0) ? 'chart' : 'empty'}
      >
        {dLoading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : d?.daily.some((x) => x.orders > 0) ? (
          <SalesTrend daily={d.daily} />
        ) : (
          <EmptyState text={t('consoles.dashboard.trendEmpty')} />
        )}
      </Card>
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
            <Descriptions.Item label={t('merchant.products')}>
              <Link to="/merchant/products">{products.data?.total ?? '—'}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.openStore')}>
              <Tag color="green">{t('merchant.noFee')}</Tag>
              <Tag color="green">{t('merchant.noDeposit')}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('merchant.storeDesc')}>{s.description || '—'}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
    </div>
  );
}

/** GMV (bars, yuan) and orders (line) per business day; the server sends every day, quiet ones as 0. */
function SalesTrend({ daily }: { daily: MerchantDashboard['daily'] }) {
  const { t } = useTranslation();
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 300 }}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: daily.map((x) => x.day.slice(5)) },
        yAxis: [
          { type: 'value', name: t('consoles.dashboard.trendGmv'), minInterval: 1 },
          {
            type: 'value',
            name: t('consoles.dashboard.trendOrders'),
            minInterval: 1,
            splitLine: { show: false },
          },
        ],
        series: [
          {
            name: t('consoles.dashboard.trendGmv'),
            type: 'bar',
            itemStyle: { color: GMV_COLOR },
            data: daily.map((x) => x.gmvFen / 100),
          },
          {
            name: t('consoles.dashboard.trendOrders'),
            type: 'line',
            yAxisIndex: 1,
            itemStyle: { color: ORDERS_COLOR },
            data: daily.map((x) => x.orders),
          },
        ],
      }}
    />
  );
}
