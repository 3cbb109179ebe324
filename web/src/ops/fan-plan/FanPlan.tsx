import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  InputNumber,
  Progress,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage, type ResponseOf } from '../../api.ts';
import { ErrorAlert } from '../../console/ConsoleShell.tsx';
import { useAsync } from '../../shared/hooks.ts';
import {
  type FanPlanTerms,
  PLAN_FIELDS,
  type PlanExample,
  type PlanField,
  planBoost,
  planExamples,
  refusedPlanFields,
  validTerms,
} from './fan-plan-form.ts';

type Enrolled = ResponseOf<'/ops/fan-plan/stores/{id}', 'post'>;
type PlanStore = ResponseOf<'/ops/fan-plan/stores', 'get'>['items'][number];

const fanPlanApi = {
  settings: (signal?: AbortSignal) => api.get('/ops/fan-plan/settings', { signal }),
  save: (body: FanPlanTerms) => api.put('/ops/fan-plan/settings', { body }),
  enroll: (id: string) => api.post('/ops/fan-plan/stores/{id}', { params: { path: { id } } }),
  stores: (signal?: AbortSignal) => api.get('/ops/fan-plan/stores', { signal }),
};

const count = (n: number) => n.toLocaleString('en-US');

/** The fan-growth plan (涨粉计划) for operators: what it does, its terms and their form, enrolling a store. */
export function FanPlanPage() {
  const { t } = useTranslation();
  const settings = useAsync((signal) => fanPlanApi.settings(signal), []);
  const s = settings.data;
  // Bumped by an enrolment: the list of stores in the plan is read again.
  const [enrolments, setEnrolments] = useState(0);
  return (
    <div data-testid="ops-fan-plan">
      <h1 className="c-page-title">
        {t('ops.fanPlan.title')}
        <Button icon={<ReloadOutlined />} onClick={settings.reload} loading={settings.loading}>
          {t('ops.fanPlan.refresh')}
        </Button>
      </h1>
      <Typography.Paragraph type="secondary">{t('ops.fanPlan.intro')}</Typography.Paragraph>
      {settings.error ? <ErrorAlert error={settings.error} onRetry={settings.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <TermsCard terms={s} />
        </Col>
        <Col xs={24} xl={12}>
          <EnrollCard onEnrolled={() => setEnrolments((n) => n + 1)} />
        </Col>
      </Row>
      <StoresCard version={enrolments} />
      {s ? <SettingsCard key={JSON.stringify(s)} terms={s} onSaved={settings.setData} /> : null}
    </div>
  );
}

/** The terms in force, and the rule they feed, in words. */
function TermsCard({ terms }: { terms: FanPlanTerms | undefined }) {
  const { t } = useTranslation();
  return (
    <Card title={t('ops.fanPlan.current')} style={{ height: '100%' }} data-testid="fan-plan-terms">
      {!terms ? (
        <Skeleton active />
      ) : (
        <>
          <Descriptions
            size="small"
            layout="vertical"
            colon={false}
            column={3}
            items={PLAN_FIELDS.map((f) => ({
              key: f.name,
              label: t(`ops.fanPlan.field.${f.name}`),
              children: (
                <span style={{ whiteSpace: 'nowrap' }} data-testid={`fan-plan-term-${f.name}`}>
                  {f.unit === 'percent'
                    ? `${count(terms[f.name])}%`
                    : `${count(terms[f.name])} ${t(`ops.fanPlan.unit.${f.unit}`)}`}
                </span>
              ),
            }))}
          />
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('ops.fanPlan.howTitle')}
          </Typography.Title>
          <ul style={{ paddingInlineStart: 20, margin: 0 }}>
            <li>{t('ops.fanPlan.howEnroll', { age: terms.maxStoreAgeDays })}</li>
            <li>
              {t('ops.fanPlan.howTarget', {
                pct: terms.targetPct,
                min: Math.max(terms.minGain, 1),
                days: terms.days,
              })}
            </li>
            <li>{t('ops.fanPlan.howLine')}</li>
            <li>
              {t('ops.fanPlan.howBoost', {
                per: count(terms.impressionsPerFan),
                cap: count(terms.maxDailyImpressions),
                five: count(planBoost(5, terms)),
              })}
            </li>
            <li>{t('ops.fanPlan.howFixed')}</li>
          </ul>
        </>
      )}
    </Card>
  );
}

/** Targets for a few store sizes under `terms`. */
function ExamplesTable({ terms }: { terms: FanPlanTerms }) {
  const { t } = useTranslation();
  return (
    <Table<PlanExample>
      rowKey="startFans"
      size="small"
      pagination={false}
      dataSource={planExamples(terms)}
      data-testid="fan-plan-examples"
      columns={[
        { title: t('ops.fanPlan.startFans'), dataIndex: 'startFans', align: 'right', render: count },
        { title: t('ops.fanPlan.targetFans'), dataIndex: 'targetFans', align: 'right', render: count },
        {
          title: t('ops.fanPlan.setBy'),
          dataIndex: 'byMinimum',
          render: (byMinimum: boolean) =>
            byMinimum ? (
              <Tag color="orange">{t('ops.fanPlan.byMinimum', { min: Math.max(terms.minGain, 1) })}</Tag>
            ) : (
              <Tag color="blue">{t('ops.fanPlan.byShare', { pct: terms.targetPct })}</Tag>
            ),
        },
      ]}
    />
  );
}

/** The form: the API's bounds on each field; what the edited terms would mean, before saving. */
function SettingsCard({ terms, onSaved }: { terms: FanPlanTerms; onSaved: (t: FanPlanTerms) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FanPlanTerms>();
  const watched = Form.useWatch([], form);
  const preview = validTerms(watched) ?? terms;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const save = async (v: FanPlanTerms) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await fanPlanApi.save(v);
      message.success(t('ops.fanPlan.saved'));
      onSaved(saved);
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError)
        form.setFields(
          refusedPlanFields(e.details).map((name) => ({ name, errors: [t('ops.fanPlan.fieldRefused')] })),
        );
    } finally {
      setBusy(false);
    }
  };
  const field = (f: PlanField) => (
    <Col xs={24} md={12} xl={8} key={f.name}>
      <Form.Item
        name={f.name}
        label={t(`ops.fanPlan.field.${f.name}`)}
        extra={t(`ops.fanPlan.field.${f.name}Hint`, { min: count(f.min), max: count(f.max) })}
        rules={[
          { required: true, message: t('ops.fanPlan.required') },
          {
            type: 'integer',
            min: f.min,
            max: f.max,
            message: t('ops.fanPlan.outOfRange', { min: count(f.min), max: count(f.max) }),
          },
        ]}
      >
        <InputNumber
          min={f.min}
          max={f.max}
          precision={0}
          suffix={t(`ops.fanPlan.unit.${f.unit}`)}
          style={{ width: '100%' }}
          data-testid={`fan-plan-${f.name}`}
        />
      </Form.Item>
    </Col>
  );
  return (
    <Card style={{ marginTop: 16 }} title={t('ops.fanPlan.edit')} data-testid="fan-plan-settings">
      <Form<FanPlanTerms> form={form} layout="vertical" initialValues={terms} onFinish={save}>
        <Row gutter={16}>{PLAN_FIELDS.map(field)}</Row>
        <Typography.Text strong>{t('ops.fanPlan.examples')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('ops.fanPlan.examplesHint')}
        </Typography.Paragraph>
        <ExamplesTable terms={preview} />
        {error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={<span data-testid="error-message">{error}</span>}
          />
        ) : null}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="fan-plan-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => form.resetFields()} disabled={busy}>
            {t('ops.fanPlan.reset')}
          </Button>
          <Typography.Text type="secondary">{t('ops.fanPlan.saveHint')}</Typography.Text>
        </Space>
      </Form>
    </Card>
  );
}

