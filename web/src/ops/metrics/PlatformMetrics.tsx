import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { MetricsDashboard } from '../../console/metrics-view.tsx';

/** The platform's figures by month (GET /ops/metrics): buyers, orders, GMV, merchants, refunds, channels. */
export function PlatformMetricsPage() {
  const { t } = useTranslation();
  return (
    <MetricsDashboard
      title={t('metrics.platformTitle')}
      testId="page-platformMetrics"
      load={(query, signal) => api.get('/ops/metrics', { params: { query }, signal })}
    />
  );
}
