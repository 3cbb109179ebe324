import { Typography } from 'antd';
import { EmptyState } from '../../console/ConsoleShell.tsx';

/** FOUNDATION placeholder (issue 15): Newbie village, incentives. */
export function GrowthPage() {
  return (
    <div data-testid="page-growth">
      <Typography.Title level={3}>Newbie village, incentives</Typography.Title>
      <EmptyState />
    </div>
  );
}
