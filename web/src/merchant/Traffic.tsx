import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  List,
  Progress,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import {
  bpsText,
  countText,
  ctrText,
  impressionsPerDay,
  percentOf,
  SOURCE_COLORS,
  SOURCES,
  type Source,
  type SourceTotals,
  totalsBySource,
} from '../console/traffic.ts';
import { SourceTag } from '../console/traffic-view.tsx';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import {
  type ColdStartPlan,
  type FuyaoCheck,
  type FuyaoPlan,
  type LaunchPlan,
  trafficApi,
} from './traffic-api.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const RANGES = [7, 14, 30] as const;

/** The store's traffic: its plans, impressions by source per day, and what each source brought. */
export function TrafficPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(14);
  const traffic = useAsync((signal) => trafficApi.traffic(days, signal), [days]);
  const plans = useAsync((signal) => trafficApi.plans(signal), []);
  const reload = () => {
    traffic.reload();
    plans.reload();
  };
  const d = traffic.data;
  const p = plans.data;
  const totals = d ? totalsBySource(d.rows) : [];
  const perDay = d ? impressionsPerDay(d.days, d.rows) : [];
  const any = totals.some((r) => r.impressions > 0);
  return (
    <div data-testid="merchant-traffic">
      <h1 className="c-page-title">
        {t('traffic.merchant.title')}
        <Space wrap>
          <Segmented
            value={days}
            onChange={(v) => setDays(Number(v))}
            options={RANGES.map((n) => ({ value: n, label: t('traffic.days', { n }) }))}
            data-testid="traffic-range"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={reload}
            loading={traffic.loading || plans.loading}
            data-testid="traffic-refresh-merchant"
          >
            {t('traffic.refresh')}
          </Button>
        </Space>
      </h1>
      <Typography.Paragraph type="secondary">{t('traffic.merchant.hint')}</Typography.Paragraph>
      {plans.error ? <ErrorAlert error={plans.error} onRetry={plans.reload} /> : null}
      {plans.loading && !p ? (
        <Card>
          <Skeleton active paragraph={{ rows: 3 }} />
        </Card>
      ) : p ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <ColdStartCard plan={p.coldStart} />
          </Col>
          <Col xs={24} lg={8}>
            <LaunchCard plan={p.launch} />
          </Col>
          <Col xs={24} lg={8}>
            <FuyaoCard plan={p.fuyao} />
          </Col>
        </Row>
      ) : null}
      {traffic.error ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={traffic.error} onRetry={traffic.reload} />
        </div>
      ) : null}
      <Card
        style={{ marginTop: 16 }}
        title={t('traffic.merchant.chart')}
        extra={<Typography.Text type="secondary">{t('traffic.beijingTime')}</Typography.Text>}
        data-testid="traffic-chart"
        data-state={traffic.loading && !d ? 'loading' : any ? 'chart' : 'empty'}
        data-days={perDay.length}
      >
        {traffic.loading && !d ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : any ? (
          <SourceChart perDay={perDay} />
        ) : (
          <EmptyState text={t('traffic.merchant.noTraffic')} />
        )}
      </Card>
      <Card style={{ marginTop: 16 }} title={t('traffic.merchant.table')}>
        <SourceTable rows={any ? totals : []} loading={traffic.loading && !d} />
      </Card>
    </div>
  );
}

/** Impressions per day, stacked by source (every source every day, quiet ones as 0). */
function SourceChart({ perDay }: { perDay: ReturnType<typeof impressionsPerDay> }) {
  const { t } = useTranslation();
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 320 }}
      option={{
        // drawn at once: screenshots and tests see the final chart
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: perDay.map((x) => x.day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1, name: t('traffic.impressions') },
        series: SOURCES.map((s) => ({
          name: t(`traffic.source.${s}`),
          type: 'bar',
          stack: 'impressions',
          barMaxWidth: 36,
          itemStyle: { color: SOURCE_COLORS[s] },
          emphasis: { focus: 'series' },
          data: perDay.map((x) => x.impressions[s]),
        })),
      }}
    />
  );
}

