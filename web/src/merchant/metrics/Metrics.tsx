import { Card, Col, Progress, Row, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { EmptyState, ErrorAlert } from '../../console/ConsoleShell.tsx';
import { MetricsDashboard } from '../../console/metrics-view.tsx';
import { useAsync } from '../../shared/hooks.ts';
import { fanPlanProgress, villageProgress } from './progress.ts';

/** The store's business figures by month (GET /merchant/metrics), with its village and fan-plan progress. */
export function StoreMetricsPage() {
  const { t } = useTranslation();
  return (
    <MetricsDashboard
      title={t('metrics.storeTitle')}
      testId="page-metrics"
      load={(query, signal) => api.get('/merchant/metrics', { params: { query }, signal })}
      aside={
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <VillageCard />
          </Col>
          <Col xs={24} lg={12}>
            <FanPlanCard />
          </Col>
        </Row>
      }
    />
  );
}

function VillageCard() {
  const { t } = useTranslation();
  const village = useAsync((signal) => api.get('/merchant/growth/village', { signal }), []);
  const p = village.data ? villageProgress(village.data) : null;
  return (
    <Card size="small" title={t('metrics.village')} data-testid="metrics-village">
      {village.error ? (
        <ErrorAlert error={village.error} onRetry={village.reload} />
      ) : village.loading ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : p ? (
        <>
          <Progress percent={p.percent} data-testid="metrics-village-progress" />
          <Typography.Text type="secondary">
            {t('metrics.stepsDone', { done: p.done, total: p.total })}
          </Typography.Text>
        </>
      ) : (
        <EmptyState text={t('metrics.noVillage')} />
      )}
    </Card>
  );
}

function FanPlanCard() {
  const { t } = useTranslation();
  const fans = useAsync((signal) => api.get('/merchant/fans', { signal }), []);
  const p = fans.data?.plan ? fanPlanProgress(fans.data.plan) : null;
  return (
    <Card size="small" title={t('metrics.fanPlan')} data-testid="metrics-fan-plan">
      {fans.error ? (
        <ErrorAlert error={fans.error} onRetry={fans.reload} />
      ) : fans.loading ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : p ? (
        <>
          <Progress percent={p.percent} data-testid="metrics-fan-plan-progress" />
          <Typography.Text type="secondary">
            {t('metrics.fanPlanText', { fans: p.fans, target: p.target, start: p.start, days: p.daysLeft })}
          </Typography.Text>
        </>
      ) : (
        <EmptyState text={t('metrics.noFanPlan')} />
      )}
    </Card>
  );
}
