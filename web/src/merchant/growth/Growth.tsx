import { CheckCircleFilled, ClockCircleOutlined, GiftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, List, Progress, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorAlert, PageSpin } from '../../console/ConsoleShell.tsx';
import { growthApi, type Incentive, type VillageStep } from '../../console/growth-api.ts';
import { formatFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';

/** Where each step is done in the console. */
const STEP_LINKS: Record<VillageStep['key'], string> = {
  profile: '/merchant/store',
  first_product: '/merchant/products/new',
  size_chart: '/merchant/products',
  first_video: '/merchant/videos',
  first_live: '/merchant/live',
  first_order: '/merchant/coupons',
  first_shipment: '/merchant/orders',
  first_good_review: '/merchant/reviews',
};

const STATUS_COLORS: Record<Incentive['status'], string> = {
  accruing: 'processing',
  paid: 'success',
  exhausted: 'warning',
  nothing: 'default',
};

/** The newbie village (商家新手村) checklist with its rewards, and the incentives the store earned. */
export function GrowthPage() {
  const { t } = useTranslation();
  const village = useAsync((signal) => growthApi.village(signal), []);
  const incentives = useAsync((signal) => growthApi.incentives(signal), []);
  const v = village.data;
  const reload = () => {
    village.reload();
    incentives.reload();
  };
  return (
    <div data-testid="page-growth">
      <h1 className="c-page-title">
        {t('growth.title')}
        <Button icon={<ReloadOutlined />} onClick={reload} loading={village.loading}>
          {t('growth.refresh')}
        </Button>
      </h1>
      <Typography.Paragraph type="secondary">{t('growth.hint')}</Typography.Paragraph>
      {village.error ? <ErrorAlert error={village.error} onRetry={village.reload} /> : null}
      {village.loading && !v ? <PageSpin /> : null}
      {v ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <Card title={t('growth.progress')}>
              <div style={{ textAlign: 'center' }}>
                <Progress
                  type="circle"
                  percent={v.total ? Math.round((v.done / v.total) * 100) : 0}
                  format={() => `${v.done}/${v.total}`}
                  data-testid="village-progress"
                  data-done={v.done}
                  data-total={v.total}
                />
              </div>
              <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
                {v.done === v.total ? t('growth.allDone') : t('growth.left', { n: v.total - v.done })}
              </Typography.Paragraph>
              <Rewards steps={v.steps} />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card title={t('growth.steps')}>
              <List
                dataSource={v.steps.filter((s) => s.required)}
                renderItem={(s) => <StepItem step={s} />}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
      <Card title={t('growth.incentives.title')} style={{ marginTop: 16 }} data-testid="growth-incentives">
        <Typography.Paragraph type="secondary">{t('growth.incentives.hint')}</Typography.Paragraph>
        {incentives.error ? <ErrorAlert error={incentives.error} onRetry={incentives.reload} /> : null}
        <IncentiveTable items={incentives.data} loading={incentives.loading} />
      </Card>
    </div>
  );
}

function rewardText(t: (k: string, o?: Record<string, unknown>) => string, s: VillageStep): string {
  const r = s.reward;
  if (r.kind === 'traffic') return t('growth.reward.traffic', { n: r.amount.toLocaleString() });
  if (r.kind === 'fee_free')
    return r.granted ? t('growth.reward.feeFreeDays', { n: r.amount }) : t('growth.reward.feeFree');
  return t('growth.reward.none');
}

function StepItem({ step }: { step: VillageStep }) {
  const { t } = useTranslation();
  return (
    <List.Item
      data-testid={`village-step-${step.key}`}
      data-done={String(step.done)}
      actions={[
        step.done ? (
          <Tag color="success" key="done" icon={<CheckCircleFilled />}>
            {t('growth.done')}
          </Tag>
        ) : (
          <Link key="go" to={STEP_LINKS[step.key]}>
            <Button type="primary" size="small">
              {t('growth.go')}
            </Button>
          </Link>
        ),
      ]}
    >
      <List.Item.Meta
        avatar={
          step.done ? (
            <CheckCircleFilled style={{ color: '#52c41a', fontSize: 22 }} />
          ) : (
            <ClockCircleOutlined style={{ color: '#bfbfbf', fontSize: 22 }} />
          )
        }
        title={t(`growth.step.${step.key}.title`)}
        description={
          <Space orientation="vertical" size={2}>
            <span>{t(`growth.step.${step.key}.guide`)}</span>
            <Space size={4} wrap>
              <GiftOutlined />
              <Typography.Text type={step.reward.granted ? 'success' : 'secondary'}>
                {rewardText(t, step)}
                {step.reward.granted ? ` · ${t('growth.granted')}` : ''}
              </Typography.Text>
              {step.doneAt ? (
                <Typography.Text type="secondary">· {new Date(step.doneAt).toLocaleString()}</Typography.Text>
              ) : null}
            </Space>
          </Space>
        }
      />
    </List.Item>
  );
}

function Rewards({ steps }: { steps: VillageStep[] }) {
  const { t } = useTranslation();
  const granted = steps.filter((s) => s.reward.granted && s.reward.kind !== 'none');
  const impressions = granted
    .filter((s) => s.reward.kind === 'traffic')
    .reduce((a, s) => a + s.reward.amount, 0);
  const feeFree = granted.find((s) => s.reward.kind === 'fee_free');
  return (
    <div data-testid="village-rewards">
      <Typography.Title level={5}>{t('growth.rewards')}</Typography.Title>
      {granted.length === 0 ? (
        <Typography.Text type="secondary">{t('growth.noRewards')}</Typography.Text>
      ) : (
        <Space orientation="vertical">
          <span>{t('growth.reward.trafficTotal', { n: impressions.toLocaleString() })}</span>
          {feeFree ? <span>{t('growth.reward.feeFreeDays', { n: feeFree.reward.amount })}</span> : null}
        </Space>
      )}
    </div>
  );
}

export function IncentiveTable({
  items,
  loading,
  showStore,
}: {
  items: Incentive[] | undefined;
  loading: boolean;
  showStore?: boolean;
}) {
  const { t } = useTranslation();
  if (!loading && items && items.length === 0) return <EmptyState text={t('growth.incentives.empty')} />;
  return (
    <Table<Incentive>
      size="small"
      rowKey={(i) => `${i.programmeId}:${i.storeId}`}
      loading={loading}
      dataSource={items ?? []}
      pagination={false}
      scroll={{ x: true }}
      columns={[
        showStore
          ? {
              title: t('growth.incentives.store'),
              render: (_, i) => i.storeName ?? i.storeId.slice(0, 8),
            }
          : { title: t('growth.incentives.programme'), dataIndex: 'programmeName' },
        {
          title: t('growth.incentives.period'),
          render: (_, i) =>
            `${new Date(i.startsAt).toLocaleDateString()} – ${new Date(i.endsAt).toLocaleDateString()}`,
        },
        { title: t('growth.incentives.gmv'), dataIndex: 'gmvFen', align: 'right', render: formatFen },
        { title: t('growth.incentives.refunds'), dataIndex: 'refundsFen', align: 'right', render: formatFen },
        {
          title: t('growth.incentives.rate'),
          render: (_, i) => (
            <Tooltip title={t('growth.incentives.formula', { cap: formatFen(i.capFen) })}>
              {(i.rateBps / 100).toFixed(2)}% · ≤{formatFen(i.capFen)}
            </Tooltip>
          ),
        },
        { title: t('growth.incentives.earned'), dataIndex: 'earnedFen', align: 'right', render: formatFen },
        { title: t('growth.incentives.paid'), dataIndex: 'paidFen', align: 'right', render: formatFen },
        {
          title: t('growth.incentives.status'),
          dataIndex: 'status',
          render: (s: Incentive['status']) => (
            <Tag color={STATUS_COLORS[s]}>{t(`growth.incentiveStatus.${s}`)}</Tag>
          ),
        },
      ]}
    />
  );
}
