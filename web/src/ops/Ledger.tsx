import { Card, Col, Row, Skeleton, Statistic, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type LedgerTransaction, type Page, type TrialBalance } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

export function LedgerPage() {
  const { t, i18n } = useTranslation();
  const trial = useAsync(
    (signal) => api.get<TrialBalance>('/ops/ledger/trial-balance', undefined, signal),
    [],
  );
  const [page, setPage] = useState(1);
  const txs = useAsync(
    (signal) => api.get<Page<LedgerTransaction>>('/ops/ledger/transactions', { page, pageSize: 10 }, signal),
    [page],
  );
  const tb = trial.data;
  const zero = tb?.totalFen === 0;
  return (
    <div data-testid="ops-ledger">
      <h1 className="c-page-title">{t('ops.menu.ledger')}</h1>
      {trial.error ? <ErrorAlert error={trial.error} onRetry={trial.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card title={t('ops.trialBalance')}>
            {trial.loading && !tb ? (
              <Skeleton active />
            ) : tb ? (
              <>
                <Statistic
                  title={t('ops.trialTotal')}
                  value={formatFen(tb.totalFen)}
                  styles={{ content: { color: zero ? '#389e0d' : '#cf1322', fontWeight: 700 } }}
                />
                <div style={{ marginTop: 8 }}>
                  <span
                    data-testid="trial-balance-total"
                    data-zero={zero}
                    className={zero ? 'c-zero' : 'c-nonzero'}
                  >
                    {formatFen(tb.totalFen)}
                  </span>{' '}
                  <Tag color={zero ? 'green' : 'red'} data-testid="trial-balance-state">
                    {zero ? t('ops.balanced') : t('ops.unbalanced')}
                  </Tag>
                </div>
              </>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title={t('ops.balance')}>
            <Table
              size="small"
              rowKey="account"
              loading={trial.loading}
              dataSource={tb?.accounts ?? []}
              pagination={false}
              locale={{ emptyText: <EmptyState /> }}
              data-testid="ledger-accounts"
              columns={[
                { title: t('ops.account'), dataIndex: 'account', render: (v: string) => <code>{v}</code> },
                {
                  title: t('ops.balance'),
                  dataIndex: 'balanceFen',
                  align: 'right',
                  render: (v: number) => (
                    <span style={{ color: v < 0 ? '#cf1322' : undefined }}>{formatFen(v)}</span>
                  ),
                },
              ]}
              summary={() =>
                tb ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('common.total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <b className={zero ? 'c-zero' : 'c-nonzero'}>{formatFen(tb.totalFen)}</b>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('ops.transactions')} style={{ marginTop: 16 }}>
        {txs.error ? <ErrorAlert error={txs.error} onRetry={txs.reload} /> : null}
        <Table<LedgerTransaction>
          size="small"
          rowKey="id"
          loading={txs.loading}
          dataSource={txs.data?.items ?? []}
          locale={{ emptyText: <EmptyState /> }}
          pagination={{
            current: page,
            pageSize: 10,
            total: txs.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          columns={[
            {
              title: t('common.createdAt'),
              key: 'at',
              width: 180,
              render: (_, r) => formatTime(r.createdAt ?? r.at, i18n.language),
            },
            { title: t('ops.kind'), key: 'kind', width: 160, render: (_, r) => <Tag>{r.kind ?? '—'}</Tag> },
            {
              title: t('ops.entries'),
              key: 'entries',
              render: (_, r) => (
                <div>
                  {r.entries.map((e) => (
                    <div
                      key={`${e.account}:${e.amountFen}`}
                      style={{ display: 'flex', justifyContent: 'space-between', gap: 16 }}
                    >
                      <code>{e.account}</code>
                      <span style={{ color: e.amountFen < 0 ? '#cf1322' : '#389e0d' }}>
                        {formatFen(e.amountFen)}
                      </span>
                    </div>
                  ))}
                </div>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
