import { Typography } from 'antd';
import { EmptyState } from '../../console/ConsoleShell.tsx';

/** FOUNDATION placeholder (issue 15): Incentive programmes. */
export function IncentivesPage() {
  return (
    <div data-testid="page-incentives">
      <Typography.Title level={3}>Incentive programmes</Typography.Title>
      <EmptyState />
    </div>
  );
}
