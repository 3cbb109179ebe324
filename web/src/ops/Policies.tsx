import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Skeleton,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { CouponsTable } from '../console/CouponsTable.tsx';
import { SkuPicker } from '../console/SkuPicker.tsx';
import {
  type AftersalePolicy,
  aftersaleApi,
  type CreditPolicy,
  couponsApi,
  policiesApi,
  type Subsidy,
} from '../console/trust-api.ts';
import { fenToYuan, formatFen, yuanToFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';
import { ReviewPolicyForm } from './ReviewPolicy.tsx';

const TABS = ['aftersale', 'credit', 'subsidies', 'coupons', 'reviews'] as const;
type Tab = (typeof TABS)[number];

/** Operator policies: after-sale rules, credit (pay later), subsidy budgets and platform coupons. */
export function PoliciesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'aftersale';
  const content: Record<Tab, ReactNode> = {
    aftersale: <AftersalePolicyForm />,
    credit: <CreditPolicyForm />,
    subsidies: <Subsidies />,
    reviews: <ReviewPolicyForm />,
    coupons: (
      <CouponsTable
        scope="platform"
        list={couponsApi.listPlatform}
        create={couponsApi.createPlatform}
        stop={couponsApi.stopPlatform}
      />
    ),
  };
  return (
    <div data-testid="ops-policies">
      <h1 className="c-page-title">{t('trustConsole.menu.policies')}</h1>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={TABS.map((k) => ({
          key: k,
          label: (
            <span data-testid={`policy-tab-${k}`}>
              {k === 'reviews' ? t('reviewsConsole.policy.tab') : t(`trustConsole.policies.tab.${k}`)}
            </span>
          ),
          children: content[k],
        }))}
      />
    </div>
  );
}

/** Save button + error line shared by the policy forms. */
function SaveRow({ busy, error, testId }: { busy: boolean; error?: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={<span data-testid="error-message">{error}</span>}
        />
      )}
      <Button type="primary" htmlType="submit" loading={busy} data-testid={testId}>
        {t('common.save')}
      </Button>
    </>
  );
}