function SourceTable({ rows, loading }: { rows: SourceTotals[]; loading: boolean }) {
  const { t } = useTranslation();
  const sum = (k: 'impressions' | 'clicks' | 'orders' | 'gmvFen') => rows.reduce((a, r) => a + r[k], 0);
  return (
    <Table<SourceTotals>
      rowKey="source"
      dataSource={rows}
      loading={loading}
      pagination={false}
      size="middle"
      scroll={{ x: 640 }}
      locale={{ emptyText: <EmptyState text={t('traffic.merchant.noTraffic')} /> }}
      onRow={(r) =>
        ({
          'data-testid': 'traffic-source-row',
          'data-source': r.source,
          'data-impressions': r.impressions,
        }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t('traffic.sourceCol'),
          dataIndex: 'source',
          render: (s: Source) => <SourceTag source={s} />,
        },
        { title: t('traffic.impressions'), dataIndex: 'impressions', align: 'right', render: countText },
        { title: t('traffic.clicks'), dataIndex: 'clicks', align: 'right', render: countText },
        {
          title: t('traffic.ctr'),
          key: 'ctr',
          align: 'right',
          render: (_, r) => ctrText(r.clicks, r.impressions),
        },
        { title: t('traffic.orders'), dataIndex: 'orders', align: 'right', render: countText },
        { title: t('traffic.gmv'), dataIndex: 'gmvFen', align: 'right', render: (v: number) => formatFen(v) },
      ]}
      summary={() =>
        rows.length ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <b>{t('common.total')}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {countText(sum('impressions'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {countText(sum('clicks'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {ctrText(sum('clicks'), sum('impressions'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {countText(sum('orders'))}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              <b>{formatFen(sum('gmvFen'))}</b>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

/** An instant as its Beijing date, in the reader's language. */
export const beijingDate = (iso: string | null | undefined, lang: string) =>
  iso
    ? new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' })
    : '—';
/** A business day (YYYY-MM-DD) in the reader's language. */
export const dayText = (day: string | null | undefined, lang: string) =>
  day ? beijingDate(`${day}T12:00:00+08:00`, lang) : '—';

/** Cold start (新店冷启动): new until when, today's guaranteed minimum and what was delivered so far. */
function ColdStartCard({ plan }: { plan: ColdStartPlan }) {
  const { t, i18n } = useTranslation();
  const reached = plan.minimum > 0 && plan.delivered >= plan.minimum;
  return (
    <Card
      title={<SourceTag source="cold_start" />}
      extra={
        plan.isNew ? (
          <Tag color="blue">{t('traffic.merchant.coldStart.new')}</Tag>
        ) : (
          <Tag>{t('traffic.merchant.coldStart.graduated')}</Tag>
        )
      }
      style={{ height: '100%' }}
      data-testid="plan-cold-start"
      data-new={String(plan.isNew)}
      data-minimum={plan.minimum}
      data-delivered={plan.delivered}
    >
      {plan.isNew ? (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'until',
                label: t('traffic.merchant.coldStart.newUntil'),
                children: beijingDate(plan.newUntil, i18n.language),
              },
              {
                key: 'min',
                label: t('traffic.merchant.coldStart.minimum'),
                children: countText(plan.minimum),
              },
              {
                key: 'delivered',
                label: t('traffic.merchant.coldStart.delivered'),
                children: countText(plan.delivered),
              },
            ]}
          />
          <Progress
            percent={percentOf(plan.delivered, plan.minimum)}
            status={reached ? 'success' : 'active'}
            strokeColor={reached ? undefined : SOURCE_COLORS.cold_start}
            data-testid="cold-start-progress"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {plan.productsOnSale === 0
              ? t('traffic.merchant.coldStart.noLiveProducts')
              : reached
                ? t('traffic.merchant.coldStart.reached')
                : t('traffic.merchant.coldStart.pacing')}
          </Typography.Text>
        </>
      ) : (
        <Typography.Text type="secondary">
          {t('traffic.merchant.coldStart.graduatedHint', { day: beijingDate(plan.newUntil, i18n.language) })}
        </Typography.Text>
      )}
    </Card>
  );
}

/** Launch plan (启航计划): credits granted, spent and left, and today's pace. */
function LaunchCard({ plan }: { plan: LaunchPlan }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      title={<SourceTag source="launch" />}
      style={{ height: '100%' }}
      data-testid="plan-launch"
      data-state={plan.granted > 0 ? 'granted' : 'none'}
      data-remaining={plan.remaining}
    >
      {plan.granted > 0 ? (
        <>
          <Row gutter={8}>
            <Col span={8}>
              <Statistic title={t('traffic.merchant.launch.granted')} value={countText(plan.granted)} />
            </Col>
            <Col span={8}>
              <Statistic title={t('traffic.merchant.launch.spent')} value={countText(plan.spent)} />
            </Col>
            <Col span={8}>
              <Statistic
                title={t('traffic.merchant.launch.remaining')}
                value={countText(plan.remaining)}
                styles={{ content: { color: SOURCE_COLORS.launch } }}
              />
            </Col>
          </Row>
          <Progress
            percent={percentOf(plan.spent, plan.granted)}
            strokeColor={SOURCE_COLORS.launch}
            showInfo={false}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {plan.remaining > 0
              ? t('traffic.merchant.launch.pace', {
                  delivered: countText(plan.todayDelivered),
                  target: countText(plan.todayTarget),
                  day: dayText(plan.endsOn, i18n.language),
                })
              : t('traffic.merchant.launch.used')}
          </Typography.Text>
        </>
      ) : (
        <EmptyState text={t('traffic.merchant.launch.none')} />
      )}
    </Card>
  );
}

/** A Fuyao criterion's figure in its unit: stars, a rate (basis points), hours. */
function checkValue(c: FuyaoCheck, v: number | null): string {
  if (v === null) return '—';
  switch (c.criterion) {
    case 'rating':
      return v.toFixed(2);
    case 'refund_rate':
    case 'ctr':
    case 'gmv_growth':
      return bpsText(v);
    default:
      return countText(v);
  }
}

/** Fuyao plan (扶摇计划): whether the store is in it, and each criterion it passes or not. */
function FuyaoCard({ plan }: { plan: FuyaoPlan }) {
  const { t, i18n } = useTranslation();
  const color: Record<FuyaoPlan['status'], string> = {
    active: 'purple',
    ended: 'default',
    not_eligible: 'orange',
    in_cold_start: 'blue',
  };
  return (
    <Card
      title={<SourceTag source="fuyao" />}
      extra={
        <Tag color={color[plan.status]} data-testid="fuyao-status" data-status={plan.status}>
          {t(`traffic.merchant.fuyao.status.${plan.status}`)}
        </Tag>
      }
      style={{ height: '100%' }}
      data-testid="plan-fuyao"
    >
      {plan.status === 'active' || plan.status === 'ended' ? (
        <Typography.Paragraph style={{ fontSize: 12 }}>
          {t('traffic.merchant.fuyao.period', {
            from: dayText(plan.startsOn, i18n.language),
            to: dayText(plan.endsOn, i18n.language),
            perDay: countText(plan.budgetPerDay),
            today: countText(plan.todayDelivered),
          })}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('traffic.merchant.fuyao.hint')}
        </Typography.Paragraph>
      )}
      <List
        size="small"
        dataSource={plan.checks}
        renderItem={(c) => (
          <List.Item data-testid="fuyao-check" data-criterion={c.criterion} data-pass={String(c.pass)}>
            <Space>
              <Tag color={c.pass ? 'green' : 'red'}>
                {c.pass ? t('traffic.merchant.fuyao.pass') : t('traffic.merchant.fuyao.fail')}
              </Tag>
              {c.criterion === 'cold_start'
                ? t('traffic.criterion.cold_start')
                : t(`traffic.criterion.${c.criterion}`, {
                    value: checkValue(c, c.value),
                    threshold: checkValue(c, c.threshold),
                  })}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
