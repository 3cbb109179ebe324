import { ArrowDownOutlined, ArrowUpOutlined, InfoCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../shared/hooks.ts';
import { EmptyState, ErrorAlert, PageSpin } from './ConsoleShell.tsx';
import { ReactEChartsCore } from './echarts.ts';
import {
  breakdownChart,
  breakdownValue,
  changeText,
  changeTone,
  chartValue,
  type Dashboard,
  groupedBreakdown,
  type MetricPanel,
  monthChoices,
  panelHasData,
  TONE_COLORS,
  trendOf,
  valueText,
} from './metrics.ts';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The month a browser is in, `YYYY-MM` (the picker's newest choice). */
function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/**
 * A dashboard (platform or store figures): a month picker, a KPI card per panel with its month-on-month
 * and year-on-year change, the chosen panel's monthly series, and every breakdown. Draws any panel list.
 */
export function MetricsDashboard({
  title,
  testId,
  load,
  aside,
}: {
  title: string;
  testId: string;
  load: (query: { month?: string; months: number }, signal: AbortSignal) => Promise<Dashboard>;
  /** Cards shown beside the figures (the merchant's village and plan progress). */
  aside?: ReactNode;
}) {
  const { t } = useTranslation();
  const [month, setMonth] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const board = useAsync((signal) => load({ month, months: 13 }, signal), [month]);
  const d = board.data;
  const panels = d?.panels ?? [];
  const shown = panels.find((p) => p.id === chosen) ?? panels[0];
  return (
    <div data-testid={testId}>
      <h1 className="c-page-title">
        {title}
        <Space wrap>
          <Select
            style={{ width: 140 }}
            value={month ?? d?.month ?? thisMonth()}
            onChange={setMonth}
            options={monthChoices(thisMonth()).map((m) => ({ value: m, label: m }))}
            aria-label={t('metrics.month')}
            data-testid="metrics-month"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={board.reload}
            loading={board.loading}
            data-testid="metrics-refresh"
          >
            {t('metrics.refresh')}
          </Button>
        </Space>
      </h1>
      {aside ? <div style={{ marginBottom: 16 }}>{aside}</div> : null}
      {board.error ? <ErrorAlert error={board.error} onRetry={board.reload} /> : null}
      {board.loading && !d ? (
        <PageSpin />
      ) : d && panels.length === 0 ? (
        <Card>
          <EmptyState text={t('metrics.noPanels')} />
        </Card>
      ) : d ? (
        <div data-testid="metrics-panels" data-month={d.month} data-count={panels.length}>
          <Row gutter={[16, 16]}>
            {panels.map((p) => (
              <Col key={p.id} xs={24} sm={12} lg={8} xl={6}>
                <KpiCard panel={p} active={shown?.id === p.id} onSelect={() => setChosen(p.id)} />
              </Col>
            ))}
          </Row>
          {shown ? <SeriesCard panel={shown} /> : null}
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            {panels
              .filter((p) => p.breakdown.length > 0)
              .map((p) => (
                <Col key={p.id} xs={24} lg={12}>
                  <BreakdownCard panel={p} />
                </Col>
              ))}
          </Row>
        </div>
      ) : null}
    </div>
  );
}

function PanelName({ panel }: { panel: MetricPanel }) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      {t(`metrics.panel.${panel.id}`, { defaultValue: panel.id })}
      <Tooltip title={panel.definition}>
        <InfoCircleOutlined
          style={{ color: '#8c8c8c' }}
          data-testid="metrics-definition"
          aria-label={panel.definition}
        />
      </Tooltip>
    </Space>
  );
}

function Change({ label, panelId, change }: { label: string; panelId: string; change: number | null }) {
  const trend = trendOf(change);
  const color = TONE_COLORS[changeTone(panelId, change)];
  return (
    <span style={{ color, marginRight: 12 }} data-trend={trend}>
      {label} {trend === 'up' ? <ArrowUpOutlined /> : trend === 'down' ? <ArrowDownOutlined /> : null}
      {changeText(change)}
    </span>
  );
}

