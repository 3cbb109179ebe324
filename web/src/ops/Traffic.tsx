import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Progress,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/error-message.ts';
import { api, errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import {
  bpsText,
  countText,
  PLANS,
  type Plan,
  percentOf,
  SOURCE_COLORS,
  shareText,
} from '../console/traffic.ts';
import { SourceTag } from '../console/traffic-view.tsx';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import {
  type CoverageDay,
  type PlanUse,
  type StoreInPlans,
  type TrafficSettings,
  trafficOpsApi,
} from './traffic-api.ts';
import {
  formToSettings,
  refusedFields,
  SETTINGS_FIELDS,
  type SettingsField,
  settingsToForm,
} from './traffic-settings-form.ts';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

const RANGES = [7, 14, 30] as const;
/** Our goal for cold-start coverage (the platform's public claim is above 95%). */
const GOAL = 0.99;
const GOAL_COLOR = '#389e0d';

/** The operators' traffic page: coverage of new stores, budgets and costs of the plans, stores, settings. */
export function TrafficPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(14);
  const coverage = useAsync((signal) => trafficOpsApi.coverage(days, signal), [days]);
  const plans = useAsync((signal) => trafficOpsApi.plans(days, signal), [days]);
  const stores = useAsync((signal) => trafficOpsApi.stores(signal), []);
  const reload = () => {
    coverage.reload();
    plans.reload();
    stores.reload();
  };
  const c = coverage.data?.days;
  const withStores = c?.some((d) => d.newStores > 0) ?? false;
  return (
    <div data-testid="ops-traffic">
      <h1 className="c-page-title">
        {t('traffic.ops.title')}
        <Space wrap>
          <Segmented
            value={days}
            onChange={(v) => setDays(Number(v))}
            options={RANGES.map((n) => ({ value: n, label: t('traffic.days', { n }) }))}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={reload}
            loading={coverage.loading || plans.loading || stores.loading}
            data-testid="traffic-refresh"
          >
            {t('traffic.refresh')}
          </Button>
        </Space>
      </h1>
      <Typography.Paragraph type="secondary">{t('traffic.ops.hint')}</Typography.Paragraph>
      {coverage.error ? <ErrorAlert error={coverage.error} onRetry={coverage.reload} /> : null}
      {plans.error ? <ErrorAlert error={plans.error} onRetry={plans.reload} /> : null}
      <Headline coverage={c} plans={plans.data} />
      <Card
        style={{ marginTop: 16 }}
        title={t('traffic.ops.coverage')}
        extra={<Typography.Text type="secondary">{t('traffic.ops.coverageHint')}</Typography.Text>}
        data-testid="coverage-chart"
        data-state={!c ? 'loading' : withStores ? 'chart' : 'empty'}
        data-days={c?.length ?? 0}
      >
        {!c ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : withStores ? (
          <CoverageChart coverage={c} />
        ) : (
          <EmptyState text={t('traffic.ops.noNewStores')} />
        )}
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={12}>
          <BudgetCard plans={plans.data} />
        </Col>
        <Col xs={24} xl={12}>
          <CostCard plans={plans.data} />
        </Col>
      </Row>
      <StoresCard
        stores={stores.data?.stores}
        error={stores.error}
        onRetry={stores.reload}
        onGranted={reload}
      />
      <SettingsCard onSaved={reload} />
    </div>
  );
}