function useSave<T>(save: (v: T) => Promise<unknown>, after?: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (v: T) => {
    setBusy(true);
    setError(undefined);
    try {
      await save(v);
      message.success(t('trustConsole.policies.saved'));
      after?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

const money = (max: number) => ({ min: 0, max, precision: 2, prefix: '¥', style: { width: '100%' } });
const count = (min: number, max: number) => ({ min, max, precision: 0, style: { width: '100%' } });

interface AftersaleForm {
  lowAmountMax: number;
  goodStandingMaxRejected: number;
  parcelOverdueDays: number;
  lowPriceMax: number;
  merchantSlaHours: number;
  returnShipDays: number;
  returnReceiptSlaHours: number;
  autoConfirmDays: number;
  abuseMaxCount: number;
  abuseMax: number;
  subsidyEnabled: boolean;
  subsidyFlat: number;
  newStoreDays: number;
  platformBudget: number;
}

function AftersalePolicyForm() {
  const { t } = useTranslation();
  const policy = useAsync((signal) => aftersaleApi.policy(signal), []);
  const save = useSave((v: AftersaleForm) => {
    const p = policy.data as AftersalePolicy;
    return aftersaleApi.savePolicy({
      autoApprove: {
        lowAmountMaxFen: yuanToFen(v.lowAmountMax),
        goodStandingMaxRejected: v.goodStandingMaxRejected,
        parcelOverdueDays: v.parcelOverdueDays,
        lowPriceMaxFen: yuanToFen(v.lowPriceMax),
      },
      merchantSlaHours: v.merchantSlaHours,
      returnShipDays: v.returnShipDays,
      returnReceiptSlaHours: v.returnReceiptSlaHours,
      autoConfirmDays: v.autoConfirmDays,
      abuse: { maxCount30d: v.abuseMaxCount, maxAmountFen30d: yuanToFen(v.abuseMax) },
      shippingSubsidy: {
        enabled: v.subsidyEnabled,
        flatFen: yuanToFen(v.subsidyFlat),
        byProvinceFen: p.shippingSubsidy.byProvinceFen,
        newStoreDays: v.newStoreDays,
        platformBudgetFen: yuanToFen(v.platformBudget),
      },
    });
  }, policy.reload);
  const p = policy.data;
  if (policy.error) return <ErrorAlert error={policy.error} onRetry={policy.reload} />;
  if (!p) return <Skeleton active />;
  const k = (s: string) => `trustConsole.policies.aftersale.${s}`;
  const hours = t('trustConsole.policies.hours');
  const days = t('trustConsole.policies.days');
  const provinces = Object.entries(p.shippingSubsidy.byProvinceFen);
  return (
    <Card style={{ maxWidth: 760 }} data-testid="policy-aftersale">
      <Form<AftersaleForm>
        layout="vertical"
        onFinish={save.run}
        initialValues={{
          lowAmountMax: fenToYuan(p.autoApprove.lowAmountMaxFen),
          goodStandingMaxRejected: p.autoApprove.goodStandingMaxRejected,
          parcelOverdueDays: p.autoApprove.parcelOverdueDays,
          lowPriceMax: fenToYuan(p.autoApprove.lowPriceMaxFen),
          merchantSlaHours: p.merchantSlaHours,
          returnShipDays: p.returnShipDays,
          returnReceiptSlaHours: p.returnReceiptSlaHours,
          autoConfirmDays: p.autoConfirmDays,
          abuseMaxCount: p.abuse.maxCount30d,
          abuseMax: fenToYuan(p.abuse.maxAmountFen30d),
          subsidyEnabled: p.shippingSubsidy.enabled,
          subsidyFlat: fenToYuan(p.shippingSubsidy.flatFen),
          newStoreDays: p.shippingSubsidy.newStoreDays,
          platformBudget: fenToYuan(p.shippingSubsidy.platformBudgetFen),
        }}
      >
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t(k('autoTitle'))}
        </Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="lowAmountMax"
              label={t(k('autoApproveMax'))}
              extra={t(k('autoApproveMaxHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...money(100_000)} data-testid="policy-auto-approve-max" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="goodStandingMaxRejected"
              label={t(k('goodStanding'))}
              extra={t(k('goodStandingHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(0, 100)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="parcelOverdueDays"
              label={t(k('parcelOverdue'))}
              extra={t(k('parcelOverdueHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(1, 60)} suffix={days} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="lowPriceMax"
              label={t(k('lowPriceMax'))}
              extra={t(k('lowPriceMaxHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...money(100_000)} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t(k('slaTitle'))}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="merchantSlaHours"
              label={t(k('sla'))}
              extra={t(k('slaHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(1, 720)} suffix={hours} data-testid="policy-sla-hours" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="returnShipDays"
              label={t(k('returnShipDays'))}
              extra={t(k('returnShipDaysHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(1, 30)} suffix={days} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="returnReceiptSlaHours"
              label={t(k('receiptSla'))}
              extra={t(k('receiptSlaHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(1, 720)} suffix={hours} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="autoConfirmDays"
              label={t(k('autoConfirm'))}
              extra={t(k('autoConfirmHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(1, 30)} suffix={days} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t(k('abuseTitle'))}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="abuseMaxCount" label={t(k('abuseMaxCount'))} rules={[{ required: true }]}>
              <InputNumber {...count(1, 1000)} data-testid="policy-abuse-count" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="abuseMax" label={t(k('abuseMax'))} rules={[{ required: true }]}>
              <InputNumber {...money(1_000_000)} data-testid="policy-abuse-amount" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
          {t(k('abuseHint'))}
        </Typography.Paragraph>
        <Typography.Title level={5}>{t(k('shippingTitle'))}</Typography.Title>
        <Form.Item name="subsidyEnabled" label={t(k('shippingEnabled'))} valuePropName="checked">
          <Switch data-testid="policy-shipping-enabled" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="subsidyFlat"
              label={t(k('returnShipping'))}
              extra={t(k('returnShippingHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...money(100)} data-testid="policy-return-shipping" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="newStoreDays"
              label={t(k('newMerchantDays'))}
              extra={t(k('newMerchantDaysHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(0, 365)} suffix={days} data-testid="policy-new-merchant-days" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="platformBudget" label={t(k('shippingBudget'))} rules={[{ required: true }]}>
              <InputNumber {...money(10_000_000)} />
            </Form.Item>
          </Col>
        </Row>
        {provinces.length ? (
          <Typography.Paragraph type="secondary">
            {t(k('byProvince'))} {provinces.map(([prov, fen]) => `${prov} ${formatFen(fen)}`).join(' · ')}
          </Typography.Paragraph>
        ) : null}
        <SaveRow busy={save.busy} error={save.error} testId="policy-aftersale-save" />
      </Form>
    </Card>
  );
}

interface CreditForm {
  baseLimit: number;
  perCompletedOrder: number;
  maxLimit: number;
  minAccountAgeDays: number;
  minCompletedOrders: number;
  maxRefundSharePct: number;
  dueDays: number;
  reminderDays: number;
  freezeWhenOverdue: boolean;
  feePct: number;
  promotion?: [Dayjs, Dayjs] | null;
}

function CreditPolicyForm() {
  const { t } = useTranslation();
  const policy = useAsync((signal) => policiesApi.credit(signal), []);
  const save = useSave(
    (v: CreditForm) =>
      policiesApi.saveCredit({
        baseLimitFen: yuanToFen(v.baseLimit),
        perCompletedOrderFen: yuanToFen(v.perCompletedOrder),
        maxLimitFen: yuanToFen(v.maxLimit),
        minAccountAgeDays: v.minAccountAgeDays,
        minCompletedOrders: v.minCompletedOrders,
        maxRefundShareBps: Math.round(v.maxRefundSharePct * 100),
        dueDays: v.dueDays,
        reminderDays: v.reminderDays,
        freezeWhenOverdue: v.freezeWhenOverdue,
        feeBps: Math.round(v.feePct * 100),
        promotionStartsAt: v.promotion?.[0]?.toISOString() ?? null,
        promotionEndsAt: v.promotion?.[1]?.toISOString() ?? null,
      } satisfies CreditPolicy),
    () => policy.reload(),
  );
  const p = policy.data;
  if (policy.error) return <ErrorAlert error={policy.error} onRetry={policy.reload} />;
  if (!p) return <Skeleton active />;
  const k = (s: string) => `trustConsole.policies.credit.${s}`;
  const days = t('trustConsole.policies.days');
  return (
    <Card style={{ maxWidth: 760 }} data-testid="policy-credit">
      <Form<CreditForm>
        layout="vertical"
        onFinish={save.run}
        initialValues={{
          baseLimit: fenToYuan(p.baseLimitFen),
          perCompletedOrder: fenToYuan(p.perCompletedOrderFen),
          maxLimit: fenToYuan(p.maxLimitFen),
          minAccountAgeDays: p.minAccountAgeDays,
          minCompletedOrders: p.minCompletedOrders,
          maxRefundSharePct: p.maxRefundShareBps / 100,
          dueDays: p.dueDays,
          reminderDays: p.reminderDays,
          freezeWhenOverdue: p.freezeWhenOverdue,
          feePct: p.feeBps / 100,
          promotion:
            p.promotionStartsAt && p.promotionEndsAt
              ? [dayjs(p.promotionStartsAt), dayjs(p.promotionEndsAt)]
              : null,
        }}
      >
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t(k('lineTitle'))}
        </Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="baseLimit"
              label={t(k('baseLimit'))}
              extra={t(k('baseLimitHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...money(1_000_000)} data-testid="policy-credit-base" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="perCompletedOrder" label={t(k('perOrder'))} rules={[{ required: true }]}>
              <InputNumber {...money(100_000)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="maxLimit"
              label={t(k('maxLimit'))}
              dependencies={['baseLimit']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_, v: number | undefined) =>
                    v === undefined || yuanToFen(v) >= yuanToFen(getFieldValue('baseLimit'))
                      ? Promise.resolve()
                      : Promise.reject(new Error(t(k('maxBelowBase')))),
                }),
              ]}
            >
              <InputNumber {...money(1_000_000)} data-testid="policy-credit-max" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t(k('eligibleTitle'))}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="minAccountAgeDays" label={t(k('minAccountAge'))} rules={[{ required: true }]}>
              <InputNumber {...count(0, 3650)} suffix={days} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="minCompletedOrders" label={t(k('minOrders'))} rules={[{ required: true }]}>
              <InputNumber {...count(0, 1000)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="maxRefundSharePct" label={t(k('maxRefundShare'))} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t(k('billTitle'))}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="dueDays"
              label={t(k('dueDays'))}
              extra={t(k('dueDaysHint'))}
              rules={[{ required: true }]}
            >
              <InputNumber {...count(0, 365)} suffix={days} data-testid="policy-credit-due-days" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="reminderDays" label={t(k('reminderDays'))} rules={[{ required: true }]}>
              <InputNumber {...count(1, 365)} suffix={days} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="freezeWhenOverdue" label={t(k('freeze'))} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Title level={5}>{t(k('merchantTitle'))}</Typography.Title>
        <Form.Item name="feePct" label={t(k('merchantFee'))} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="promotion"
          label={t(k('promotion'))}
          extra={p.promotionActive ? t(k('promotionActive')) : t(k('promotionHint'))}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            allowEmpty={[true, true]}
          />
        </Form.Item>
        <SaveRow busy={save.busy} error={save.error} testId="policy-credit-save" />
      </Form>
    </Card>
  );
}

interface SubsidyForm {
  title: string;
  total: number;
  window: [Dayjs, Dayjs];
  skus: Array<{ skuId: string; perUnit: number; capUnits: number }>;
}

/** Low-price subsidies: budgets with a window, a subsidy per unit and a cap for each SKU. */
function Subsidies() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const list = useAsync((signal) => policiesApi.subsidies(signal), []);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<SubsidyForm>();
  const create = useSave(
    (v: SubsidyForm) =>
      policiesApi.createSubsidy({
        title: v.title.trim(),
        totalFen: yuanToFen(v.total),
        startsAt: v.window[0].toISOString(),
        endsAt: v.window[1].toISOString(),
        skus: v.skus.map((x) => ({
          skuId: x.skuId.trim(),
          fenPerUnit: yuanToFen(x.perUnit),
          capUnits: x.capUnits,
        })),
      }),
    () => {
      setOpen(false);
      list.reload();
    },
  );
  const k = (s: string) => `trustConsole.policies.subsidy.${s}`;
  const now = Date.now();
  const rows = list.data ?? [];
  const totals = rows
    .filter((b) => b.status === 'active' && Date.parse(b.endsAt) > now)
    .reduce((acc, b) => ({ total: acc.total + b.totalFen, drawn: acc.drawn + b.drawnFen }), {
      total: 0,
      drawn: 0,
    });
  return (
    <>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Card
        title={t(k('budgets'))}
        extra={
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({
                window: [dayjs().startOf('minute'), dayjs().add(7, 'day').endOf('day')],
                skus: [{ skuId: '', perUnit: 1, capUnits: 100 }],
              });
              setOpen(true);
            }}
            data-testid="subsidy-new"
          >
            {t(k('new'))}
          </Button>
        }
        data-testid="policy-subsidies"
        data-loading={String(list.loading)}
      >
        <Statistic
          title={t(k('spentOfTotal'))}
          loading={list.loading && !list.data}
          value={`${formatFen(totals.drawn)} / ${formatFen(totals.total)}`}
        />
        <Progress
          style={{ maxWidth: 480, marginBottom: 16 }}
          percent={totals.total ? Math.min(100, Math.round((totals.drawn / totals.total) * 100)) : 0}
        />
        <Table<Subsidy>
          rowKey="id"
          loading={list.loading}
          dataSource={rows}
          locale={{ emptyText: <EmptyState text={t(k('none'))} /> }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 960 }}
          onRow={(b) =>
            ({ 'data-testid': 'subsidy-row', 'data-subsidy-id': b.id }) as React.HTMLAttributes<HTMLElement>
          }
          expandable={{
            expandedRowRender: (b) => (
              <Table
                rowKey="skuId"
                size="small"
                pagination={false}
                dataSource={b.skus}
                columns={[
                  { title: t(k('skuId')), dataIndex: 'skuId' },
                  {
                    title: t(k('amount')),
                    dataIndex: 'fenPerUnit',
                    width: 130,
                    render: (v: number) => formatFen(v),
                  },
                  {
                    title: t(k('capUsed')),
                    key: 'cap',
                    width: 200,
                    render: (_, x) => `${x.drawnUnits} / ${x.capUnits}`,
                  },
                ]}
              />
            ),
          }}
          columns={[
            { title: t(k('title')), dataIndex: 'title', render: (v: string) => <b>{v}</b> },
            { title: t(k('skus')), key: 'skus', width: 150, render: (_, b) => b.skus.length },
            {
              title: t(k('budgetUsed')),
              key: 'drawn',
              width: 230,
              render: (_, b) => (
                <>
                  {formatFen(b.drawnFen)} / {formatFen(b.totalFen)}
                  <Progress
                    percent={b.totalFen ? Math.round((b.drawnFen / b.totalFen) * 100) : 0}
                    size="small"
                    showInfo={false}
                  />
                </>
              ),
            },
            {
              title: t('trustConsole.coupons.window'),
              key: 'window',
              width: 330,
              render: (_, b) =>
                `${formatTime(b.startsAt, i18n.language)} – ${formatTime(b.endsAt, i18n.language)}`,
            },
            {
              title: t('common.status'),
              key: 'status',
              width: 100,
              render: (_, b) =>
                b.status === 'stopped' ? (
                  <Tag>{t('trustConsole.coupons.state.stopped')}</Tag>
                ) : Date.parse(b.endsAt) <= now ? (
                  <Tag>{t('trustConsole.coupons.state.ended')}</Tag>
                ) : Date.parse(b.startsAt) > now ? (
                  <Tag color="blue">{t('trustConsole.coupons.state.upcoming')}</Tag>
                ) : (
                  <Tag color="green">{t('trustConsole.coupons.state.active')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 90,
              fixed: 'right',
              render: (_, b) =>
                b.status === 'active' && Date.parse(b.endsAt) > now ? (
                  <Popconfirm
                    title={t(k('stopConfirm'))}
                    onConfirm={async () => {
                      try {
                        await policiesApi.stopSubsidy(b.id);
                        message.success(t('trustConsole.coupons.stopped'));
                        list.reload();
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  >
                    <Button size="small" danger>
                      {t('trustConsole.coupons.stop')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        width={720}
        title={t(k('new'))}
        onCancel={() => setOpen(false)}
        onOk={() => void form.validateFields().then(create.run)}
        confirmLoading={create.busy}
        okText={t('common.create')}
        okButtonProps={{ 'data-testid': 'subsidy-submit' } as Record<string, string>}
        destroyOnHidden
        forceRender
      >
        <Form<SubsidyForm> form={form} layout="vertical">
          <Form.Item
            name="title"
            label={t(k('title'))}
            rules={[{ required: true, whitespace: true, max: 40 }]}
          >
            <Input data-testid="subsidy-title" />
          </Form.Item>
          <Form.Item name="total" label={t(k('total'))} rules={[{ required: true }]}>
            <InputNumber {...money(100_000_000)} min={0.01} data-testid="subsidy-total" />
          </Form.Item>
          <Form.Item name="window" label={t('trustConsole.coupons.window')} rules={[{ required: true }]}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.List name="skus">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row key={f.key} gutter={8} align="top">
                    <Col span={11}>
                      <Form.Item
                        name={[f.name, 'skuId']}
                        label={t(k('skuId'))}
                        rules={[{ required: true, message: t(k('skuIdInvalid')) }]}
                      >
                        <SkuPicker testId="subsidy-sku" />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item
                        name={[f.name, 'perUnit']}
                        label={t(k('amount'))}
                        rules={[{ required: true }]}
                      >
                        <InputNumber {...money(10_000)} min={0.01} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item
                        name={[f.name, 'capUnits']}
                        label={t(k('capUnits'))}
                        rules={[{ required: true }]}
                      >
                        <InputNumber {...count(1, 10_000_000)} />
                      </Form.Item>
                    </Col>
                    <Col span={2} style={{ paddingTop: 30 }}>
                      {fields.length > 1 ? (
                        <Button
                          type="text"
                          danger
                          onClick={() => remove(f.name)}
                          aria-label={t('common.delete')}
                        >
                          ×
                        </Button>
                      ) : null}
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" onClick={() => add({ skuId: '', perUnit: 1, capUnits: 100 })} block>
                  {t(k('addSku'))}
                </Button>
              </>
            )}
          </Form.List>
          {create.error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={create.error} />}
        </Form>
      </Modal>
    </>
  );
}
