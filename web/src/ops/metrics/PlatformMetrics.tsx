import { Typography } from 'antd';
import { EmptyState } from '../../console/ConsoleShell.tsx';

/** FOUNDATION placeholder (issue 15): Platform figures. */
export function PlatformMetricsPage() {
  return (
    <div data-testid="page-platformMetrics">
      <Typography.Title level={3}>Platform figures</Typography.Title>
      <EmptyState />
    </div>
  );
}
