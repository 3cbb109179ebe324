import { Card, Col, Row, Skeleton, Statistic, Table, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type LedgerAccountName, type LedgerTransaction, type TrialBalance } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

const KIND_COLORS: Record<LedgerTransaction['kind'], string> = {
  payment: 'blue',
  settlement: 'green',
  refund: 'orange',
  clawback: 'red',
  compensation: 'gold',
  subsidy: 'cyan',
  coupon: 'cyan',
  credit: 'purple',
  credit_charge: 'geekblue',
  credit_refund: 'magenta',
  shipping_subsidy: 'gold',
  price_protection: 'volcano',
  recovery: 'lime',
  credit_fee: 'purple',
  payout_reversal: 'red',
  incentive: 'green',
};

/** An account as people name it: the platform's accounts by role, a store's payable by the store's name. */
function accountLabel(t: TFunction, a: LedgerAccountName): string {
  if (a.type === 'merchant_payable')
    return t('consoles.ledger.accounts.merchant_payable', {
      store: a.storeName ?? t('consoles.ledger.accounts.unknownStore'),
    });
  if (a.type === 'platform_expense')
    return t('consoles.ledger.accounts.platform_expense', {
      expense: a.account.slice(a.account.indexOf(':') + 1),
    });
  return a.type === 'other' ? a.account : t(`consoles.ledger.accounts.${a.type}`);
}

function AccountName({ account }: { account: LedgerAccountName }) {
  const { t } = useTranslation();
  // The raw id stays one hover away, for matching against logs and the database.
  return (
    <span title={account.account} data-account={account.account} data-testid="ledger-account">
      {accountLabel(t, account)}
    </span>
  );
}

/**
 * The ledger stores one signed amount per entry: positive is a debit (money arriving at the provider,
 * escrow released), negative a credit (owed to the buyer, the store or the platform's revenue).
 */
const debitOf = (fen: number) => (fen > 0 ? formatFen(fen) : '');
const creditOf = (fen: number) => (fen < 0 ? formatFen(-fen) : '');

export function LedgerPage() {
  const { t, i18n } = useTranslation();
  const trial = useAsync((signal) => api.get('/ops/ledger/trial-balance', { signal }), []);
  const [page, setPage] = useState(1);
  const txs = useAsync(
    (signal) => api.get('/ops/ledger/transactions', { params: { query: { page, pageSize: 10 } }, signal }),
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
            <Table<TrialBalance['accounts'][number]>
              size="small"
              rowKey="account"
              loading={trial.loading}
              dataSource={tb?.accounts ?? []}
              pagination={false}
              locale={{ emptyText: <EmptyState /> }}
              data-testid="ledger-accounts"
              columns={[
                {
                  title: t('ops.account'),
                  key: 'account',
                  render: (_, a) => <AccountName account={a} />,
                },
                {
                  title: t('consoles.ledger.debit'),
                  key: 'debit',
                  align: 'right',
                  render: (_, a) => debitOf(a.balanceFen),
                },
                {
                  title: t('consoles.ledger.credit'),
                  key: 'credit',
                  align: 'right',
                  render: (_, a) => creditOf(a.balanceFen),
                },
              ]}
              summary={() =>
                tb ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('common.total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <b>{formatFen(sumWhere(tb.accounts, (fen) => fen > 0))}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      <b>{formatFen(-sumWhere(tb.accounts, (fen) => fen < 0))}</b>
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
          scroll={{ x: 'max-content' }}
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
              width: 170,
              render: (_, r) => formatTime(r.createdAt, i18n.language),
            },
            {
              title: t('ops.kind'),
              key: 'kind',
              width: 150,
              render: (_, r) => (
                <Tag color={KIND_COLORS[r.kind]} data-testid="ledger-kind" data-kind={r.kind}>
                  {t(`consoles.ledger.kinds.${r.kind}`)}
                </Tag>
              ),
            },
            {
              title: t('ops.account'),
              key: 'account',
              render: (_, r) => <EntryLines entries={r.entries} cell={(e) => <AccountName account={e} />} />,
            },
            {
              title: t('consoles.ledger.debit'),
              key: 'debit',
              align: 'right',
              width: 120,
              render: (_, r) => <EntryLines entries={r.entries} cell={(e) => debitOf(e.amountFen)} />,
            },
            {
              title: t('consoles.ledger.credit'),
              key: 'credit',
              align: 'right',
              width: 120,
              render: (_, r) => <EntryLines entries={r.entries} cell={(e) => creditOf(e.amountFen)} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}

const sumWhere = (accounts: TrialBalance['accounts'], keep: (fen: number) => boolean) =>
  accounts.reduce((sum, a) => (keep(a.balanceFen) ? sum + a.balanceFen : sum), 0);

type Entry = LedgerTransaction['entries'][number];

/** One line per entry, the same height in every column, so an account lines up with its amount. */
function EntryLines({ entries, cell }: { entries: Entry[]; cell: (e: Entry) => React.ReactNode }) {
  return (
    <div>
      {entries.map((e) => (
        <div key={`${e.account}:${e.amountFen}`} className="c-ellipsis c-entry-line">
          {cell(e) || '\u00a0'}
        </div>
      ))}
    </div>
  );
}
