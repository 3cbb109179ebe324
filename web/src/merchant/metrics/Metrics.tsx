import { Typography } from 'antd';
import { EmptyState } from '../../console/ConsoleShell.tsx';

/** FOUNDATION placeholder (issue 15): Business figures. */
export function StoreMetricsPage() {
  return (
    <div data-testid="page-metrics">
      <Typography.Title level={3}>Business figures</Typography.Title>
      <EmptyState />
    </div>
  );
}