/** Enrolls a store picked from the merchants (the server checks it is new enough and not enrolled). */
function EnrollCard({ onEnrolled }: { onEnrolled: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchants = useAsync(
    (signal) => api.get('/ops/merchants', { params: { query: { pageSize: 100 } }, signal }),
    [],
  );
  const [storeId, setStoreId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [enrolled, setEnrolled] = useState<{ name: string; plan: Enrolled }>();
  const name = (id: string) => merchants.data?.items.find((m) => m.id === id)?.name ?? id;
  const enroll = async () => {
    if (!storeId) return;
    setBusy(true);
    setError(undefined);
    try {
      const plan = await fanPlanApi.enroll(storeId);
      setEnrolled({ name: name(storeId), plan });
      message.success(t('ops.fanPlan.enrolled'));
      onEnrolled();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('ops.fanPlan.enrollTitle')} style={{ height: '100%' }} data-testid="fan-plan-enroll">
      <Typography.Paragraph type="secondary">{t('ops.fanPlan.enrollHint')}</Typography.Paragraph>
      {merchants.error ? <ErrorAlert error={merchants.error} onRetry={merchants.reload} /> : null}
      <Space wrap>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('ops.fanPlan.pickStore')}
          style={{ width: 260 }}
          loading={merchants.loading}
          value={storeId}
          onChange={(v: string) => {
            setStoreId(v);
            setError(undefined);
          }}
          options={(merchants.data?.items ?? []).map((m) => ({
            value: m.id,
            label: `${m.name} · ${t('ops.fanPlan.openedOn', { day: m.openedAt.slice(0, 10) })}`,
          }))}
          data-testid="fan-plan-store"
        />
        <Button
          type="primary"
          onClick={enroll}
          loading={busy}
          disabled={!storeId}
          data-testid="fan-plan-enroll-submit"
        >
          {t('ops.fanPlan.enroll')}
        </Button>
      </Space>
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={<span data-testid="enroll-error">{error}</span>}
        />
      ) : null}
      {enrolled ? (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="fan-plan-enrolled"
          title={t('ops.fanPlan.enrolledText', {
            store: enrolled.name,
            start: count(enrolled.plan.startFans),
            target: count(enrolled.plan.targetFans),
            from: enrolled.plan.startedOn,
            to: enrolled.plan.endsOn,
          })}
        />
      ) : null}
    </Card>
  );
}

