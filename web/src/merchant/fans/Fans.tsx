import {
  Button,
  Card,
  Col,
  List,
  message,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ResponseOf } from '../../api/client.ts';
import { errorMessage } from '../../api/error-message.ts';
import { EmptyState, ErrorAlert, PageSpin } from '../../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../../console/echarts.ts';
import { useAsync } from '../../shared/hooks.ts';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type MyFans = ResponseOf<'/merchant/fans', 'get'>;
const RANGES = [7, 30, 90] as const;

/** My store's fans: the total, fans over time, new fans by source, unfollows, the latest fans, the fan-growth plan. */
export function FansPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(30);
  const fans = useAsync(
    (signal) => api.get('/merchant/fans', { params: { query: { days } }, signal }),
    [days],
  );
  return (
    <div data-testid="page-fans">
      <h1 className="c-page-title" style={{ flexWrap: 'wrap' }}>
        {t('social.fansTitle')}
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={RANGES.map((n) => ({ value: n, label: t('social.range', { n }) }))}
        />
      </h1>
      {fans.loading && !fans.data ? (
        <PageSpin />
      ) : fans.error || !fans.data ? (
        <ErrorAlert error={fans.error} onRetry={fans.reload} />
      ) : (
        <FansView data={fans.data} onChange={fans.reload} />
      )}
    </div>
  );
}

function FansView({ data, onChange }: { data: MyFans; onChange: () => void }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={8}>
          <Card>
            <Statistic title={t('social.total')} value={data.fans} data-testid="fans-total" />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Statistic title={t('social.newFans')} value={data.newFans} />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Statistic title={t('social.unfollows')} value={data.unfollows} />
          </Card>
        </Col>
      </Row>
      <PlanCard data={data} onChange={onChange} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('social.overTime')}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 280 }}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 40, right: 16, top: 40, bottom: 32 },
                xAxis: { type: 'category', data: data.series.map((d) => d.day.slice(5)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    name: t('social.total'),
                    type: 'line',
                    smooth: true,
                    data: data.series.map((d) => d.fans),
                  },
                  { name: t('social.newFans'), type: 'bar', data: data.series.map((d) => d.newFans) },
                  { name: t('social.unfollows'), type: 'bar', data: data.series.map((d) => -d.unfollows) },
                ],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('social.bySource')}>
            {data.newFans === 0 ? (
              <EmptyState />
            ) : (
              <ReactEChartsCore
                echarts={echarts}
                style={{ height: 280 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  grid: { left: 80, right: 16, top: 16, bottom: 24 },
                  xAxis: { type: 'value', minInterval: 1 },
                  yAxis: { type: 'category', data: data.bySource.map((s) => t(`social.source.${s.source}`)) },
                  series: [{ type: 'bar', data: data.bySource.map((s) => s.newFans) }],
                }}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('social.recent')}>
        {data.recent.length === 0 ? (
          <EmptyState />
        ) : (
          <List
            size="small"
            dataSource={data.recent}
            renderItem={(f) => (
              <List.Item>
                <span>{f.buyer}</span>
                <Tag>{t(`social.source.${f.source}`)}</Tag>
                <span>{new Date(f.followedAt).toLocaleString()}</span>
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}

function PlanCard({ data, onChange }: { data: MyFans; onChange: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const s = data.planSettings;
  const enroll = async () => {
    setBusy(true);
    try {
      await api.post('/merchant/fans/plan', {});
      onChange();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const plan = data.plan;
  return (
    <Card title={t('social.plan.title')} data-testid="fan-plan">
      {plan ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space>
            <Tag color={plan.status === 'met' ? 'green' : plan.status === 'active' ? 'blue' : 'default'}>
              {t(`social.plan.status.${plan.status}`)}
            </Tag>
            <span>{t('social.plan.target', { target: plan.targetFans, start: plan.startFans })}</span>
            {plan.status === 'active' && <span>{t('social.plan.daysLeft', { n: plan.daysLeft })}</span>}
          </Space>
          <Progress percent={plan.progressPct} data-testid="fan-plan-progress" />
          <Typography.Text type="secondary">
            {t('social.plan.expected', { n: plan.expectedFans })}
          </Typography.Text>
          {plan.boostImpressions > 0 && (
            <Typography.Text>{t('social.plan.boost', { n: plan.boostImpressions })}</Typography.Text>
          )}
        </Space>
      ) : (
        <Space orientation="vertical">
          <Typography.Text>
            {t('social.plan.intro', { days: s.days, pct: s.targetPct, min: s.minGain })}
          </Typography.Text>
          {data.canEnroll ? (
            <Button type="primary" loading={busy} onClick={enroll} data-testid="fan-plan-enroll">
              {t('social.plan.enroll')}
            </Button>
          ) : (
            <Typography.Text type="secondary">
              {t('social.plan.notEligible', { days: s.maxStoreAgeDays })}
            </Typography.Text>
          )}
        </Space>
      )}
    </Card>
  );
}
