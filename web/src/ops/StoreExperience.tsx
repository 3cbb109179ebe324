import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import {
  DIMENSIONS,
  type Dimension,
  experienceApi,
  type StoreExperienceRow,
} from '../console/reviews-api.ts';
import { useAsync } from '../shared/hooks.ts';

const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
const color = (v: number) => (v >= 4.5 ? '#389e0d' : v >= 4 ? '#fa8c16' : '#cf1322');

/** Every store's latest experience score, lowest first; recompute today's scores now. */
export function StoreExperiencePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const first = useAsync((signal) => experienceApi.list(undefined, signal), []);
  const [more, setMore] = useState<{ items: StoreExperienceRow[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first page drops the pages after it
  useEffect(() => setMore(null), [first.data]);
  const rows = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const next = await experienceApi.list(nextCursor);
      setMore({ items: [...(more?.items ?? []), ...next.items], nextCursor: next.nextCursor });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };
  const recompute = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await experienceApi.recompute();
      message.success(t('reviewsConsole.storeExperience.recomputed', { day: r.day, stores: r.stores }));
      first.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const dimCell = (dim: Dimension) => (_: unknown, r: StoreExperienceRow) => {
    const v = r.score?.[dim];
    return (
      <Space size={4}>
        <span style={{ color: v !== undefined && r.enoughData[dim] ? color(v) : '#8c8c8c' }}>{score(v)}</span>
        {r.score && !r.enoughData[dim] ? (
          <Tooltip title={t('reviewsConsole.experience.notEnoughHint')}>
            <Tag style={{ marginInlineEnd: 0 }}>{t('reviewsConsole.experience.notEnough')}</Tag>
          </Tooltip>
        ) : null}
      </Space>
    );
  };
  return (
    <div data-testid="ops-store-experience">
      <h1 className="c-page-title">
        {t('reviewsConsole.menu.storeExperience')}
        <Space>
          <Button icon={<ReloadOutlined />} onClick={first.reload} loading={first.loading}>
            {t('reviewsConsole.refresh')}
          </Button>
          <Popconfirm
            title={t('reviewsConsole.storeExperience.recomputeConfirm')}
            onConfirm={recompute}
            okButtonProps={{ 'data-testid': 'experience-recompute-confirm' } as Record<string, string>}
          >
            <Button type="primary" loading={busy} data-testid="experience-recompute">
              {t('reviewsConsole.storeExperience.recompute')}
            </Button>
          </Popconfirm>
        </Space>
      </h1>
      <Typography.Paragraph type="secondary">{t('reviewsConsole.storeExperience.hint')}</Typography.Paragraph>
      {first.error ? <ErrorAlert error={first.error} onRetry={first.reload} /> : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setError(undefined)}
          style={{ marginBottom: 16 }}
          title={<span data-testid="error-message">{error}</span>}
        />
      ) : null}
      <Card>
        <Table<StoreExperienceRow>
          rowKey="storeId"
          loading={first.loading && !first.data}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <EmptyState text={t('reviewsConsole.storeExperience.none')} /> }}
          onRow={(r) =>
            ({
              'data-testid': 'store-experience-row',
              'data-store-id': r.storeId,
              'data-overall': r.score?.overall ?? '',
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: t('reviewsConsole.storeExperience.store'),
              dataIndex: 'storeName',
              render: (v: string) => <b>{v}</b>,
            },
            {
              title: t('reviewsConsole.experience.overall'),
              key: 'overall',
              width: 120,
              render: (_, r) =>
                r.score ? (
                  <b style={{ color: color(r.score.overall), fontSize: 16 }}>{score(r.score.overall)}</b>
                ) : (
                  <Tag>{t('reviewsConsole.experience.notComputed')}</Tag>
                ),
            },
            ...DIMENSIONS.map((dim) => ({
              title: t(`reviewsConsole.experience.dim.${dim}`),
              key: dim,
              width: 170,
              render: dimCell(dim),
            })),
            {
              title: t('reviewsConsole.storeExperience.day'),
              dataIndex: 'day',
              width: 120,
              render: (v: string | null) => v ?? '—',
            },
          ]}
        />
        {nextCursor ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={loadMore} loading={loadingMore}>
              {t('common.more')}
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
