import { Button, Card, Col, Descriptions, Row, Skeleton, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  errorMessage,
  type PaymentAnomaly,
  type ReconciliationDifference,
  type ReconciliationSide,
} from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** The last reconciliation with the payment provider and its differences, and provider events not applied. */
export function ReconciliationPage() {
  const { t, i18n } = useTranslation();
  const last = useAsync((signal) => api.get('/ops/reconciliation', { signal }), []);
  const anomalies = useAsync(
    (signal) => api.get('/ops/payment-anomalies', { params: { query: { pageSize: 20 } }, signal }),
    [],
  );
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string>();
  const run = last.data?.run ?? null;
  const clean = run?.differenceCount === 0;
  const kindLabel = (k: string) => t(`reconcile.kinds.${k}`, { defaultValue: k });
  const side = (v: ReconciliationSide | null) =>
    v ? `${v.status} ${formatFen(v.amountFen)}${v.currency ? ` ${v.currency}` : ''}` : t('reconcile.none');

  const runNow = async () => {
    setRunning(true);
    setRunError(undefined);
    try {
      await api.post('/ops/reconciliation');
      last.reload();
    } catch (e) {
      setRunError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div data-testid="ops-reconciliation">
      <h1 className="c-page-title">{t('ops.menu.reconciliation')}</h1>
      {last.error ? <ErrorAlert error={last.error} onRetry={last.reload} /> : null}
      {runError ? <ErrorAlert error={new Error(runError)} /> : null}
      <Card
        title={t('reconcile.lastRun')}
        extra={
          <Button onClick={runNow} loading={running} data-testid="reconcile-now">
            {t('reconcile.runNow')}
          </Button>
        }
      >
        {last.loading && !last.data ? (
          <Skeleton active />
        ) : !run ? (
          <EmptyState text={t('reconcile.noRun')} />
        ) : (
          <>
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              <Col>
                <Tag color={clean ? 'green' : 'red'} data-testid="reconcile-state" data-clean={clean}>
                  {clean ? t('reconcile.clean') : t('reconcile.differences', { count: run.differenceCount })}
                </Tag>
              </Col>
            </Row>
            <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }} bordered>
              <Descriptions.Item label={t('reconcile.finishedAt')}>
                {formatTime(run.finishedAt, i18n.language)}
              </Descriptions.Item>
              <Descriptions.Item label={t('reconcile.trigger')}>
                {t(`reconcile.triggers.${run.trigger}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('reconcile.inFlight')}>{run.inFlight}</Descriptions.Item>
              <Descriptions.Item label={t('reconcile.paymentsChecked')}>
                {run.paymentsChecked} / {run.providerCharges}
              </Descriptions.Item>
              <Descriptions.Item label={t('reconcile.refundsChecked')}>
                {run.refundsChecked} / {run.providerRefunds}
              </Descriptions.Item>
              <Descriptions.Item label={t('reconcile.ledgerProvider')}>
                <span className={run.ledgerProviderFen === run.providerNetFen ? undefined : 'c-nonzero'}>
                  {formatFen(run.ledgerProviderFen)}
                </span>
                {' / '}
                {t('reconcile.providerNet')} {formatFen(run.providerNetFen)}
              </Descriptions.Item>
            </Descriptions>
            {clean ? null : (
              <Table<ReconciliationDifference>
                style={{ marginTop: 16 }}
                size="small"
                scroll={{ x: 'max-content' }}
                rowKey={(d) => `${d.kind}:${d.subject}:${d.reference}`}
                dataSource={run.differences}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                data-testid="reconcile-differences"
                columns={[
                  {
                    title: t('reconcile.kind'),
                    key: 'kind',
                    width: 180,
                    render: (_, d) => <Tag color="red">{kindLabel(d.kind)}</Tag>,
                  },
                  {
                    title: t('reconcile.subject'),
                    key: 'subject',
                    render: (_, d) => (
                      <span>
                        {d.subject} <code>{d.reference}</code>
                        {d.providerRef ? (
                          <>
                            {' '}
                            <code>{d.providerRef}</code>
                          </>
                        ) : null}
                      </span>
                    ),
                  },
                  { title: t('reconcile.ours'), key: 'ours', render: (_, d) => side(d.platform) },
                  { title: t('reconcile.theirs'), key: 'theirs', render: (_, d) => side(d.provider) },
                ]}
              />
            )}
          </>
        )}
      </Card>
      <Card title={t('reconcile.anomalies')} style={{ marginTop: 16 }}>
        {anomalies.error ? <ErrorAlert error={anomalies.error} onRetry={anomalies.reload} /> : null}
        <Table<PaymentAnomaly>
          size="small"
          scroll={{ x: 'max-content' }}
          rowKey="id"
          loading={anomalies.loading}
          dataSource={anomalies.data?.items ?? []}
          locale={{ emptyText: <EmptyState /> }}
          pagination={false}
          data-testid="payment-anomalies"
          columns={[
            {
              title: t('reconcile.receivedAt'),
              key: 'at',
              width: 180,
              render: (_, a) => formatTime(a.receivedAt, i18n.language),
            },
            {
              title: t('reconcile.kind'),
              key: 'kind',
              render: (_, a) => <Tag color="red">{kindLabel(a.kind)}</Tag>,
            },
            {
              title: t('reconcile.event'),
              key: 'event',
              render: (_, a) => (
                <span>
                  {a.eventType} <code>{a.eventId}</code>
                </span>
              ),
            },
            {
              title: t('reconcile.expected'),
              key: 'expected',
              render: (_, a) =>
                a.expectedAmountFen === null
                  ? t('reconcile.none')
                  : `${formatFen(a.expectedAmountFen)} ${a.expectedCurrency ?? ''}`,
            },
            {
              title: t('reconcile.received'),
              key: 'received',
              render: (_, a) => `${formatFen(a.receivedAmountFen)} ${a.receivedCurrency}`,
            },
          ]}
        />
      </Card>
    </div>
  );
}
