import { Card, Col, Row, Segmented, Skeleton, Statistic } from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCoreModule from 'echarts-for-react/lib/core.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { useAsync } from '../shared/hooks.ts';
import { pct, sizingApi } from '../shared/sizing-api.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type EChartsComponent = typeof import('echarts-for-react/lib/core.js').default;
const ReactEChartsCore = ((ReactEChartsCoreModule as unknown as { default?: EChartsComponent }).default ??
  ReactEChartsCoreModule) as EChartsComponent;

const WITH = '#30a46c';
const WITHOUT = '#bfbfbf';
const SHARE = '#ff4d00';
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** 尺码助手 (ops): recommendation share of apparel order lines and size refund rates with/without. */
export function SizeMetricsPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const { data, error, loading, reload } = useAsync((signal) => sizingApi.metrics(days, signal), [days]);
  const m = data;
  const hasLines = (m?.apparelLines ?? 0) > 0;
  const stats = [
    { key: 'share', title: t('sizing.metrics.share'), value: pct(m?.recommendationShare, 1) },
    { key: 'lines', title: t('sizing.metrics.lines'), value: m?.apparelLines ?? '—' },
    {
      key: 'refundWith',
      title: t('sizing.metrics.refundWith'),
      value: pct(m?.sizeRefundRate.withRecommendation, 1),
    },
    {
      key: 'refundWithout',
      title: t('sizing.metrics.refundWithout'),
      value: pct(m?.sizeRefundRate.withoutRecommendation, 1),
    },
    { key: 'shown', title: t('sizing.metrics.shown'), value: m?.recommendationsShown ?? '—' },
  ];
  const pctAxis = { type: 'value' as const, axisLabel: { formatter: '{value}%' }, min: 0 };
  return (
    <div data-testid="size-metrics">
      <h1 className="c-page-title">
        {t('sizing.metrics.title')}
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={[7, 30, 90].map((n) => ({ value: n, label: t('sizing.metrics.days', { n }) }))}
          data-testid="size-metrics-days"
        />
      </h1>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} flex="1 1 200px">
            <Card>
              <Statistic title={s.title} loading={loading && !m} value={s.value} />
              <span hidden data-testid={`size-stat-${s.key}`}>
                {String(s.value)}
              </span>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={9}>
          <Card
            title={t('sizing.metrics.refundCompare')}
            data-testid="size-metrics-chart"
            data-chart="refunds"
          >
            {loading && !m ? (
              <Skeleton active paragraph={{ rows: 6 }} />
            ) : m && hasLines ? (
              <ReactEChartsCore
                echarts={echarts}
                style={{ height: 320 }}
                option={{
                  tooltip: {
                    trigger: 'axis',
                    valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`),
                  },
                  grid: { left: 48, right: 16, top: 24, bottom: 48 },
                  xAxis: {
                    type: 'category',
                    // every label shown, wrapped to its bar's width (ECharts drops a label that would overlap)
                    axisLabel: { interval: 0, width: 120, overflow: 'break' },
                    data: [
                      `${t('sizing.metrics.withRec')}\n(${m.linesWithRecommendation})`,
                      `${t('sizing.metrics.withoutRec')}\n(${m.apparelLines - m.linesWithRecommendation})`,
                    ],
                  },
                  yAxis: pctAxis,
                  series: [
                    {
                      type: 'bar',
                      barMaxWidth: 64,
                      label: { show: true, position: 'top', formatter: '{c}%' },
                      data: [
                        {
                          // null (no lines of that kind) draws no bar rather than a false 0%
                          value: round1(m.sizeRefundRate.withRecommendation),
                          itemStyle: { color: WITH },
                        },
                        {
                          value: round1(m.sizeRefundRate.withoutRecommendation),
                          itemStyle: { color: WITHOUT },
                        },
                      ],
                    },
                  ],
                }}
              />
            ) : (
              <EmptyState text={t('sizing.metrics.empty')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card title={t('sizing.metrics.daily')} data-testid="size-metrics-chart" data-chart="daily">
            {loading && !m ? (
              <Skeleton active paragraph={{ rows: 6 }} />
            ) : m && m.daily.length > 0 ? (
              <ReactEChartsCore
                echarts={echarts}
                style={{ height: 320 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  // one scrollable line: wrapped, the long English names ran into the plot on phones
                  legend: { top: 0, type: 'scroll' },
                  grid: { left: 48, right: 48, top: 40, bottom: 32 },
                  xAxis: { type: 'category', data: m.daily.map((d) => d.day.slice(5, 10)) },
                  yAxis: [pctAxis, { type: 'value', minInterval: 1, splitLine: { show: false } }],
                  series: [
                    {
                      name: t('sizing.metrics.dailyLines'),
                      type: 'bar',
                      yAxisIndex: 1,
                      itemStyle: { color: '#e6f4ff' },
                      data: m.daily.map((d) => d.lines),
                    },
                    {
                      name: t('sizing.metrics.dailyShare'),
                      type: 'line',
                      // straight segments: a smoothed curve overshot past 100% and below 0% between days
                      itemStyle: { color: SHARE },
                      data: m.daily.map((d) => round1(d.recommendationShare)),
                    },
                    {
                      name: t('sizing.metrics.dailyRefundWith'),
                      type: 'line',
                      connectNulls: true,
                      itemStyle: { color: WITH },
                      data: m.daily.map((d) => round1(d.refundRateWith)),
                    },
                    {
                      name: t('sizing.metrics.dailyRefundWithout'),
                      type: 'line',
                      connectNulls: true,
                      itemStyle: { color: '#8c8c8c' },
                      lineStyle: { type: 'dashed' },
                      data: m.daily.map((d) => round1(d.refundRateWithout)),
                    },
                  ],
                }}
              />
            ) : (
              <EmptyState text={t('sizing.metrics.empty')} />
            )}
          </Card>
        </Col>
      </Row>
      {m && (
        <Card title={t('sizing.metrics.fitOutcomes')} style={{ marginTop: 16 }}>
          <Row gutter={16}>
            {(['small', 'fit', 'large'] as const).map((k) => (
              <Col key={k} span={8}>
                <Statistic title={t(`sizing.fitOutcome.${k}`)} value={m.fitOutcomes[k]} />
              </Col>
            ))}
          </Row>
        </Card>
      )}
    </div>
  );
}