function KpiCard({ panel, active, onSelect }: { panel: MetricPanel; active: boolean; onSelect: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      hoverable
      onClick={onSelect}
      style={active ? { borderColor: '#1677ff' } : undefined}
      title={<PanelName panel={panel} />}
      data-testid="metrics-kpi"
      data-panel={panel.id}
      data-value={panel.value ?? ''}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        {valueText(panel.unit, panel.value)}
      </Typography.Title>
      <div style={{ marginTop: 8, fontSize: 13 }}>
        <Change label={t('metrics.mom')} panelId={panel.id} change={panel.mom} />
        <Change label={t('metrics.yoy')} panelId={panel.id} change={panel.yoy} />
      </div>
    </Card>
  );
}

function SeriesCard({ panel }: { panel: MetricPanel }) {
  const { t } = useTranslation();
  const name = t(`metrics.panel.${panel.id}`, { defaultValue: panel.id });
  const axisName = panel.unit === 'fen' ? '¥' : panel.unit === 'ratio' ? '%' : undefined;
  return (
    <Card
      style={{ marginTop: 16 }}
      title={<PanelName panel={panel} />}
      extra={<Typography.Text type="secondary">{t('metrics.byMonth')}</Typography.Text>}
      data-testid="metrics-series"
      data-panel={panel.id}
    >
      {panelHasData(panel) ? (
        <ReactEChartsCore
          echarts={echarts}
          style={{ height: 300 }}
          option={{
            // drawn at once: screenshots and tests see the final chart
            animation: false,
            tooltip: { trigger: 'axis' },
            grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
            xAxis: { type: 'category', data: panel.series.map((p) => p.month) },
            yAxis: { type: 'value', name: axisName },
            series: [
              {
                name,
                type: panel.unit === 'count' ? 'bar' : 'line',
                barMaxWidth: 32,
                smooth: true,
                data: panel.series.map((p) => chartValue(panel.unit, p.value)),
              },
            ],
          }}
        />
      ) : (
        <EmptyState text={t('metrics.noData')} />
      )}
    </Card>
  );
}

function BreakdownCard({ panel }: { panel: MetricPanel }) {
  const { t } = useTranslation();
  const keyName = (key: string) => t(`metrics.key.${key}`, { defaultValue: key });
  const groups = groupedBreakdown(panel.breakdown);
  const rows = groups.flatMap((g) => g.rows);
  const pie = breakdownChart(panel.id) === 'pie';
  return (
    <Card title={<PanelName panel={panel} />} data-testid="metrics-breakdown" data-panel={panel.id}>
      {groups.some((g) => g.group) ? (
        <Space wrap style={{ marginBottom: 8 }}>
          {groups.map((g) => (
            <Tag
              key={g.group ?? ''}
              color={g.group ? 'orange' : 'default'}
              data-testid="metrics-breakdown-group"
            >
              {g.group ? t(`metrics.group.${g.group}`, { defaultValue: g.group }) : t('metrics.group.other')}:{' '}
              {g.share !== null ? valueText('ratio', g.share) : valueText(panel.breakdownUnit, g.total)}
            </Tag>
          ))}
        </Space>
      ) : null}
      <ReactEChartsCore
        echarts={echarts}
        style={{ height: 280 }}
        option={
          pie
            ? {
                animation: false,
                tooltip: { trigger: 'item', formatter: '{b}: {d}%' },
                legend: { bottom: 0, type: 'scroll' },
                series: [
                  {
                    type: 'pie',
                    radius: ['35%', '65%'],
                    data: rows.map((r) => ({
                      name: keyName(r.key),
                      value: breakdownValue(panel.breakdownUnit, r.value),
                    })),
                  },
                ],
              }
            : {
                animation: false,
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', inverse: true, data: rows.map((r) => keyName(r.key)) },
                series: [
                  {
                    type: 'bar',
                    barMaxWidth: 24,
                    data: rows.map((r) => ({
                      value: breakdownValue(panel.breakdownUnit, r.value),
                      // size reasons in their own colour, so they read apart
                      itemStyle: { color: r.group === 'size' ? '#fa8c16' : '#1677ff' },
                    })),
                  },
                ],
              }
        }
      />
    </Card>
  );
}
