import { Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { type Debt, debtsApi } from '../console/trust-api.ts';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** Pay-later bills past their due date: who owes what since when, reminders sent, credit frozen. */
export function DebtsPage() {
  const { t, i18n } = useTranslation();
  const debts = useAsync((signal) => debtsApi.list(signal), []);
  const rows = debts.data ?? [];
  return (
    <div data-testid="ops-debts">
      <h1 className="c-page-title">{t('trustConsole.menu.debts')}</h1>
      {debts.error ? <ErrorAlert error={debts.error} onRetry={debts.reload} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('trustConsole.debts.count')}
              loading={debts.loading && !debts.data}
              value={rows.length}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('trustConsole.debts.total')}
              loading={debts.loading && !debts.data}
              value={formatFen(rows.reduce((s, d) => s + d.amountFen, 0))}
              valueStyle={{ color: '#ff4d00' }}
            />
          </Card>
        </Col>
      </Row>
      <Table<Debt>
        rowKey="billId"
        loading={debts.loading}
        dataSource={rows}
        locale={{ emptyText: <EmptyState text={t('trustConsole.debts.none')} /> }}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={() => ({ 'data-testid': 'debt-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('merchant.buyer'), dataIndex: 'buyer', width: 150 },
          { title: t('merchant.orderNo'), dataIndex: 'orderNo', width: 200 },
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
            dataIndex: 'overdueDays',
            width: 120,
            render: (v: number) => (
              <Tag color={v > 7 ? 'red' : 'orange'}>{t('trustConsole.debts.days', { n: v })}</Tag>
            ),
          },
          { title: t('trustConsole.debts.reminders'), dataIndex: 'reminders', width: 100 },
          {
            title: t('trustConsole.debts.credit'),
            dataIndex: 'frozen',
            width: 110,
            render: (v: boolean) =>
              v ? (
                <Tag color="red">{t('trustConsole.debts.frozen')}</Tag>
              ) : (
                <Tag>{t('trustConsole.debts.active')}</Tag>
              ),
          },
        ]}
      />
    </div>
  );
}