const STATUS_COLOR = { active: 'processing', met: 'success', ended: 'default' } as const;

/** The stores in the plan and where each stands today (fans against the straight line to the target). */
function StoresCard({ version }: { version: number }) {
  const { t } = useTranslation();
  const stores = useAsync((signal) => fanPlanApi.stores(signal), [version]);
  return (
    <Card style={{ marginTop: 16 }} title={t('ops.fanPlan.storesTitle')} data-testid="fan-plan-stores">
      <Typography.Paragraph type="secondary">{t('ops.fanPlan.storesHint')}</Typography.Paragraph>
      {stores.error ? <ErrorAlert error={stores.error} onRetry={stores.reload} /> : null}
      <Table<PlanStore>
        rowKey="storeId"
        size="small"
        loading={stores.loading}
        dataSource={stores.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        locale={{ emptyText: t('ops.fanPlan.storesEmpty') }}
        columns={[
          {
            title: t('ops.fanPlan.col.store'),
            dataIndex: 'storeName',
            render: (v: string, r) => v || r.storeId,
          },
          {
            title: t('ops.fanPlan.col.progress'),
            width: 180,
            render: (_, r) => <Progress percent={r.progressPct} size="small" />,
          },
          {
            title: t('ops.fanPlan.col.fans'),
            render: (_, r) => `${count(r.fans)} / ${count(r.targetFans)}`,
          },
          {
            title: t('ops.fanPlan.col.expected'),
            dataIndex: 'expectedFans',
            render: (v: number) => count(v),
          },
          { title: t('ops.fanPlan.col.daysLeft'), dataIndex: 'daysLeft' },
          {
            title: t('ops.fanPlan.col.status'),
            dataIndex: 'status',
            render: (v: PlanStore['status']) => (
              <Tag color={STATUS_COLOR[v]}>{t(`ops.fanPlan.status.${v}`)}</Tag>
            ),
          },
          {
            // Behind yesterday's point on the line: the feed gives extra exposure today.
            title: t('ops.fanPlan.col.boost'),
            dataIndex: 'boostImpressions',
            render: (v: number) => (v > 0 ? <Tag color="warning">{count(v)}</Tag> : count(v)),
          },
        ]}
      />
    </Card>
  );
}
