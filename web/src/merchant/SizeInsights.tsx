import { Alert, Button, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { useAsync } from '../shared/hooks.ts';
import { type ProductInsight, pct, sizingApi, type Verdict, type Zone } from '../shared/sizing-api.ts';

const VERDICT_COLORS: Record<Verdict, string> = {
  not_enough_data: 'default',
  runs_small: 'volcano',
  true_to_size: 'green',
  runs_large: 'blue',
};
const FEEDBACK_COLORS = { small: '#f79a8e', fit: '#30a46c', large: '#7cc4f8' } as const;

/** 尺码洞察: per apparel product, fit feedback, size refund rate, verdict and suggested chart correction. */
export function SizeInsightsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useAsync((signal) => sizingApi.insights(signal), []);
  // products that run off their chart first, then those with the most feedback
  const rank = (i: ProductInsight) => (i.verdict === 'runs_small' || i.verdict === 'runs_large' ? 0 : 1);
  const items = [...(data?.items ?? [])].sort(
    (a, b) => rank(a) - rank(b) || b.feedback.total - a.feedback.total || b.purchasedLines - a.purchasedLines,
  );
  const off = items.filter((i) => i.verdict === 'runs_small' || i.verdict === 'runs_large').length;

  const zoneName = (z: string) => t(`sizing.zones.${z}`, { defaultValue: z });
  return (
    <div data-testid="size-insights">
      <h1 className="c-page-title">{t('sizing.insights.title')}</h1>
      <Typography.Paragraph type="secondary">{t('sizing.insights.intro')}</Typography.Paragraph>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      {data && off > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('sizing.insights.summaryRuns', { n: off })}
        />
      )}
      <Table<ProductInsight>
        rowKey="productId"
        loading={loading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyState text={t('sizing.insights.empty')} /> }}
        scroll={{ x: 900 }}
        onRow={(r) =>
          ({
            'data-testid': 'size-insights-row',
            'data-product-id': r.productId,
            'data-verdict': r.verdict,
          }) as React.HTMLAttributes<HTMLTableRowElement>
        }
        columns={[
          {
            title: t('sizing.insights.product'),
            dataIndex: 'title',
            ellipsis: true,
            render: (title: string, r) => (
              <div>
                <div className="c-ellipsis">{title}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('sizing.insights.lines', { n: r.purchasedLines })}
                  {r.hasChart ? '' : ` · ${t('sizing.insights.noChart')}`}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('sizing.insights.feedback'),
            width: 240,
            sorter: (a, b) => a.feedback.total - b.feedback.total,
            render: (_, r) => <FeedbackBar f={r.feedback} />,
          },
          {
            title: t('sizing.insights.refundRate'),
            width: 130,
            align: 'right',
            sorter: (a, b) => (a.sizeRefundRate ?? -1) - (b.sizeRefundRate ?? -1),
            render: (_, r) => (
              <Tooltip title={`${r.sizeRefunds} / ${r.purchasedLines}`}>
                <span data-testid="size-refund-rate">{pct(r.sizeRefundRate, 1)}</span>
              </Tooltip>
            ),
          },
          {
            title: t('sizing.insights.verdict'),
            width: 130,
            filters: (['runs_small', 'true_to_size', 'runs_large', 'not_enough_data'] as Verdict[]).map(
              (v) => ({
                text: t(`sizing.insights.verdicts.${v}`),
                value: v,
              }),
            ),
            onFilter: (v, r) => r.verdict === v,
            render: (_, r) => (
              <Tooltip
                title={
                  r.verdict === 'not_enough_data'
                    ? t('sizing.insights.minSample', { n: data?.minSample ?? 5 })
                    : `${r.fitShiftCm > 0 ? '+' : ''}${r.fitShiftCm} cm`
                }
              >
                <Tag color={VERDICT_COLORS[r.verdict]} data-testid="size-verdict" data-verdict={r.verdict}>
                  {t(`sizing.insights.verdicts.${r.verdict}`)}
                </Tag>
              </Tooltip>
            ),
          },
          {
            title: t('sizing.insights.correction'),
            width: 320,
            render: (_, r) => {
              const c = r.suggestedChartCorrectionCm;
              if (!c || Object.keys(c).length === 0)
                return (
                  <Typography.Text type="secondary">{t('sizing.insights.noCorrection')}</Typography.Text>
                );
              const entries = Object.entries(c) as Array<[Zone, number]>;
              return (
                <span data-testid="size-correction">
                  {entries.map(([z, cm]) => (
                    <Tag key={z} color={cm < 0 ? 'volcano' : 'blue'}>
                      {zoneName(z)} {cm > 0 ? '+' : ''}
                      {cm} cm
                    </Tag>
                  ))}
                  <Button
                    type="link"
                    size="small"
                    onClick={() => navigate(`/merchant/products/${r.productId}/edit`)}
                  >
                    {t('sizing.insights.edit')}
                  </Button>
                </span>
              );
            },
          },
        ]}
      />
    </div>
  );
}

function FeedbackBar({ f }: { f: ProductInsight['feedback'] }) {
  const { t } = useTranslation();
  if (f.total === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const parts = (['small', 'fit', 'large'] as const).map((k) => ({ k, n: f[k] }));
  return (
    <Tooltip title={parts.map((p) => `${t(`sizing.fitOutcome.${p.k}`)} ${p.n}`).join(' · ')}>
      <div className="c-stack" data-testid="size-feedback-bar" data-total={f.total}>
        <div className="c-stack-bar">
          {parts.map((p) =>
            p.n > 0 ? (
              <span
                key={p.k}
                style={{ width: `${(p.n / f.total) * 100}%`, background: FEEDBACK_COLORS[p.k] }}
              />
            ) : null,
          )}
        </div>
        <div className="c-stack-legend">
          {parts.map((p) => (
            <span key={p.k}>
              <i style={{ background: FEEDBACK_COLORS[p.k] }} />
              {t(`sizing.fitOutcome.${p.k}`)} {p.n}
            </span>
          ))}
        </div>
      </div>
    </Tooltip>
  );
}