function Headline({ coverage, plans }: { coverage: CoverageDay[] | undefined; plans: PlanUse | undefined }) {
  const { t } = useTranslation();
  // The last full day with new stores (today is still running: its minimums are paced to the evening);
  // today only when no earlier day had any.
  const withStores = coverage?.filter((d) => d.newStores > 0) ?? [];
  const today = coverage?.[coverage.length - 1]?.day;
  const last = withStores.filter((d) => d.day !== today).at(-1) ?? withStores.at(-1);
  const ok = last?.coverage !== null && last?.coverage !== undefined && last.coverage >= GOAL;
  const cost = plans?.cost.reduce((a, p) => a + p.gmvCostFen, 0) ?? 0;
  const gmv = plans?.cost.reduce((a, p) => a + p.gmvFen, 0) ?? 0;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} lg={6}>
        <Card style={{ height: '100%' }}>
          <Statistic
            title={t('traffic.ops.coverageLast')}
            loading={!coverage}
            value={shareText(last?.coverage)}
            styles={{ content: { color: last ? (ok ? GOAL_COLOR : '#cf1322') : undefined } }}
          />
          <span hidden data-testid="coverage-last">
            {last?.coverage ?? ''}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {last
              ? t('traffic.ops.reachedOf', { reached: last.reached, stores: last.newStores, day: last.day })
              : t('traffic.ops.goalHint')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card style={{ height: '100%' }}>
          <Statistic
            title={t('traffic.ops.planShare')}
            loading={!plans}
            value={plans ? bpsText(plans.planShareBps) : '—'}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('traffic.ops.planShareHint', { n: countText(plans?.totalImpressions) })}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card style={{ height: '100%' }}>
          <Statistic title={t('traffic.ops.planGmv')} loading={!plans} value={formatFen(gmv)} />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card style={{ height: '100%' }}>
          <Statistic
            title={t('traffic.ops.gmvCost')}
            loading={!plans}
            value={formatFen(cost)}
            styles={{ content: { color: '#ff4d00' } }}
          />
          <span hidden data-testid="gmv-cost-total">
            {plans ? cost : ''}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('traffic.ops.gmvCostHint')}
          </Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}

/** Share of new stores that reached their minimum each day (line), the new stores (bars), the 99% goal. */
function CoverageChart({ coverage }: { coverage: CoverageDay[] }) {
  const { t } = useTranslation();
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);
  const values = coverage.map((c) => pct(c.coverage)).filter((v): v is number => v !== null);
  const min = Math.max(0, Math.floor(Math.min(GOAL * 100, ...values) / 5) * 5 - 5);
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 320 }}
      option={{
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: coverage.map((c) => c.day.slice(5)) },
        yAxis: [
          { type: 'value', min, max: 100, axisLabel: { formatter: '{value}%' } },
          { type: 'value', minInterval: 1, splitLine: { show: false } },
        ],
        series: [
          {
            name: t('traffic.ops.newStores'),
            type: 'bar',
            yAxisIndex: 1,
            barMaxWidth: 28,
            itemStyle: { color: '#d6e4ff' },
            data: coverage.map((c) => c.newStores),
          },
          {
            name: t('traffic.ops.coverageAxis'),
            type: 'line',
            itemStyle: { color: SOURCE_COLORS.cold_start },
            lineStyle: { width: 3 },
            showSymbol: coverage.length <= 16,
            data: coverage.map((c) => pct(c.coverage)),
            tooltip: { valueFormatter: (v: number | null) => (v === null ? '—' : `${v}%`) },
            markLine: {
              symbol: 'none',
              silent: true,
              lineStyle: { color: GOAL_COLOR, type: 'dashed', width: 2 },
              label: {
                formatter: t('traffic.ops.goalLine', { goal: shareText(GOAL) }),
                position: 'insideEndTop',
                color: GOAL_COLOR,
              },
              data: [{ yAxis: GOAL * 100 }],
            },
          },
        ],
      }}
    />
  );
}

interface PlanBudget {
  plan: Plan;
  storesToday: number;
  target: number;
  delivered: number;
}

/** Each plan over the days: impressions delivered against its minimums or budgets, and today's stores. */
function budgets(plans: PlanUse): PlanBudget[] {
  const today = plans.days[plans.days.length - 1];
  return PLANS.map((plan) => {
    const rows = plans.rows.filter((r) => r.source === plan);
    return {
      plan,
      storesToday: rows.filter((r) => r.day === today).reduce((a, r) => a + r.stores, 0),
      target: rows.reduce((a, r) => a + r.targetImpressions, 0),
      delivered: rows.reduce((a, r) => a + r.deliveredImpressions, 0),
    };
  });
}

