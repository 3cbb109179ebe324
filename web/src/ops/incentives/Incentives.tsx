import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message.ts';
import { EmptyState, ErrorAlert, PageSpin } from '../../console/ConsoleShell.tsx';
import { growthApi, type Programme, type ProgrammeInput } from '../../console/growth-api.ts';
import { IncentiveTable } from '../../merchant/growth/Growth.tsx';
import { fenToYuan, formatFen, yuanToFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';

const STATUS_COLORS: Record<Programme['status'], string> = {
  active: 'success',
  paused: 'default',
  exhausted: 'warning',
  ended: 'default',
};

interface FormValues {
  name: string;
  kind: Programme['kind'];
  eligibleStoreDays: number;
  periodDays: number;
  ratePercent: number;
  capYuan: number;
  budgetYuan: number;
}

/** Incentive programmes (operators): the list with budget used, create/edit, pause/end, and each one's payouts. */
export function IncentivesPage() {
  const { t } = useTranslation();
  const programmes = useAsync((signal) => growthApi.programmes(signal), []);
  const [editing, setEditing] = useState<Programme | 'new' | null>(null);
  const { message } = App.useApp();
  const setStatus = async (p: Programme, status: 'active' | 'paused' | 'ended') => {
    try {
      await growthApi.updateProgramme(p.id, { status });
      programmes.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div data-testid="page-incentives">
      <h1 className="c-page-title">
        {t('growth.ops.title')}
        <Space>
          <Button icon={<ReloadOutlined />} onClick={programmes.reload} loading={programmes.loading}>
            {t('growth.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="programme-new"
          >
            {t('growth.ops.create')}
          </Button>
        </Space>
      </h1>
      <Typography.Paragraph type="secondary">{t('growth.ops.hint')}</Typography.Paragraph>
      {programmes.error ? <ErrorAlert error={programmes.error} onRetry={programmes.reload} /> : null}
      {programmes.loading && !programmes.data ? <PageSpin /> : null}
      {programmes.data && programmes.data.length === 0 ? <EmptyState text={t('growth.ops.empty')} /> : null}
      {programmes.data?.length ? (
        <Card>
          <Table<Programme>
            rowKey="id"
            size="middle"
            dataSource={programmes.data}
            pagination={false}
            // keeps the budget bar and actions readable on a phone: the table scrolls instead of squeezing
            scroll={{ x: 960 }}
            expandable={{ expandedRowRender: (p) => <Payouts programmeId={p.id} /> }}
            columns={[
              { title: t('growth.ops.name'), dataIndex: 'name' },
              {
                title: t('growth.ops.kind'),
                dataIndex: 'kind',
                render: (k: Programme['kind']) => t(`growth.kind.${k}`),
              },
              {
                title: t('growth.ops.terms'),
                render: (_, p) =>
                  t('growth.ops.termsText', {
                    eligible: p.eligibleStoreDays,
                    period: p.periodDays,
                    rate: (p.rateBps / 100).toFixed(2),
                    cap: formatFen(p.capFen),
                  }),
              },
              {
                title: t('growth.ops.budget'),
                width: 220,
                render: (_, p) => (
                  <div data-testid={`programme-budget-${p.id}`}>
                    <Progress
                      percent={Math.round(((p.budgetFen - p.remainingFen) / p.budgetFen) * 100)}
                      size="small"
                      status={p.remainingFen === 0 ? 'exception' : 'active'}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('growth.ops.used', {
                        used: formatFen(p.budgetFen - p.remainingFen),
                        budget: formatFen(p.budgetFen),
                      })}
                    </Typography.Text>
                  </div>
                ),
              },
              { title: t('growth.ops.stores'), dataIndex: 'stores', align: 'right' },
              {
                title: t('growth.ops.status'),
                dataIndex: 'status',
                render: (s: Programme['status']) => (
                  <Tag color={STATUS_COLORS[s]}>{t(`growth.programmeStatus.${s}`)}</Tag>
                ),
              },
              {
                title: t('growth.ops.actions'),
                render: (_, p) => (
                  <Space>
                    <Button size="small" onClick={() => setEditing(p)}>
                      {t('growth.ops.edit')}
                    </Button>
                    {p.status === 'active' ? (
                      <Button size="small" onClick={() => setStatus(p, 'paused')}>
                        {t('growth.ops.pause')}
                      </Button>
                    ) : p.status !== 'ended' ? (
                      <Button size="small" onClick={() => setStatus(p, 'active')}>
                        {t('growth.ops.resume')}
                      </Button>
                    ) : null}
                    {p.status !== 'ended' ? (
                      <Button size="small" danger onClick={() => setStatus(p, 'ended')}>
                        {t('growth.ops.end')}
                      </Button>
                    ) : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      {editing ? (
        <ProgrammeForm
          programme={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) programmes.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function Payouts({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const list = useAsync((signal) => growthApi.programmeIncentives(programmeId, signal), [programmeId]);
  return (
    <div>
      <Typography.Text strong>{t('growth.ops.payouts')}</Typography.Text>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <IncentiveTable items={list.data} loading={list.loading} showStore />
    </div>
  );
}

function ProgrammeForm({
  programme,
  onClose,
}: {
  programme: Programme | null;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const initial: FormValues = programme
    ? {
        name: programme.name,
        kind: programme.kind,
        eligibleStoreDays: programme.eligibleStoreDays,
        periodDays: programme.periodDays,
        ratePercent: programme.rateBps / 100,
        capYuan: fenToYuan(programme.capFen),
        budgetYuan: fenToYuan(programme.budgetFen),
      }
    : {
        name: '',
        kind: 'first_sale_gmv',
        eligibleStoreDays: 90,
        periodDays: 30,
        ratePercent: 5,
        capYuan: 2000,
        budgetYuan: 100000,
      };
  const save = async (values: FormValues) => {
    setSaving(true);
    setError(undefined);
    const body: ProgrammeInput = {
      name: values.name,
      kind: values.kind,
      eligibleStoreDays: values.eligibleStoreDays,
      periodDays: values.periodDays,
      rateBps: Math.round(values.ratePercent * 100),
      capFen: yuanToFen(values.capYuan),
      budgetFen: yuanToFen(values.budgetYuan),
    };
    try {
      if (programme) {
        const { kind: _kind, ...patch } = body;
        await growthApi.updateProgramme(programme.id, patch);
      } else await growthApi.createProgramme(body);
      onClose(true);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={programme ? t('growth.ops.edit') : t('growth.ops.create')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={save}
        data-testid="programme-form"
      >
        <Form.Item name="name" label={t('growth.ops.name')} rules={[{ required: true, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('growth.ops.kind')} rules={[{ required: true }]}>
          <Select
            disabled={programme !== null}
            options={(['first_sale_gmv', 'commission_rebate'] as const).map((k) => ({
              value: k,
              label: t(`growth.kind.${k}`),
            }))}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="eligibleStoreDays" label={t('growth.ops.eligible')} rules={[{ required: true }]}>
            <InputNumber min={1} max={3650} precision={0} />
          </Form.Item>
          <Form.Item name="periodDays" label={t('growth.ops.period')} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} precision={0} />
          </Form.Item>
          <Form.Item name="ratePercent" label={t('growth.ops.rate')} rules={[{ required: true }]}>
            <InputNumber min={0.01} max={100} step={0.5} precision={2} addonAfter="%" />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="capYuan" label={t('growth.ops.cap')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} addonBefore="¥" />
          </Form.Item>
          <Form.Item name="budgetYuan" label={t('growth.ops.budgetTotal')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} addonBefore="¥" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
