import { Card, Col, Grid, Row, Skeleton, Statistic, Table } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import { costsApi, type GuaranteeCost } from '../console/trust-api.ts';
import { useGuaranteeName } from '../console/trust-view.tsx';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const PALETTE = ['#ff4d00', '#1677ff', '#13c2c2', '#722ed1', '#52c41a', '#fa8c16', '#eb2f96', '#2f54eb'];

/** What each platform-funded guarantee has cost (the ledger's `platform_expense:<guarantee>`): chart + table. */
export function GuaranteeCostsPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const name = useGuaranteeName();
  const costs = useAsync((signal) => costsApi.platform(signal), []);
  const rows = [...(costs.data?.items ?? [])].sort((a, b) => b.fen - a.fen);
  const total = costs.data?.totalFen ?? 0;
  const pp = costs.data?.priceProtection;
  return (
    <div data-testid="ops-guarantee-costs">
      <h1 className="c-page-title">{t('trustConsole.menu.guaranteeCosts')}</h1>
      {costs.error ? (
        <ErrorAlert error={costs.error} onRetry={costs.reload} />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} md={8}>
              <Card>
                <Statistic
                  title={t('trustConsole.costs.total')}
                  loading={costs.loading && !costs.data}
                  value={formatFen(total)}
                  styles={{ content: { color: '#ff4d00' } }}
                />
                <span hidden data-testid="ops-cost-total">
                  {costs.data ? total : ''}
                </span>
              </Card>
            </Col>
            {pp ? (
              <>
                <Col xs={12} md={8}>
                  <Card>
                    <Statistic title={t('trustConsole.costs.drops')} value={pp.drops} />
                  </Card>
                </Col>
                <Col xs={12} md={8}>
                  <Card>
                    <Statistic title={t('trustConsole.costs.payouts')} value={pp.payouts} />
                  </Card>
                </Col>
              </>
            ) : null}
          </Row>
          <Card
            title={t('trustConsole.costs.chart')}
            data-testid="guarantee-cost-chart"
            data-state={
              costs.loading && !costs.data ? 'loading' : rows.some((r) => r.fen !== 0) ? 'chart' : 'empty'
            }
          >
            {costs.loading && !costs.data ? (
              <Skeleton active paragraph={{ rows: 6 }} />
            ) : rows.some((r) => r.fen !== 0) ? (
              <ReactEChartsCore
                echarts={echarts}
                style={{ height: Math.max(240, rows.length * 44 + 40) }}
                option={{
                  tooltip: {
                    trigger: 'axis',
                    axisPointer: { type: 'shadow' },
                    valueFormatter: (v: number) => `¥${Number(v).toFixed(2)}`,
                  },
                  grid: { left: 8, right: narrow ? 56 : 96, top: 8, bottom: 8, containLabel: true },
                  yAxis: { type: 'category', inverse: true, data: rows.map((r) => name(r.guarantee)) },
                  xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `¥${v}` } },
                  series: [
                    {
                      type: 'bar',
                      barMaxWidth: 28,
                      data: rows.map((r, i) => ({
                        value: r.fen / 100,
                        itemStyle: { color: PALETTE[i % PALETTE.length] },
                      })),
                      label: {
                        show: true,
                        position: 'right',
                        formatter: (p: { value: number }) => `¥${p.value.toFixed(2)}`,
                      },
                    },
                  ],
                }}
              />
            ) : (
              <EmptyState text={t('trustConsole.costs.none')} />
            )}
          </Card>
          <Card title={t('trustConsole.costs.table')} style={{ marginTop: 16 }}>
            <Table<GuaranteeCost>
              rowKey="guarantee"
              loading={costs.loading}
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: <EmptyState text={t('trustConsole.costs.none')} /> }}
              onRow={(r) =>
                ({
                  'data-testid': 'guarantee-cost-row',
                  'data-guarantee': r.guarantee,
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('trustConsole.guarantees.guarantee'),
                  dataIndex: 'guarantee',
                  render: (v: string) => name(v),
                },
                { title: t('trustConsole.costs.count'), dataIndex: 'count', width: 140 },
                {
                  title: t('trustConsole.guarantees.cost'),
                  dataIndex: 'fen',
                  width: 160,
                  align: 'right',
                  render: (v: number) => (
                    <span data-testid="guarantee-cost-fen" data-fen={v}>
                      {formatFen(v)}
                    </span>
                  ),
                },
                {
                  title: t('trustConsole.costs.share'),
                  key: 'share',
                  width: 120,
                  align: 'right',
                  render: (_, r) => (total ? `${((r.fen / total) * 100).toFixed(1)}%` : '—'),
                },
              ]}
              summary={() =>
                rows.length ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('trustConsole.costs.total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1}>{rows.reduce((s, r) => s + r.count, 0)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      <b>{formatFen(total)}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} />
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Card>
        </>
      )}
    </div>
  );
}