function BudgetCard({ plans }: { plans: PlanUse | undefined }) {
  const { t } = useTranslation();
  return (
    <Card title={t('traffic.ops.budgetUse')} style={{ height: '100%' }} data-testid="plan-budgets">
      {!plans ? (
        <Skeleton active />
      ) : (
        <Table<PlanBudget>
          rowKey="plan"
          size="small"
          pagination={false}
          dataSource={budgets(plans)}
          onRow={(r) =>
            ({
              'data-testid': 'plan-budget-row',
              'data-plan': r.plan,
              'data-delivered': r.delivered,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: t('traffic.ops.plan'),
              dataIndex: 'plan',
              render: (p: Plan) => <SourceTag source={p} />,
            },
            {
              title: t('traffic.ops.storesToday'),
              dataIndex: 'storesToday',
              align: 'right',
              render: countText,
            },
            {
              title: t('traffic.ops.delivered'),
              key: 'use',
              render: (_, r) => (
                <div style={{ minWidth: 160 }}>
                  <Typography.Text style={{ fontSize: 12 }}>
                    {countText(r.delivered)} / {countText(r.target)}
                  </Typography.Text>
                  <Progress
                    size="small"
                    percent={percentOf(r.delivered, r.target)}
                    strokeColor={SOURCE_COLORS[r.plan]}
                  />
                </div>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** What each plan brought and what it cost: GMV credited to its impressions, and the GMV given up. */
function CostCard({ plans }: { plans: PlanUse | undefined }) {
  const { t } = useTranslation();
  const cost = plans?.cost.filter((c) => c.source !== 'organic') ?? [];
  const any = cost.some((p) => p.gmvCostFen !== 0 || p.gmvFen !== 0 || p.impressions !== 0);
  return (
    <Card
      title={t('traffic.ops.costTitle')}
      extra={<Typography.Text type="secondary">{t('traffic.ops.costHint')}</Typography.Text>}
      style={{ height: '100%' }}
      data-testid="plan-costs"
      data-state={!plans ? 'loading' : any ? 'chart' : 'empty'}
    >
      {!plans ? (
        <Skeleton active />
      ) : any ? (
        <>
          <ReactEChartsCore
            echarts={echarts}
            style={{ height: 220 }}
            option={{
              animation: false,
              tooltip: {
                trigger: 'axis',
                axisPointer: { type: 'shadow' },
                valueFormatter: (v: number) => `¥${Number(v).toFixed(2)}`,
              },
              legend: { top: 0 },
              grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
              xAxis: { type: 'category', data: cost.map((p) => t(`traffic.source.${p.source}`)) },
              yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `¥${v}` } },
              series: [
                {
                  name: t('traffic.ops.planGmv'),
                  type: 'bar',
                  barMaxWidth: 28,
                  itemStyle: { color: '#1677ff' },
                  data: cost.map((p) => p.gmvFen / 100),
                },
                {
                  name: t('traffic.ops.gmvCost'),
                  type: 'bar',
                  barMaxWidth: 28,
                  itemStyle: { color: '#ff4d00' },
                  data: cost.map((p) => p.gmvCostFen / 100),
                },
              ],
            }}
          />
          <Table
            rowKey="source"
            size="small"
            pagination={false}
            dataSource={cost}
            columns={[
              {
                title: t('traffic.ops.plan'),
                dataIndex: 'source',
                render: (p: Plan) => <SourceTag source={p} />,
              },
              {
                title: t('traffic.impressions'),
                dataIndex: 'impressions',
                align: 'right',
                render: countText,
              },
              {
                title: t('traffic.ops.planGmv'),
                dataIndex: 'gmvFen',
                align: 'right',
                render: (v: number) => formatFen(v),
              },
              {
                title: t('traffic.ops.gmvCost'),
                dataIndex: 'gmvCostFen',
                align: 'right',
                render: (v: number) => formatFen(v),
              },
            ]}
          />
        </>
      ) : (
        <EmptyState text={t('traffic.ops.noCost')} />
      )}
    </Card>
  );
}

interface StorePlanRow {
  key: string;
  storeId: string;
  storeName: string;
  source: Plan;
  kind: 'minimum' | 'budget';
  target: number;
  delivered: number;
  launchRemaining: number;
}

/** The stores in a plan today (one line per store and plan), and launch credits granted by hand. */
function StoresCard({
  stores,
  error,
  onRetry,
  onGranted,
}: {
  stores: StoreInPlans[] | undefined;
  error: unknown;
  onRetry: () => void;
  onGranted: () => void;
}) {
  const { t } = useTranslation();
  const [plan, setPlan] = useState<Plan | 'all'>('all');
  const rows: StorePlanRow[] = (stores ?? []).flatMap((s) =>
    s.plans
      .filter((p) => p.source !== 'organic')
      .map((p) => ({
        key: `${s.storeId}:${p.source}`,
        storeId: s.storeId,
        storeName: s.storeName,
        source: p.source as Plan,
        kind: p.kind,
        target: p.targetImpressions,
        delivered: p.delivered,
        launchRemaining: s.launchRemaining,
      })),
  );
  const shown = plan === 'all' ? rows : rows.filter((r) => r.source === plan);
  return (
    <Card
      style={{ marginTop: 16 }}
      title={t('traffic.ops.storesTitle')}
      extra={
        <Select<Plan | 'all'>
          value={plan}
          onChange={setPlan}
          style={{ width: 140 }}
          options={[
            { value: 'all', label: t('common.all') },
            ...PLANS.map((p) => ({ value: p, label: t(`traffic.source.${p}`) })),
          ]}
        />
      }
      data-testid="stores-in-plans"
    >
      <GrantLaunch onGranted={onGranted} />
      <Divider style={{ margin: '12px 0' }} />
      {error ? <ErrorAlert error={error} onRetry={onRetry} /> : null}
      <Table<StorePlanRow>
        rowKey="key"
        size="small"
        loading={!stores && !error}
        dataSource={shown}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        locale={{ emptyText: <EmptyState text={t('traffic.ops.noStores')} /> }}
        onRow={(r) =>
          ({
            'data-testid': 'store-in-plan',
            'data-store-id': r.storeId,
            'data-plan': r.source,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('ops.storeName'), dataIndex: 'storeName' },
          {
            title: t('traffic.ops.plan'),
            dataIndex: 'source',
            render: (p: Plan) => <SourceTag source={p} />,
          },
          {
            title: t('traffic.ops.todayDelivered'),
            key: 'today',
            render: (_, r) => (
              <Space>
                <span>
                  {countText(r.delivered)} / {countText(r.target)}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`traffic.ops.kind.${r.kind}`)}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '',
            key: 'bar',
            width: 160,
            render: (_, r) => (
              <Progress
                size="small"
                percent={percentOf(r.delivered, r.target)}
                strokeColor={SOURCE_COLORS[r.source]}
              />
            ),
          },
          {
            title: t('traffic.ops.launchRemaining'),
            dataIndex: 'launchRemaining',
            align: 'right',
            render: countText,
          },
        ]}
      />
    </Card>
  );
}

interface GrantForm {
  storeId: string;
  impressions: number;
  periodDays?: number;
  note?: string;
}

/** Grants launch credits (impressions, spent over a period) to a store chosen from the merchants list. */
function GrantLaunch({ onGranted }: { onGranted: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchants = useAsync(
    (signal) => api.get('/ops/merchants', { params: { query: { pageSize: 100 } }, signal }),
    [],
  );
  const [form] = Form.useForm<GrantForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const grant = async (v: GrantForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await trafficOpsApi.grantLaunch({
        storeId: v.storeId,
        impressions: v.impressions,
        ...(v.periodDays ? { periodDays: v.periodDays } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      message.success(t('traffic.ops.granted'));
      form.resetFields();
      onGranted();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography.Text strong>{t('traffic.ops.grantTitle')}</Typography.Text>
      <Form<GrantForm>
        form={form}
        layout="inline"
        onFinish={grant}
        style={{ marginTop: 8, rowGap: 8 }}
        data-testid="grant-launch"
      >
        <Form.Item name="storeId" rules={[{ required: true, message: t('traffic.ops.pickStore') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('traffic.ops.pickStore')}
            style={{ width: 220 }}
            loading={merchants.loading}
            options={(merchants.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
            data-testid="grant-store"
          />
        </Form.Item>
        <Form.Item
          name="impressions"
          rules={[{ required: true, message: t('traffic.ops.impressionsRequired') }]}
        >
          <InputNumber
            min={1}
            max={10_000_000}
            precision={0}
            placeholder={t('traffic.ops.grantImpressions')}
            suffix={t('traffic.unit.impressions')}
            style={{ width: 170 }}
            data-testid="grant-impressions"
          />
        </Form.Item>
        <Form.Item name="periodDays">
          <InputNumber
            min={1}
            max={90}
            precision={0}
            placeholder={t('traffic.ops.grantPeriod')}
            suffix={t('traffic.unit.days')}
            style={{ width: 180 }}
            data-testid="grant-period"
          />
        </Form.Item>
        <Form.Item name="note">
          <Input maxLength={200} placeholder={t('traffic.ops.grantNote')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="grant-submit">
            {t('traffic.ops.grant')}
          </Button>
        </Form.Item>
      </Form>
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={<span data-testid="error-message">{error}</span>}
        />
      ) : null}
    </>
  );
}

/** The plans' settings; the API's refusal of a field is shown under that field. */
function SettingsCard({ onSaved }: { onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const settings = useAsync((signal) => trafficOpsApi.settings(signal), []);
  const [form] = Form.useForm<Record<string, unknown>>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const s = settings.data;
  const save = async (v: Record<string, unknown>) => {
    if (!s) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await trafficOpsApi.saveSettings(formToSettings<TrafficSettings>(v, s.settings));
      settings.setData(saved);
      form.setFieldsValue(settingsToForm(saved.settings));
      message.success(t('traffic.ops.saved'));
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError)
        form.setFields(
          refusedFields(e.details).map((name) => ({ name, errors: [t('traffic.ops.fieldRefused')] })),
        );
    } finally {
      setBusy(false);
    }
  };
  const field = (f: SettingsField) => (
    <Col xs={24} md={12} xl={8} key={f.key}>
      <Form.Item
        name={[...f.name]}
        label={t(`traffic.settings.${f.key}`)}
        extra={t(`traffic.settings.${f.key}Hint`)}
        rules={[{ required: true, message: t('traffic.ops.required') }]}
      >
        <InputNumber
          min={f.min}
          max={f.max}
          precision={f.precision}
          suffix={f.bps ? '%' : f.unit ? t(`traffic.unit.${f.unit}`) : undefined}
          style={{ width: '100%' }}
          data-testid={`setting-${f.key}`}
        />
      </Form.Item>
    </Col>
  );
  const group = (g: SettingsField['group'], source: Plan) => (
    <>
      <Divider titlePlacement="start">
        <SourceTag source={source} />
      </Divider>
      <Row gutter={16}>{SETTINGS_FIELDS.filter((f) => f.group === g).map(field)}</Row>
    </>
  );
  return (
    <Card
      style={{ marginTop: 16 }}
      title={t('traffic.ops.settings')}
      extra={
        s?.updatedAt ? (
          <Typography.Text type="secondary">
            {t('traffic.ops.updatedAt', {
              at: new Date(s.updatedAt).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
                hour12: false,
              }),
            })}
          </Typography.Text>
        ) : null
      }
      data-testid="traffic-settings"
    >
      {settings.error ? (
        <ErrorAlert error={settings.error} onRetry={settings.reload} />
      ) : !s ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" initialValues={settingsToForm(s.settings)} onFinish={save}>
          {group('coldStart', 'cold_start')}
          {group('launch', 'launch')}
          {group('fuyao', 'fuyao')}
          {error ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={<span data-testid="error-message">{error}</span>}
            />
          ) : null}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="traffic-settings-save">
            {t('common.save')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
