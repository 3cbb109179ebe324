import { Typography } from 'antd';
import { EmptyState } from '../../console/ConsoleShell.tsx';

/** FOUNDATION placeholder (issue 15): Fans. */
export function FansPage() {
  return (
    <div data-testid="page-fans">
      <Typography.Title level={3}>Fans</Typography.Title>
      <EmptyState />
    </div>
  );
}
