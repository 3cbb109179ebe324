import { Card, Col, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { type Debt, debtsApi } from '../console/trust-api.ts';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** Pay-later bills past their due date: who owes what since when, charge attempts and reminders. */
export function DebtsPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const debts = useAsync((signal) => debtsApi.list(page, pageSize, signal), [page, pageSize]);
  const d = debts.data;
  return (
    <div data-testid="ops-debts" data-loading={String(debts.loading)}>
      <h1 className="c-page-title">{t('trustConsole.menu.debts')}</h1>
      <Typography.Paragraph type="secondary">{t('trustConsole.debts.hint')}</Typography.Paragraph>
      {debts.error ? <ErrorAlert error={debts.error} onRetry={debts.reload} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('trustConsole.debts.count')}
              loading={debts.loading && !d}
              value={d?.total ?? 0}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('trustConsole.debts.total')}
              loading={debts.loading && !d}
              value={formatFen(d?.totalFen ?? 0)}
              styles={{ content: { color: '#ff4d00' } }}
            />
            <span hidden data-testid="debts-total-fen">
              {d?.totalFen}
            </span>
          </Card>
        </Col>
      </Row>
      <Table<Debt>
        rowKey="billId"
        loading={debts.loading}
        dataSource={d?.items ?? []}
        locale={{ emptyText: <EmptyState text={t('trustConsole.debts.none')} /> }}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize,
          total: d?.total ?? 0,
          hideOnSinglePage: true,
          onChange: (p, ps) => {
            setPage(p);
            setPageSize(ps);
          },
        }}
        onRow={() => ({ 'data-testid': 'debt-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('trustConsole.debts.buyer'), dataIndex: 'buyerPhone', width: 150 },
          {
            title: t('trustConsole.debts.order'),
            dataIndex: 'orderId',
            width: 200,
            render: (v: string) => <Typography.Text copyable={{ text: v }}>{v.slice(0, 8)}</Typography.Text>,
          },
          {
            title: t('trustConsole.debts.amount'),
            dataIndex: 'amountFen',
            width: 120,
            render: (v: number) => formatFen(v),
          },
          {
            title: t('trustConsole.debts.dueAt'),
            dataIndex: 'dueAt',
            width: 180,
            render: (v: string) => formatTime(v, i18n.language),
          },
          {
            title: t('trustConsole.debts.overdue'),
            dataIndex: 'daysOverdue',
            width: 120,
            render: (v: number) => (
              <Tag color={v > 7 ? 'red' : 'orange'}>{t('trustConsole.debts.days', { n: v })}</Tag>
            ),
          },
          { title: t('trustConsole.debts.attempts'), dataIndex: 'chargeAttempts', width: 110 },
          { title: t('trustConsole.debts.reminders'), dataIndex: 'reminders', width: 100 },
        ]}
      />
    </div>
  );
}
