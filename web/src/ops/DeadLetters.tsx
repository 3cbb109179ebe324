import { App, Button, Card, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type DeadLetter, errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { formatTime, useAsync } from '../shared/hooks.ts';

/** Background jobs that stopped being retried, with their last error; an operator can send one back. */
export function DeadLettersCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<number | null>(null);
  const letters = useAsync(
    (signal) => api.get('/ops/dead-letters', { params: { query: { page, pageSize: 10 } }, signal }),
    [page],
  );
  const retry = async (id: number) => {
    setBusy(id);
    try {
      await api.post('/ops/dead-letters/{id}/retry', { params: { path: { id } } });
      message.success(t('ops.deadLetters.retried'));
      letters.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const total = letters.data?.total ?? 0;
  return (
    <Card
      title={
        <span>
          {t('ops.deadLetters.title')}{' '}
          <Tag color={total > 0 ? 'red' : 'green'} data-testid="dead-letters-total">
            {total}
          </Tag>
        </span>
      }
      style={{ marginTop: 16 }}
      data-testid="dead-letters"
    >
      {letters.error ? <ErrorAlert error={letters.error} onRetry={letters.reload} /> : null}
      <Table<DeadLetter>
        size="small"
        scroll={{ x: 'max-content' }}
        rowKey="id"
        loading={letters.loading}
        dataSource={letters.data?.items ?? []}
        locale={{ emptyText: <EmptyState text={t('ops.deadLetters.none')} /> }}
        pagination={{ current: page, pageSize: 10, total, onChange: setPage, showSizeChanger: false }}
        columns={[
          {
            title: t('ops.deadLetters.failedAt'),
            key: 'failedAt',
            width: 180,
            render: (_, r) => formatTime(r.failedAt, i18n.language),
          },
          { title: t('ops.deadLetters.topic'), key: 'topic', render: (_, r) => <code>{r.topic}</code> },
          {
            title: t('ops.deadLetters.subscriber'),
            key: 'subscriber',
            render: (_, r) => <code>{r.subscriber}</code>,
          },
          { title: t('ops.deadLetters.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
          {
            title: t('ops.deadLetters.lastError'),
            key: 'lastError',
            render: (_, r) => (
              <Tooltip title={<pre style={{ margin: 0 }}>{JSON.stringify(r.payload, null, 2)}</pre>}>
                <span>{r.lastError}</span>
              </Tooltip>
            ),
          },
          {
            title: '',
            key: 'retry',
            width: 100,
            render: (_, r) => (
              <Button
                size="small"
                loading={busy === r.id}
                onClick={() => retry(r.id)}
                data-testid={`dead-letter-retry-${r.id}`}
              >
                {t('ops.deadLetters.retry')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
