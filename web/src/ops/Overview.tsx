import { Card, Col, Grid, Row, Skeleton, Statistic } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { api, ORDER_STATUSES, type Overview } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { DeadLettersCard } from './DeadLetters.tsx';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<string, string> = {
  pending_payment: '#fa8c16',
  paid: '#1677ff',
  shipped: '#13c2c2',
  delivered: '#2f54eb',
  completed: '#52c41a',
  cancelled: '#bfbfbf',
  expired: '#8c8c8c',
};

export function OverviewPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const overview = useAsync((signal) => api.get('/ops/overview', { signal }), []);
  const byStatus = useAsync(
    (signal) =>
      Promise.all(
        ORDER_STATUSES.map(async (status) => {
          const page = await api.get('/ops/orders', {
            params: { query: { status, pageSize: 1 } },
            signal,
          });
          return { status, count: page.total, capped: page.totalCapped };
        }),
      ),
    [],
  );
  const o = overview.data;
  const stats: Array<{ key: keyof Overview; title: string; money?: boolean }> = [
    { key: 'gmvFen', title: t('ops.gmv'), money: true },
    { key: 'orders', title: t('ops.orders') },
    { key: 'paidOrders', title: t('ops.paidOrders') },
    { key: 'merchants', title: t('ops.merchants') },
    { key: 'buyers', title: t('ops.buyers') },
    { key: 'products', title: t('ops.products') },
  ];
  return (
    <div data-testid="ops-overview">
      <h1 className="c-page-title">{t('ops.menu.overview')}</h1>
      {overview.error ? <ErrorAlert error={overview.error} onRetry={overview.reload} /> : null}
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} md={8} xl={4}>
            <Card>
              <Statistic
                title={s.title}
                loading={overview.loading && !o}
                value={o ? (s.money ? formatFen(o[s.key]) : o[s.key]) : '—'}
                styles={s.money ? { content: { color: '#ff4d00' } } : undefined}
              />
              <span hidden data-testid={`ops-stat-${s.key}`}>
                {o?.[s.key]}
              </span>
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t('ops.ordersByStatus')} style={{ marginTop: 16 }} data-testid="orders-by-status-chart">
        {byStatus.error ? (
          <ErrorAlert error={byStatus.error} onRetry={byStatus.reload} />
        ) : byStatus.loading && !byStatus.data ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : byStatus.data?.some((d) => d.count > 0) ? (
          <ReactEChartsCore
            echarts={echarts}
            style={{ height: 340 }}
            option={{
              tooltip: { trigger: 'axis' },
              // On a phone the seven statuses' names do not fit side by side (ECharts drops those that
              // would overlap): the bars lie down, one named row per status.
              grid: narrow
                ? { left: 8, right: 40, top: 8, bottom: 8, containLabel: true }
                : { left: 48, right: 24, top: 24, bottom: 40 },
              [narrow ? 'yAxis' : 'xAxis']: {
                type: 'category',
                inverse: narrow,
                data: byStatus.data.map((d) => t(`status.${d.status}`)),
              },
              [narrow ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
              series: [
                {
                  type: 'bar',
                  barMaxWidth: 48,
                  data: byStatus.data.map((d) => ({
                    value: d.count,
                    itemStyle: { color: COLORS[d.status] },
                  })),
                  label: {
                    show: true,
                    position: narrow ? 'right' : 'top',
                    // the order list counts up to a cap: a status past it reads "10000+"
                    formatter: ({ dataIndex }: { dataIndex: number }) => {
                      const d = byStatus.data?.[dataIndex];
                      return d ? `${d.count}${d.capped ? '+' : ''}` : '';
                    },
                  },
                },
              ],
            }}
          />
        ) : (
          <EmptyState />
        )}
      </Card>
      <DeadLettersCard />
    </div>
  );
}
